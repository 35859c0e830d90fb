"""The pipeline board of a job: columns per stage, moves, rejections, bulk actions, adding people.

Every write answers an HTMX request with the re-rendered board region (plus out-of-band
messages) and a plain POST with a redirect back to the board, so the board works without
JavaScript. Drag and drop and the keyboard shortcuts in static/js/board.js submit the same
"Move to" form each card carries.
"""

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from attract.access import (
    Perm,
    application_for_user,
    can_use_pools,
    job_can,
    job_for_user,
    pools_visible_to,
)
from attract.forms import add_service_errors
from candidates.forms_board import (
    AddCandidateForm,
    BoardFilterForm,
    BulkMoveForm,
    BulkPoolForm,
    BulkRejectForm,
    MoveForm,
    ReasonForm,
)
from candidates.models import Application, ApplicationStatus
from candidates.selectors_board import (
    active_rejection_reasons,
    board_applications,
    board_column_page,
    board_columns,
    board_statuses,
    job_has_prospect_stage,
)
from candidates.services import (
    application_move,
    application_reject,
    applications_move,
    applications_reject,
    candidate_add_to_job,
)
from jobs.choices import JobStatus, StageKind
from jobs.models import Job
from jobs.views import job_header_context
from talentpools.services import pool_add_members

TEMPLATE = "candidates/board.html"


# --- Reading the board.


@login_required
@require_GET
def board(request: HttpRequest, number: str) -> HttpResponse:
    job = job_for_user(request.user, number, perm=Perm.VIEW_APPLICANTS)
    shown, paged_stage, page = BoardFilterForm(request.GET).values()
    if request.htmx and paged_stage:
        return _column_more(request, job, shown, paged_stage, page)
    return render(request, TEMPLATE, _board_context(request, job))


def _column_more(
    request: HttpRequest, job: Job, shown: list[str], stage_id: int, page: int
) -> HttpResponse:
    stages = list(job.stages.order_by("position"))
    stage = next((s for s in stages if s.pk == stage_id), None)
    if stage is None:
        raise Http404("No such stage on this job.")
    context = {
        **_abilities(request.user, job),
        "job": job,
        "column": board_column_page(job, stage, statuses=board_statuses(shown), page=page),
        "stages": stages,
        "filter_query": _filter_query(shown),
    }
    return render(request, f"{TEMPLATE}#column_more", context)


def _board_context(request: HttpRequest, job: Job, **extra) -> dict:
    shown, paged_stage, page = BoardFilterForm(request.GET).values()
    columns = board_columns(job, statuses=board_statuses(shown), paged_stage=paged_stage, page=page)
    abilities = _abilities(request.user, job, has_prospect=_has_prospect(columns))
    context = {
        **job_header_context(request.user, job, "pipeline"),
        **abilities,
        "columns": columns,
        "stages": [c.stage for c in columns],
        "shown": shown,
        "status_choices": BoardFilterForm.base_fields["show"].choices,
        "filter_query": _filter_query(shown),
        "reasons": list(active_rejection_reasons()) if abilities["can_reject"] else [],
        "pools": list(pools_visible_to(request.user)) if abilities["can_pool"] else [],
        "add_form": None,
        **extra,
    }
    if any(card.pk == context.get("focus_card") for c in columns for card in c.cards):
        context["focus_stage"] = None  # the card itself takes the focus, not its column
    if abilities["can_add"] and context["add_form"] is None:
        context["add_form"] = _add_form(abilities)
    return context


def _abilities(user, job: Job, *, has_prospect: bool = True) -> dict[str, bool]:
    """What the board offers this user; the services refuse the rest on direct requests."""
    # One query for the team, then every job_can below reads it from memory.
    prefetch_related_objects([job], "team")
    active = job.status == JobStatus.ACTIVE
    can_move = active and job_can(user, job, Perm.ADVANCE_APPLICATION)
    can_add = active and job_can(user, job, Perm.ADD_APPLICANT)
    abilities = {
        "can_move": can_move,
        "can_reject": active and job_can(user, job, Perm.REJECT_APPLICATION),
        "can_pool": job_can(user, job, Perm.ADVANCE_APPLICATION) and can_use_pools(user),
        "can_add": can_add,
        "can_add_prospect": can_add and has_prospect and job_can(user, job, Perm.ADD_PROSPECT),
    }
    abilities["can_bulk"] = any(abilities[k] for k in ("can_move", "can_reject", "can_pool"))
    return abilities


def _has_prospect(columns) -> bool:
    return any(c.stage.kind == StageKind.PROSPECT for c in columns)


def _add_form(abilities: dict, data=None) -> AddCandidateForm:
    return AddCandidateForm(data, can_add_prospect=abilities["can_add_prospect"])


def _filter_query(shown: list[str]) -> str:
    return urlencode({"show": shown}, doseq=True)


def _board_url(job: Job, request: HttpRequest) -> str:
    shown, _, _ = BoardFilterForm(request.GET).values()
    query = _filter_query(shown)
    url = reverse("jobs:board:board", args=[job.number])
    return f"{url}?{query}" if query else url


