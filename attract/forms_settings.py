"""Forms of the admin settings and the user settings pages."""

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.password_validation import password_validators_help_text_html

from attract.forms import StyledForm, style_widgets
from attract.models import SecurityRole
from jobs.choices import StageKind
from jobs.process import MAX_STAGES, StageSpec

LOGO_ACCEPT = "image/png,image/jpeg,image/gif,image/webp"


class CompanyForm(StyledForm):
    company_name = forms.CharField(max_length=200)
    logo = forms.ImageField(
        required=False,
        widget=forms.FileInput(attrs={"accept": LOGO_ACCEPT}),
        help_text="PNG, JPEG, GIF or WebP, at most 2 MB. Leave empty to keep the current logo.",
    )
    remove_logo = forms.BooleanField(required=False, label="Remove the current logo")
    public_site_url = forms.URLField(
        required=False,
        assume_scheme="https",
        label="Public site URL",
        help_text="Base URL of the career site, e.g. https://jobs.example.com",
    )
    privacy_notice = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), label="Privacy notice"
    )
    retention_days = forms.IntegerField(
        min_value=1,
        max_value=36_500,
        label="Retention (days)",
        help_text="How long candidate data is kept after the last activity.",
    )

    def __init__(self, *args, has_logo: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_logo:
            del self.fields["remove_logo"]

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values as `organisation_update` takes them (logo only when it changes)."""
        data = dict(self.cleaned_data)
        logo, remove = data.pop("logo"), data.pop("remove_logo", False)
        if remove:
            data["logo"] = ""
        elif logo:
            data["logo"] = logo
        return data


class Checkboxes(forms.CheckboxSelectMultiple):
    """One Bootstrap form-check per option, its label beside the box."""

    template_name = "settings/widgets/checkboxes.html"


def role_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=SecurityRole.choices,
        widget=Checkboxes,
        label="Security roles",
        error_messages={"required": "Choose at least one role."},
    )


class UserCreateForm(StyledForm):
    username = forms.CharField(max_length=150, help_text="Letters, digits and @ . + - _ only.")
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(required=False)
    roles = role_field()
    password = forms.CharField(
        label="Initial password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password_confirm = forms.CharField(
        label="Confirm the initial password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        password, confirm = data.get("password"), data.get("password_confirm")
        if password and confirm and password != confirm:
            self.add_error("password_confirm", "The two passwords differ.")
        return data


class UserEditForm(StyledForm):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(required=False)
    roles = role_field()


class ProfileForm(StyledForm):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(required=False)


class PasswordForm(PasswordChangeForm):
    """Django's password change form, rendered like every other form here."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)


class TemplateForm(StyledForm):
    name = forms.CharField(max_length=120)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    requires_approval = forms.BooleanField(
        required=False,
        label="Requires approval",
        help_text="Jobs made from this template need approval before activation.",
    )
    is_default = forms.BooleanField(
        required=False,
        label="Default template",
        help_text="New jobs start from the default template.",
    )

    def __init__(self, *args, locked_default: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if locked_default:
            # The default stays the default until another template takes over.
            self.fields["is_default"].disabled = True
            self.fields["is_default"].initial = True
            self.fields["is_default"].help_text = "Make another template the default instead."


class StageForm(forms.Form):
    """One row of the stage editor, styled by its formset (see BaseStageFormSet.full_clean)."""

    name = forms.CharField(max_length=80)
    kind = forms.ChoiceField(choices=[("", "Choose a kind"), *StageKind.choices])
    hiring_manager_can_add_prospects = forms.BooleanField(
        required=False,
        label="Hiring managers may add prospects",
        help_text="Prospect stage only.",
    )
    OWN_FIELDS = ("name", "kind", "hiring_manager_can_add_prospects")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            style_widgets(self)

    def has_changed(self) -> bool:
        # A blank added row stays blank (and is skipped) even when its position was filled in.
        return any(name in self.changed_data for name in self.OWN_FIELDS)


class BaseStageFormSet(forms.BaseFormSet):
    # StyledForm styles (and so validates) in __init__, before a formset adds its Position and
    # Remove fields: rows are styled here instead, unbound on creation, bound once cleaned.
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["ORDER"].label = "Position"
        form.fields["ORDER"].widget.attrs["min"] = 1
        form.fields["DELETE"].label = "Remove"
        if not form.is_bound:
            form.fields["ORDER"].widget.attrs["class"] = "form-control"
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def full_clean(self) -> None:
        super().full_clean()
        for form in self.forms:
            style_widgets(form)

    def specs(self) -> list[StageSpec]:
        """The kept rows in their chosen order, as `template_save` takes them."""
        return [
            StageSpec(
                f.cleaned_data["name"],
                f.cleaned_data["kind"],
                bool(f.cleaned_data.get("hiring_manager_can_add_prospects")),
            )
            for f in self.ordered_forms
        ]


StageFormSet = forms.formset_factory(
    StageForm,
    formset=BaseStageFormSet,
    extra=0,
    can_order=True,
    can_delete=True,
    max_num=MAX_STAGES + 5,
    validate_max=True,
)


class ReasonForm(StyledForm):
    name = forms.CharField(
        max_length=120, error_messages={"required": "Give the rejection reason a name."}
    )
