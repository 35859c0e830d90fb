"""Admin settings: process templates with an ordered stage editor (a formset, JS optional)."""

import contextlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from attract.forms import add_service_errors
from attract.forms_settings import StageFormSet, TemplateForm
from attract.selectors import template_for_admin, template_stage_specs, templates_for_admin
from attract.views.admin_base import INVALID, admin_view
from jobs.services import template_save

PREFIX = "stages"
STARTER_STAGES = [
    ("Prospect", "prospect"),
    ("Application", "application"),
    ("Screen", "screening"),
    ("Interview", "interview"),
    ("Offer", "offer"),
    ("Hired", "hired"),
]


@admin_view
def templates(request: HttpRequest) -> HttpResponse:
    context = {"tab": "templates", "templates": templates_for_admin(request.user)}
    return render(request, "settings/templates.html", context)


@admin_view
def template_new(request: HttpRequest) -> HttpResponse:
    default = templates_for_admin(request.user).filter(is_default=True).first()
    if default is not None:
        stages = [_initial_row(s) for s in template_stage_specs(default)]
    else:
        stages = [{"name": name, "kind": kind} for name, kind in STARTER_STAGES]
    return _editor(request, template=None, initial={}, stages=stages)


@admin_view
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = template_for_admin(request.user, pk)
    initial = {
        "name": template.name,
        "description": template.description,
        "requires_approval": template.requires_approval,
        "is_default": template.is_default,
    }
    stages = [_initial_row(s) for s in template_stage_specs(template)]
    return _editor(request, template=template, initial=initial, stages=stages)


def _initial_row(spec) -> dict:
    return {
        "name": spec.name,
        "kind": spec.kind,
        "hiring_manager_can_add_prospects": spec.hiring_manager_can_add_prospects,
    }


def _editor(request: HttpRequest, *, template, initial: dict, stages: list[dict]) -> HttpResponse:
    locked = bool(template and template.is_default)
    if request.method != "POST":
        form = TemplateForm(initial=initial, locked_default=locked)
        formset = StageFormSet(initial=stages, prefix=PREFIX)
        return _render_editor(request, template, form, formset)
    adding = "add_stage" in request.POST
    data = _with_one_more_row(request.POST) if adding else request.POST
    form = TemplateForm(data, initial=initial, locked_default=locked)
    formset = StageFormSet(data, initial=stages, prefix=PREFIX)
    if not adding and form.is_valid() and formset.is_valid():
        try:
            saved = template_save(
                by=request.user, template=template, stages=formset.specs(), **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Process template “{saved.name}” saved.")
            return redirect("settings:templates")
    return _render_editor(request, template, form, formset, status=200 if adding else INVALID)


def _with_one_more_row(data: QueryDict) -> QueryDict:
    """Without JavaScript, "Add a stage" posts the editor back with one more empty row."""
    data = data.copy()
    total = f"{PREFIX}-TOTAL_FORMS"
    with contextlib.suppress(ValueError):
        data[total] = str(int(data.get(total, "0")) + 1)
    return data


def _render_editor(request, template, form, formset, *, status: int = 200) -> HttpResponse:
    if formset.is_bound:
        formset.is_valid()  # errors and their styling, also after "Add a stage"
    context = {
        "tab": "templates",
        "template": template,
        "form": form,
        "formset": formset,
        # Rows come back in the order their positions give, as they were on screen.
        "stage_forms": sorted(formset.forms, key=_position) if formset.is_bound else formset.forms,
    }
    return render(request, "settings/template_edit.html", context, status=status)


def _position(stage_form) -> int:
    try:
        return int(stage_form["ORDER"].value())
    except (TypeError, ValueError):
        return 10_000


@admin_view
@require_POST
def template_make_default(request: HttpRequest, pk: int) -> HttpResponse:
    template = template_for_admin(request.user, pk)
    template_save(
        by=request.user,
        template=template,
        name=template.name,
        description=template.description,
        requires_approval=template.requires_approval,
        is_default=True,
        stages=template_stage_specs(template),
    )
    messages.success(request, f"New jobs now start from “{template.name}”.")
    return redirect("settings:templates")
