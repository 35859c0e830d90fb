"""Forms of Recruiter System Connect (admin tab) and of the user's LinkedIn connection."""

from django import forms

from attract.forms import StyledForm


class ContractForm(StyledForm):
    contract = forms.ChoiceField(
        label="Recruiter contract",
        widget=forms.RadioSelect,
        help_text="The contract whose Recruiter seats will use Attract.",
    )

    def __init__(self, *args, contracts: list[dict[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contract"].choices = [(c["urn"], c["name"]) for c in contracts]


class ClientSecretForm(StyledForm):
    client_secret = forms.CharField(
        label="New client secret",
        max_length=200,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="After rotating it in LinkedIn. Stored encrypted and never shown again.",
    )


class OAuthReturnForm(StyledForm):
    """What LinkedIn's authorization page sends back (every field optional: we check them)."""

    code = forms.CharField(required=False, max_length=2000)
    state = forms.CharField(required=False, max_length=200)
    error = forms.CharField(required=False, max_length=200)


class PluginReturnForm(StyledForm):
    """What the ATS Integration Configuration Plugin sends back (Guess: query parameters)."""

    integrationContext = forms.CharField(required=False, max_length=200)
    contract = forms.CharField(required=False, max_length=200)
    state = forms.CharField(required=False, max_length=200)
    error = forms.CharField(required=False, max_length=200)
