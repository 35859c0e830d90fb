"""Forms of the job pages: they parse input; the job services hold the rules."""

from collections.abc import Sequence

from django import forms
from django.forms.models import model_to_dict

from attract.forms import StyledForm, style_widgets
from attract.models import User
from candidates.models import Application, ApplicationStatus
from jobs.choices import CloseReason, JobStatus, StageKind
from jobs.countries import country_choices
from jobs.models import HiringTeamMember, Job, JobStage, ProcessTemplate
from jobs.process import MAX_STAGES, StageSpec
from jobs.services import JOB_DETAIL_FIELDS

JOB_FIELDS = list(JOB_DETAIL_FIELDS)


def _user_label(user: User) -> str:
    name = user.get_full_name()
    return f"{name} ({user.username})" if name else user.username


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _user_label(obj)


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return _user_label(obj)


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        flags = (("default", obj.is_default), ("needs approval", obj.requires_approval))
        notes = [note for note, on in flags if on]
        return f"{obj.name} ({', '.join(notes)})" if notes else obj.name


class ConfiguredForm(StyledForm):
    """A form whose choices depend on the request, set up in `configure` before validation.

    StyledForm styles its widgets while it initialises, and styling reads `errors`, which
    validates a bound form: against placeholder querysets if they were set afterwards.
    """

    def __init__(self, *args, **kwargs):
        forms.Form.__init__(self, *args, **kwargs)
        self.configure()
        style_widgets(self)

    def configure(self) -> None:
        raise NotImplementedError


class JobFilterForm(StyledForm):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        help_text="Title or job number",
        widget=forms.SearchInput,
    )
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *JobStatus.choices])
    country = forms.ChoiceField(
        required=False, choices=lambda: [("", "Any country"), *country_choices()]
    )
    city = forms.CharField(required=False, max_length=100)
    mine = forms.BooleanField(label="Only jobs on my hiring team", required=False)

    def filters(self) -> dict:
        """The valid filters, as `jobs.selectors.job_list_for` takes them; a bad one is ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "status": data.get("status", ""),
            "mine": data.get("mine", False),
            "country": data.get("country", ""),
            "city": data.get("city", ""),
            "search": data.get("q", ""),
        }


_JobFields = type(
    "_JobFields",
    (StyledForm,),
    forms.fields_for_model(
        Job,
        fields=JOB_FIELDS,
        widgets={
            "description": forms.Textarea(attrs={"rows": 10}),
            "expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        },
        labels={
            "job_function": "Job function",
            "salary_min": "Minimum salary",
            "salary_max": "Maximum salary",
            "publish_salary": "Publish the salary range",
            "expires_on": "Expiry date",
            "internal_only": "Internal only",
            "hide_feedback_until_submitted": "Hide others' feedback until an interviewer submits",
        },
        help_texts={
            "description": (
                "Paragraphs, headings, lists, bold, italics and links are kept; "
                "anything else is removed when the job is saved."
            ),
            "salary_currency": "ISO 4217 code, e.g. EUR, GBP, NOK",
        },
    ),
)


class JobForm(_JobFields):  # type: ignore[valid-type,misc]
    """The job's details, as `jobs.services.job_create` and `job_update` take them."""

    country = forms.ChoiceField(choices=lambda: [("", "Choose a country"), *country_choices()])

    def __init__(self, *args, job: Job | None = None, **kwargs):
        if job is not None:
            kwargs.setdefault("initial", model_to_dict(job, fields=JOB_FIELDS))
        super().__init__(*args, **kwargs)

    def clean_salary_currency(self) -> str:
        return self.cleaned_data["salary_currency"].strip().upper()

    def clean(self):
        data = super().clean()
        low, high = data.get("salary_min"), data.get("salary_max")
        if low is not None and high is not None and low > high:
            # The service refuses it too; said here, the message sits on the field.
            self.add_error("salary_max", "The maximum salary must not be below the minimum.")
        return data

    def job_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in JOB_FIELDS}


class JobCreateForm(JobForm):
    template = TemplateChoiceField(
        label="Process template",
        queryset=ProcessTemplate.objects.order_by("-is_default", "name"),
        empty_label=None,
        initial=lambda: ProcessTemplate.objects.filter(is_default=True).first(),
        help_text="The job gets its own copy of the template's stages.",
    )
    field_order = ["template", *JOB_FIELDS]


class SubmitForm(ConfiguredForm):
    approvers = UserMultipleChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="They decide in parallel: one rejection rejects the job.",
    )

    def __init__(self, *args, users, default, **kwargs):
        self._users, self._default = users, default
        super().__init__(*args, **kwargs)

    def configure(self) -> None:
        self.fields["approvers"].queryset = self._users
        self.fields["approvers"].initial = [u.pk for u in self._default]


