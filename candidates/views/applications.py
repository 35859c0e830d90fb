"""The Applications tab: stage histories and withdraw / hire / reopen."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from attract.access import (
    Perm,
    candidate_for_user,
    job_can,
)
from candidates.forms import (
    WithdrawForm,
)
from candidates.selectors import (
    applications_with_history,
)
from candidates.services import (
    application_hire,
    application_reopen,
    application_withdraw,
)
from candidates.views.common import (
    _candidate_application,
    _tab,
)


@login_required
@require_GET
def candidate_applications(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    candidate = candidate_for_user(user, pk)
    rows = [
        {
            "application": a,
            "can_advance": job_can(user, a.job, Perm.ADVANCE_APPLICATION),
            "can_reopen": job_can(user, a.job, Perm.REJECT_APPLICATION),
        }
        for a in applications_with_history(user, candidate)
    ]
    return _tab(request, candidate, "applications", {"rows": rows})


def _act(request, pk: int, application_pk: int, service, done: str, **kwargs) -> HttpResponse:
    candidate = candidate_for_user(request.user, pk)
    application = _candidate_application(request.user, candidate, application_pk)
    try:
        service(application=application, by=request.user, **kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done.format(name=candidate.full_name, job=application.job))
    return redirect("candidates:applications", candidate.pk)


@login_required
@require_POST
def application_withdraw_view(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    form = WithdrawForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    done = "{name} withdrew from {job.number}."
    return _act(request, pk, application_pk, application_withdraw, done, comment=comment)


@login_required
@require_POST
def application_hire_view(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    return _act(request, pk, application_pk, application_hire, "{name} hired on {job.number}.")


@login_required
@require_POST
def application_reopen_view(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    done = "The application of {name} on {job.number} is active again."
    return _act(request, pk, application_pk, application_reopen, done)


# --- Notes: add, edit own (inline with HTMX, or on the notes page without JS), delete own.
