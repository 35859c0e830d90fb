"""Form conventions shared by every page: Bootstrap classes and accessible error wiring."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Every `{{ form }}` renders labels, help and errors through templates/includes/."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"


class StyledForm(forms.Form):
    """A form whose widgets carry Bootstrap classes and whose errors are announced."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def full_clean(self) -> None:
        super().full_clean()
        mark_errors(self)


class StyledModelForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def full_clean(self) -> None:
        super().full_clean()
        mark_errors(self)


def style_widgets(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget (never validates the form: formsets add fields later)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            continue  # Django puts a widget's class on the group's wrapper, not only the inputs
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        if css not in widget.attrs.get("class", ""):
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def mark_errors(form: forms.BaseForm) -> None:
    """Point each invalid widget at its error text; runs once the form has been cleaned."""
    for name, field in form.fields.items():
        widget = field.widget
        if name in (getattr(form, "_errors", None) or {}):
            described = [f"{form.add_prefix(name)}-errors"]
            if field.help_text:
                described.append(f"{form[name].auto_id}_helptext")
            widget.attrs["aria-invalid"] = "true"
            widget.attrs["aria-describedby"] = " ".join(described)


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its fields where named, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
    mark_errors(form)