def _done(request: HttpRequest, job: Job, **focus) -> HttpResponse:
    """After a write: the refreshed board region for HTMX, else back to the board."""
    if not request.htmx:
        return redirect(_board_url(job, request))
    response = render(request, f"{TEMPLATE}#board_update", _board_context(request, job, **focus))
    return reswap(retarget(response, "#board-region"), "innerHTML")


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _form_error_text(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


# --- Moving and rejecting one card.


def _application_on_job(request: HttpRequest, number: str, pk: int, perm: Perm) -> Application:
    application = application_for_user(request.user, pk, perm=perm)
    if application.job.number != number:
        raise Http404("No such application on this job.")
    return application


@login_required
@require_POST
def move(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    application = _application_on_job(request, number, pk, Perm.ADVANCE_APPLICATION)
    job = application.job
    form = MoveForm(request.POST, job=job)
    if not form.is_valid():
        messages.error(request, f"Nothing changed: {_form_error_text(form)}")
        return _done(request, job, focus_card=application.pk)
    stage = form.cleaned_data["stage"]
    try:
        application = application_move(application=application, stage=stage, by=request.user)
    except ValidationError as exc:
        messages.error(request, f"{application.candidate.full_name}: {_error_text(exc)}")
    else:
        messages.success(request, _moved_text(application))
    return _done(request, job, focus_card=application.pk, focus_stage=application.stage_id)


def _moved_text(application: Application) -> str:
    name = application.candidate.full_name
    if application.status == ApplicationStatus.HIRED:
        return f"{name} hired."
    return f"Moved {name} to {application.stage.name}."


@login_required
@require_http_methods(["GET", "POST"])
def reject(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    application = _application_on_job(request, number, pk, Perm.REJECT_APPLICATION)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            application_reject(application=application, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            name = application.candidate.full_name
            messages.success(request, f"Rejected {name}: {form.cleaned_data['reason']}.")
            return _done(request, application.job, focus_stage=application.stage_id)
    context = {"job": application.job, "application": application, "form": form}
    if request.htmx:
        return render(request, "candidates/board_reject.html#reject_form", context)
    status = 422 if form.is_bound else 200
    return render(request, "candidates/board_reject.html", context, status=status)


# --- Bulk actions: one transaction each, so one failure leaves every card as it was.


def _bulk(request: HttpRequest, action: Callable[[], list], success: str) -> None:
    try:
        action()
    except ValidationError as exc:
        messages.error(request, f"Nothing changed. {_error_text(exc)}")
    else:
        messages.success(request, success)


@login_required
@require_POST
def bulk_move(request: HttpRequest, number: str) -> HttpResponse:
    job = job_for_user(request.user, number, perm=Perm.ADVANCE_APPLICATION)
    applications = board_applications(request.user, job)
    form = BulkMoveForm(request.POST, job=job, applications=applications)
    if not form.is_valid():
        messages.error(request, f"Nothing changed: {_form_error_text(form)}")
        return _done(request, job)
    stage = form.cleaned_data["stage"]
    # Cards already in the target stage are where the user wants them: skipped, not an error.
    to_move = [a for a in form.cleaned_data["applications"] if a.stage_id != stage.pk]
    _bulk(
        request,
        lambda: applications_move(applications=to_move, stage=stage, by=request.user),
        f"Moved {len(to_move)} to {stage.name}.",
    )
    return _done(request, job)


@login_required
@require_POST
def bulk_reject(request: HttpRequest, number: str) -> HttpResponse:
    job = job_for_user(request.user, number, perm=Perm.REJECT_APPLICATION)
    applications = board_applications(request.user, job)
    form = BulkRejectForm(request.POST, applications=applications)
    if not form.is_valid():
        messages.error(request, f"Nothing changed: {_form_error_text(form)}")
        return _done(request, job)
    data = form.cleaned_data
    chosen = list(data["applications"])
    _bulk(
        request,
        lambda: applications_reject(
            applications=chosen, by=request.user, reason=data["reason"], comment=data["comment"]
        ),
        f"Rejected {len(chosen)}: {data['reason']}.",
    )
    return _done(request, job)


@login_required
@require_POST
def bulk_pool(request: HttpRequest, number: str) -> HttpResponse:
    job = job_for_user(request.user, number, perm=Perm.ADVANCE_APPLICATION)
    applications = board_applications(request.user, job)
    pools = pools_visible_to(request.user)
    form = BulkPoolForm(request.POST, applications=applications, pools=pools)
    if not form.is_valid():
        messages.error(request, f"Nothing changed: {_form_error_text(form)}")
        return _done(request, job)
    pool, chosen = form.cleaned_data["pool"], form.cleaned_data["applications"]
    candidates = [a.candidate for a in chosen]
    added = pool_add_members(pool=pool, by=request.user, candidates=candidates)
    skipped = len(candidates) - len(added)
    note = f" ({skipped} already there)" if skipped else ""
    messages.success(request, f"Added {len(added)} to the pool {pool.name}{note}.")
    return _done(request, job)


# --- Adding a candidate to this job.


@login_required
@require_POST
def add_candidate(request: HttpRequest, number: str) -> HttpResponse:
    job = job_for_user(request.user, number, perm=Perm.ADD_APPLICANT)
    abilities = _abilities(request.user, job, has_prospect=job_has_prospect_stage(job))
    form = _add_form(abilities, data=request.POST)
    if form.is_valid():
        try:
            data = form.cleaned_data
            application, created = candidate_add_to_job(
                job=job,
                by=request.user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                phones=[data["phone"]] if data["phone"] else [],
                prospect=bool(data.get("as_prospect")),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _added_text(application, created))
            return _done(request, job, focus_card=application.pk, reset_add_form=True)
    if request.htmx:
        shown, _, _ = BoardFilterForm(request.GET).values()
        context = {"job": job, "add_form": form, "filter_query": _filter_query(shown)}
        return render(request, f"{TEMPLATE}#add_form", context)
    context = _board_context(request, job, add_form=form)
    return render(request, TEMPLATE, context, status=422)


def _added_text(application: Application, created: bool) -> str:
    name, stage = application.candidate.full_name, application.stage.name
    found = "" if created else " (an existing candidate with that email)"
    return f"Added {name}{found} to {stage}."
