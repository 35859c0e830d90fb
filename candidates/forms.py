"""Forms of the candidate pages: they parse input; the services decide what is allowed."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from attract.forms import StyledForm
from candidates.models import (
    Application,
    Candidate,
    CandidateSource,
    DocumentKind,
    NoteVisibility,
    Recommendation,
)

ADD_SOURCES = [
    (s.value, s.label)
    for s in (CandidateSource.MANUAL, CandidateSource.REFERRAL, CandidateSource.IMPORT)
]
RATING_CHOICES = [("", "—"), *((str(n), str(n)) for n in range(1, 6))]
MAX_RATING_ROWS = 20


def application_choices(applications: Iterable[Application], empty: str) -> list[tuple]:
    """Options of an application select: the jobs' numbers and titles."""
    return [("", empty), *((a.pk, f"{a.job.number} · {a.job.title}") for a in applications)]


class ApplicationSelect(forms.Select):
    """The options shown are the applications the user may write on; any id is accepted here,
    because the view resolves it through `application_for_user` and the service decides."""


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _comma_list(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


class CandidateFieldsForm(StyledForm):
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    phones = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One phone number per line.",
    )
    current_title = forms.CharField(max_length=200, required=False)
    current_company = forms.CharField(max_length=200, required=False)
    city = forms.CharField(max_length=100, required=False)
    region = forms.CharField(max_length=100, required=False, label="Region or state")
    country = forms.CharField(
        max_length=2, required=False, help_text="Two-letter ISO code, for example NO or FR."
    )
    linkedin_url = forms.URLField(
        max_length=300, required=False, label="LinkedIn profile URL", assume_scheme="https"
    )
    tags = forms.CharField(required=False, max_length=2000, help_text="Separate tags with commas.")

    def clean_country(self) -> str:
        return self.cleaned_data["country"].strip().upper()

    def clean_phones(self) -> list[str]:
        return _lines(self.cleaned_data["phones"])

    def clean_tags(self) -> list[str]:
        return _comma_list(self.cleaned_data["tags"])


class CandidateCreateForm(CandidateFieldsForm):
    email = forms.EmailField(
        required=False,
        max_length=254,
        help_text="If someone already has this address, you are taken to their record.",
    )
    source = forms.ChoiceField(choices=ADD_SOURCES, initial=CandidateSource.MANUAL)

    field_order = ["first_name", "last_name", "email", "phones", "current_title"]

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class CandidateEditForm(CandidateFieldsForm):
    retention_until = forms.DateField(
        required=False,
        label="Keep data until",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="After this date the record is erased unless an application is still active.",
    )

    def __init__(self, *args, candidate: Candidate, **kwargs):
        initial = {
            "phones": "\n".join(candidate.phones),
            "tags": ", ".join(t.name for t in candidate.tags.all()),
            **{name: getattr(candidate, name) for name in self.edit_fields()},
        }
        super().__init__(*args, initial=initial, **kwargs)

    @classmethod
    def edit_fields(cls) -> list[str]:
        names = set(cls.base_fields) - {"phones", "tags"}
        return sorted(names)

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class AddEmailForm(StyledForm):
    email = forms.EmailField(max_length=254, label="Email address")
    primary = forms.BooleanField(required=False, label="Make it the primary address")


class ApplicationChoiceMixin:
    """An optional `application` id, offered as a select of the given applications."""

    def set_applications(self, applications: Iterable[Application], empty: str) -> None:
        field = self.fields["application"]  # type: ignore[attr-defined]
        field.widget.choices = application_choices(applications, empty)


class DocumentForm(ApplicationChoiceMixin, StyledForm):
    file = forms.FileField(
        label="Document",
        help_text="PDF, Word (DOCX), OpenDocument (ODT), RTF or plain text; checked by content.",
    )
    kind = forms.ChoiceField(choices=DocumentKind.choices, initial=DocumentKind.RESUME)
    application = forms.IntegerField(
        required=False, label="About the application", widget=ApplicationSelect
    )


class NoteBodyForm(StyledForm):
    body = forms.CharField(
        label="Note",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "A note needs some text."},
    )
    visibility = forms.ChoiceField(
        label="Who may see it",
        choices=NoteVisibility.choices,
        initial=NoteVisibility.EVERYONE,
        widget=forms.RadioSelect,
    )

    def limit_visibility(self, *, on_application: bool) -> None:
        """A note about no application cannot be limited to a hiring team: don't offer it."""
        if not on_application:
            self.fields["visibility"].choices = [
                c for c in NoteVisibility.choices if c[0] != NoteVisibility.HIRING_TEAM
            ]


class NoteForm(ApplicationChoiceMixin, NoteBodyForm):
    application = forms.IntegerField(
        required=False, label="About the application", widget=ApplicationSelect
    )


class NoteEditForm(NoteBodyForm):
    prefix = "edit"  # the add form is on the same page: keep field ids unique

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs.update({"autofocus": True, "data-focus-after-swap": True})


class FeedbackForm(StyledForm):
    recommendation = forms.TypedChoiceField(
        choices=Recommendation.choices,
        coerce=int,
        widget=forms.RadioSelect,
        label="Overall recommendation",
        error_messages={
            "required": "Choose a recommendation from strong no to strong yes.",
            "invalid_choice": "Choose a recommendation from strong no to strong yes.",
        },
    )
    strengths = forms.CharField(
        required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 3})
    )
    concerns = forms.CharField(
        required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 3})
    )
    comments = forms.CharField(
        required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RatingForm(StyledForm):
    attribute = forms.CharField(required=False, max_length=60)
    rating = forms.TypedChoiceField(
        choices=RATING_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Rate from 1 to 5."},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        attribute, rating = data.get("attribute"), data.get("rating")
        if attribute and rating is None and "rating" not in self.errors:
            self.add_error("rating", f"Rate {attribute} from 1 to 5.")
        if rating is not None and not attribute:
            self.add_error("attribute", "Name the attribute you rate.")
        return data


class BaseRatingFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        names = [
            f.cleaned_data["attribute"].lower()
            for f in self.forms
            if f.cleaned_data.get("attribute")
        ]
        if len(set(names)) != len(names):
            raise ValidationError("Rate each attribute once.")

    def ratings(self) -> dict[str, int]:
        """{attribute: rating} of the filled rows."""
        return {
            f.cleaned_data["attribute"]: f.cleaned_data["rating"]
            for f in self.forms
            if f.cleaned_data.get("attribute") and f.cleaned_data.get("rating")
        }


RatingFormSet = forms.formset_factory(
    RatingForm,
    formset=BaseRatingFormSet,
    extra=3,
    max_num=MAX_RATING_ROWS,
    validate_max=True,
    absolute_max=MAX_RATING_ROWS + 3,
)


def rating_formset(*, prefix: str, data=None, ratings: dict | None = None) -> BaseRatingFormSet:
    """Rows for one's ratings: the existing ones, then three empty rows."""
    initial = [{"attribute": k, "rating": v} for k, v in (ratings or {}).items()]
    return RatingFormSet(data, prefix=prefix, initial=initial)


class MergePickForm(StyledForm):
    duplicate = forms.CharField(
        max_length=254,
        label="The duplicate record: candidate id or email",
        help_text="The duplicate's id is in its page address (/candidates/123/).",
    )


class MergeConfirmForm(forms.Form):
    duplicate = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawForm(StyledForm):
    comment = forms.CharField(required=False, max_length=2000, label="Why (optional)")
