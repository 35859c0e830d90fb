"""Forms of the pipeline board: the filter, moves, rejections, bulk actions, adding a candidate."""

from django import forms
from django.db.models import QuerySet

from attract.forms import StyledForm, style_widgets
from candidates.selectors_board import OPTIONAL_STATUSES, active_rejection_reasons
from jobs.models import Job

NOT_ON_JOB = "That application is not on this job."


class BoardFilterForm(forms.Form):
    """The board's query string: extra statuses to show and one column's page."""

    show = forms.MultipleChoiceField(
        label="Also show",
        required=False,
        choices=[(s.value, s.label) for s in OPTIONAL_STATUSES],
        widget=forms.CheckboxSelectMultiple,
    )
    stage = forms.IntegerField(required=False, min_value=1)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def values(self) -> tuple[list[str], int | None, int]:
        """(shown statuses, paged stage id, page); bad input falls back to the defaults."""
        if not self.is_valid():
            return [], None, 1
        data = self.cleaned_data
        return data["show"], data["stage"], data["page"] or 1


class BoardForm(StyledForm):
    """A StyledForm whose fields depend on the job or the user, set up before styling.

    StyledForm validates a bound form while styling it (to mark invalid fields), so fields
    added or removed after its __init__ would miss validation: `setup_fields` runs first.
    """

    def __init__(self, *args, **kwargs):
        super(StyledForm, self).__init__(*args, **kwargs)
        self.setup_fields()
        style_widgets(self)

    def setup_fields(self) -> None:
        pass


class MoveForm(BoardForm):
    def __init__(self, *args, job: Job, **kwargs):
        self.job = job
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        self.fields["stage"] = forms.ModelChoiceField(
            queryset=self.job.stages.all(),
            label="Move to",
            error_messages={
                "required": "Choose the stage to move to.",
                "invalid_choice": "That stage is not part of this job's process.",
            },
        )


class ReasonForm(BoardForm):
    reason = forms.ModelChoiceField(
        queryset=active_rejection_reasons(),
        label="Reason",
        empty_label="Choose a reason…",
        error_messages={"required": "Choose a rejection reason."},
        # Loaded beside the board by HTMX: the reason takes the focus (static/js/attract.js).
        widget=forms.Select(attrs={"data-focus-after-swap": ""}),
    )
    comment = forms.CharField(
        label="Comment", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class BulkForm(BoardForm):
    """Cards ticked on the board; every one must be on this job or nothing happens."""

    def __init__(self, *args, applications: QuerySet, **kwargs):
        self.applications = applications
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        super().setup_fields()
        self.fields["applications"] = forms.ModelMultipleChoiceField(
            queryset=self.applications,
            widget=forms.MultipleHiddenInput,
            error_messages={
                "required": "Select at least one card first.",
                "invalid_choice": NOT_ON_JOB,
                "invalid_pk_value": NOT_ON_JOB,
            },
        )


class BulkMoveForm(BulkForm):
    def __init__(self, *args, job: Job, **kwargs):
        self.job = job
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        super().setup_fields()
        self.fields["stage"] = forms.ModelChoiceField(
            queryset=self.job.stages.all(),
            label="Move selected to",
            empty_label="Choose a stage…",
            error_messages={"required": "Choose the stage to move the selected cards to."},
        )


class BulkRejectForm(BulkForm, ReasonForm):
    pass


class BulkPoolForm(BulkForm):
    def __init__(self, *args, pools: QuerySet, **kwargs):
        self.pools = pools
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        super().setup_fields()
        self.fields["pool"] = forms.ModelChoiceField(
            queryset=self.pools,
            label="Add selected to pool",
            empty_label="Choose a talent pool…",
            error_messages={"required": "Choose a talent pool."},
        )


class AddCandidateForm(BoardForm):
    """A person to put on this job; a known email finds the existing candidate."""

    first_name = forms.CharField(label="First name", max_length=100)
    last_name = forms.CharField(label="Last name", max_length=100)
    email = forms.EmailField(
        label="Email",
        required=False,
        max_length=254,
        help_text="If someone already has this address, that candidate is added to the job.",
    )
    phone = forms.CharField(label="Phone", required=False, max_length=40)
    as_prospect = forms.BooleanField(label="Add as a prospect", required=False)

    def __init__(self, *args, can_add_prospect: bool, **kwargs):
        self.can_add_prospect = can_add_prospect
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        if not self.can_add_prospect:
            del self.fields["as_prospect"]
