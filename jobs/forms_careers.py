"""Forms of the public career site: the job list's search and filters, and the apply form."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from attract.forms import StyledForm
from candidates.documents import ALLOWED
from candidates.services.apply import apply_documents_check
from jobs.choices import EmploymentType, WorkplaceType

ANY = [("", "Any")]
ACCEPT = ",".join([*(f".{ext}" for ext in ALLOWED), *ALLOWED.values()])
# A field people never see and bots fill in (see the template's wrapper).
HONEYPOT = "website"


class CareerFilterForm(StyledForm):
    q = forms.CharField(label="Job title", required=False, max_length=100)
    location = forms.CharField(
        label="Location", required=False, max_length=100, help_text="City, region or country"
    )
    workplace_type = forms.ChoiceField(
        label="Workplace", required=False, choices=ANY + WorkplaceType.choices
    )
    employment_type = forms.ChoiceField(
        label="Employment type", required=False, choices=ANY + EmploymentType.choices
    )
    country = forms.ChoiceField(label="Country", required=False)

    def __init__(self, *args, countries: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = ANY + countries
        self.fields["q"].widget.attrs["type"] = "search"
        self.fields["location"].widget.attrs["type"] = "search"

    def filters(self) -> dict[str, str]:
        """The valid filters only: a tampered value is dropped rather than failing the page."""
        if not self.is_bound:
            return {}
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned[name] for name in self.fields if cleaned.get(name)}


def _max_size_text() -> str:
    size = settings.DOCUMENT_MAX_BYTES
    megabytes = f"{size / (1024 * 1024):.1f}".removesuffix(".0")
    return f"{megabytes} MB" if size >= 1024 * 1024 else f"{size:,} bytes"


class ApplyForm(StyledForm):
    first_name = forms.CharField(label="First name", max_length=100)
    last_name = forms.CharField(label="Last name", max_length=100)
    email = forms.EmailField(label="Email", max_length=254)
    phone = forms.CharField(label="Phone", max_length=40)
    resume = forms.FileField(label="Résumé")
    cover_letter = forms.FileField(label="Cover letter (optional)", required=False)
    consent = forms.BooleanField(
        label="I agree that my data is kept and used as described above.",
        error_messages={
            "required": "Please agree to how we handle your data: we cannot consider you "
            "without it."
        },
    )
    website = forms.CharField(label="Leave this field empty", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        formats = (
            f"PDF, Word (DOCX), OpenDocument (ODT), RTF or plain text; at most {_max_size_text()}."
        )
        for name in ("resume", "cover_letter"):
            self.fields[name].help_text = formats
            self.fields[name].widget.attrs.update(
                {"accept": ACCEPT, "data-max-bytes": settings.DOCUMENT_MAX_BYTES}
            )
        autocomplete = {"first_name": "given-name", "last_name": "family-name", "email": "email"}
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        self.fields["phone"].widget.attrs.update(autocomplete="tel", type="tel")
        self.fields[HONEYPOT].widget.attrs.update(tabindex="-1", autocomplete="off")

    def is_spam(self) -> bool:
        """True when the hidden field came back filled: only a robot does that."""
        return bool((self.data.get(HONEYPOT) or "").strip())

    def clean(self):
        cleaned = super().clean()
        # The service checks again; here a refused file is named along with the other errors.
        try:
            apply_documents_check(
                resume=cleaned.get("resume"), cover_letter=cleaned.get("cover_letter")
            )
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                self.add_error(field, errors)
        return cleaned
