"""Admin settings: the rejection reasons recruiters pick from, in order."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from attract.forms import add_service_errors
from attract.forms_settings import ReasonForm
from attract.selectors import reason_for_admin, reasons_for_admin
from attract.views.admin_base import INVALID, admin_view
from candidates.services.reasons import (
    rejection_reason_deactivate,
    rejection_reason_move,
    rejection_reason_reactivate,
    rejection_reason_save,
)


@admin_view
def reasons(request: HttpRequest) -> HttpResponse:
    """The list, and the form that adds a reason at its end."""
    form = ReasonForm(request.POST or None, prefix="new")
    if request.method == "POST" and form.is_valid():
        try:
            reason = rejection_reason_save(by=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Rejection reason “{reason.name}” added.")
            return redirect("settings:reasons")
    return _render(request, form=form, status=INVALID if form.errors else 200)


def _render(request, *, form=None, focus=None, error="", status=200) -> HttpResponse:
    context = {
        "tab": "reasons",
        "reasons": reasons_for_admin(request.user),
        "form": form or ReasonForm(prefix="new"),
        "focus": focus,
        "error": error,
    }
    template = "settings/reasons.html#reason-list" if request.htmx else "settings/reasons.html"
    return render(request, template, context, status=status)


def _done(request, *, focus: int, success: str = "", error: str = "") -> HttpResponse:
    """HTMX swaps the list in place (an error inside it); a plain form posts and redirects."""
    if request.htmx:
        return _render(request, focus=focus, error=error)
    if error:
        messages.error(request, error)
    elif success:
        messages.success(request, success)
    return redirect("settings:reasons")


@admin_view
@require_POST
def reason_rename(request: HttpRequest, pk: int) -> HttpResponse:
    reason = reason_for_admin(request.user, pk)
    form = ReasonForm(request.POST, prefix=f"r{pk}")
    error = ""
    if not form.is_valid():
        error = " ".join(form.errors.get("name", ["Give the rejection reason a name."]))
    else:
        try:
            rejection_reason_save(by=request.user, reason=reason, name=form.cleaned_data["name"])
        except ValidationError as exc:
            error = " ".join(exc.messages)
    return _done(request, focus=pk, success="Rejection reason renamed.", error=error)


@admin_view
@require_POST
def reason_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    reason = rejection_reason_deactivate(by=request.user, reason=reason_for_admin(request.user, pk))
    return _done(request, focus=pk, success=f"“{reason.name}” is no longer offered.")


@admin_view
@require_POST
def reason_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    reason = rejection_reason_reactivate(by=request.user, reason=reason_for_admin(request.user, pk))
    return _done(request, focus=pk, success=f"“{reason.name}” is offered again.")


@admin_view
@require_POST
def reason_move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    reason = reason_for_admin(request.user, pk)
    offset = -1 if direction == "up" else 1
    rejection_reason_move(by=request.user, reason=reason, offset=offset)
    return _done(request, focus=pk, success=f"“{reason.name}” moved {direction}.")
