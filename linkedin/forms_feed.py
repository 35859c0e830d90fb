"""The job-posting settings form of the admin LinkedIn tab."""

from django import forms

from attract.forms import StyledForm
from linkedin.models import validate_company_id


class PostingSettingsForm(StyledForm):
    company_name = forms.CharField(
        label="Company name",
        max_length=200,
        required=False,
        help_text="Must match your LinkedIn Page name. Leave empty to use the organisation's name.",
    )
    company_id = forms.CharField(
        label="LinkedIn company ID",
        max_length=19,
        required=False,
        validators=[validate_company_id],
        help_text="The number in your LinkedIn Page's admin URL, e.g. "
        "linkedin.com/company/1234567/admin → 1234567.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    enabled = forms.BooleanField(
        label="Post jobs to LinkedIn",
        required=False,
        widget=forms.CheckboxInput(attrs={"role": "switch", "aria-describedby": "linkedin-terms"}),
    )

    def clean_company_id(self) -> str:
        return self.cleaned_data["company_id"].strip()


class ConfirmForm(StyledForm):
    """Post now / Repost: nothing to fill in, the confirmation is the submission itself."""