class DecideForm(StyledForm):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    comment = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when you reject.",
    )


class CloseForm(ConfiguredForm):
    reason = forms.ChoiceField(
        choices=CloseReason.choices, widget=forms.RadioSelect, initial=CloseReason.CANCELLED
    )
    application = forms.ModelChoiceField(
        label="Filled by",
        queryset=Application.objects.none(),
        required=False,
        empty_label="Choose the hired applicant",
        help_text="An applicant who is not hired yet is hired when the job closes.",
    )
    comment = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, applications, **kwargs):
        self._applications = applications
        super().__init__(*args, **kwargs)

    def configure(self) -> None:
        field = self.fields["application"]
        field.queryset = self._applications
        field.label_from_instance = _application_label

    def clean(self):
        data = super().clean()
        if data.get("reason") == CloseReason.FILLED and not data.get("application"):
            self.add_error("application", "Choose who fills the position.")
        return data


def _application_label(application: Application) -> str:
    state = (
        "hired"
        if application.status == ApplicationStatus.HIRED
        else f"in {application.stage.name}, not hired yet"
    )
    return f"{application.candidate.full_name} ({state})"


class TeamAddForm(ConfiguredForm):
    """Add someone in one role; only users who may hold the role are offered."""

    user = UserChoiceField(queryset=User.objects.none(), empty_label="Choose a person")

    def __init__(self, *args, role: str, label: str, users, **kwargs):
        self.role, self._label, self._users = role, label, users
        super().__init__(*args, prefix=f"add-{role}", **kwargs)

    def configure(self) -> None:
        self.fields["user"].queryset = self._users
        self.fields["user"].label = self._label


class DelegateForm(ConfiguredForm):
    """A recruiter or hiring manager names a delegate for their own place on the team."""

    delegate = UserChoiceField(queryset=User.objects.none(), empty_label="Choose a person")

    def __init__(self, *args, principal: HiringTeamMember, users, **kwargs):
        self.principal, self._users = principal, users
        super().__init__(*args, prefix=f"delegate-{principal.pk}", **kwargs)

    def configure(self) -> None:
        self.fields["delegate"].queryset = self._users
        role = self.principal.get_role_display().lower()
        self.fields["delegate"].label = f"My delegate as {role}"


class StageForm(StyledForm):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(max_length=80)
    kind = forms.ChoiceField(choices=StageKind.choices, initial=StageKind.INTERVIEW)
    hiring_manager_can_add_prospects = forms.BooleanField(
        label="Hiring managers may add prospects", required=False
    )


class BaseStageFormSet(forms.BaseFormSet):
    def specs(self, action: str) -> list[StageSpec]:
        """The stages as submitted, with a row's move or removal applied; a new stage goes
        before a final Hired stage (which must stay last), else at the end."""
        rows = [
            (index, _spec(f.cleaned_data)) for index, f in enumerate(self.forms) if f.cleaned_data
        ]
        existing = [row for row in rows if row[0] < self.initial_form_count()]
        added = [row for row in rows if row[0] >= self.initial_form_count()]
        verb, _, target = action.partition("-")
        position = next((i for i, (index, _) in enumerate(existing) if str(index) == target), None)
        if position is not None:
            existing = _apply(existing, verb, position)
        specs = [spec for _, spec in existing]
        at = len(specs) - 1 if specs and specs[-1].kind == StageKind.HIRED else len(specs)
        return specs[:at] + [spec for _, spec in added] + specs[at:]


def _spec(data: dict) -> StageSpec:
    return StageSpec(
        data["name"], data["kind"], data["hiring_manager_can_add_prospects"], id=data["id"]
    )


def _apply(rows: list, verb: str, position: int) -> list:
    if verb == "remove":
        return rows[:position] + rows[position + 1 :]
    other = position - 1 if verb == "up" else position + 1 if verb == "down" else None
    if other is None or not 0 <= other < len(rows):
        return rows
    rows = list(rows)
    rows[position], rows[other] = rows[other], rows[position]
    return rows


StageFormSet = forms.formset_factory(
    StageForm, formset=BaseStageFormSet, extra=1, max_num=MAX_STAGES, validate_max=True
)


def stage_formset(stages: Sequence[StageSpec | JobStage], data=None) -> BaseStageFormSet:
    """The process form, starting from the job's stages (or specs with the same fields)."""
    initial = [
        {
            "id": s.id,
            "name": s.name,
            "kind": s.kind,
            "hiring_manager_can_add_prospects": s.hiring_manager_can_add_prospects,
        }
        for s in stages
    ]
    return StageFormSet(data, initial=initial, prefix="stages")
