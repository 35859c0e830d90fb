"""The job's hiring team and its process (the job's own stages)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from attract.access import Perm, job_for_user
from jobs import selectors, services
from jobs.choices import TeamRole
from jobs.forms import (
    DelegateForm,
    TeamAddForm,
    stage_formset,
)
from jobs.models import Job
from jobs.views.base import GET_POST, invalid_status, render_tab, run_service

# --- Hiring team


def _team_forms(request: HttpRequest, job: Job, bound: BaseForm | None = None) -> dict:
    actions = selectors.job_actions(request.user, job)
    add_forms = []
    if actions.edit:
        for role in TeamRole:
            users = selectors.users_for_team_role(job, role)
            form = TeamAddForm(role=role.value, label=_add_label(role), users=users)
            add_forms.append(bound if _same(bound, form) else form)
    delegate_forms = []
    for member in selectors.my_principal_memberships(request.user, job):
        users = selectors.users_for_team_role(job, member.role).exclude(pk=request.user.pk)
        form = DelegateForm(principal=member, users=users)
        delegate_forms.append(bound if _same(bound, form) else form)
    return {
        "team": selectors.team_by_role(job),
        "add_forms": add_forms,
        "delegate_forms": delegate_forms,
    }


def _add_label(role: TeamRole) -> str:
    article = "an" if role.label[0] in "AEIOU" else "a"
    return f"Add {article} {role.label.lower()}"


def _same(bound: BaseForm | None, form: BaseForm) -> bool:
    return bound is not None and type(bound) is type(form) and bound.prefix == form.prefix


def _team_page(request: HttpRequest, job: Job, bound: BaseForm | None = None) -> HttpResponse:
    status = invalid_status(request) if bound is not None and bound.errors else 200
    context = _team_forms(request, job, bound)
    return render_tab(
        request, job, "team", "jobs/job_team.html", context, partial="team", status=status
    )


def _team_done(request: HttpRequest, job: Job, message: str) -> HttpResponse:
    messages.success(request, message)
    if request.htmx:
        job.refresh_from_db()  # drops the team prefetched before the change
        return _team_page(request, job)
    return redirect("jobs:team", job.number)


@login_required
@GET_POST
def job_team(request: HttpRequest, number: str) -> HttpResponse:
    perm = Perm.EDIT_JOB if request.method == "POST" else Perm.VIEW_APPLICANTS
    job = job_for_user(request.user, number, perm=perm)
    if request.method == "GET":
        return _team_page(request, job)
    role = request.POST.get("role", "")
    if role not in TeamRole.values:
        return HttpResponseBadRequest("Unknown team role.")
    label = _add_label(TeamRole(role))
    users = selectors.users_for_team_role(job, role)
    form = TeamAddForm(request.POST, role=role, label=label, users=users)
    member = run_service(
        form,
        lambda data: services.team_member_add(
            job=job, by=request.user, user=data["user"], role=role
        ),
    )
    if member:
        return _team_done(
            request, job, f"{member.user} added as {member.get_role_display().lower()}."
        )
    return _team_page(request, job, form)


@login_required
@require_POST
def job_team_delegate(request: HttpRequest, number: str) -> HttpResponse:
    job = job_for_user(request.user, number, perm=Perm.VIEW_APPLICANTS)
    mine = {str(m.pk): m for m in selectors.my_principal_memberships(request.user, job)}
    principal = mine.get(request.POST.get("principal", ""))
    if principal is None:
        raise PermissionDenied("Only the job's recruiters and hiring managers name delegates.")
    users = selectors.users_for_team_role(job, principal.role).exclude(pk=request.user.pk)
    form = DelegateForm(request.POST, principal=principal, users=users)
    member = run_service(
        form,
        lambda data: services.team_delegate_add(
            job=job, by=request.user, delegate=data["delegate"], principal=principal
        ),
    )
    if member:
        return _team_done(request, job, f"{member.user} is now your delegate on {job.number}.")
    return _team_page(request, job, form)


@login_required
@require_POST
def job_team_remove(request: HttpRequest, number: str, member_id: int) -> HttpResponse:
    job = job_for_user(request.user, number, perm=Perm.EDIT_JOB)
    member = selectors.team_member_of(job, member_id)
    try:
        services.team_member_remove(member=member, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        if request.htmx:
            return _team_page(request, job)
        return redirect("jobs:team", job.number)
    return _team_done(request, job, f"{member.user} removed from the hiring team.")


# --- Process


@login_required
@GET_POST
def job_process(request: HttpRequest, number: str) -> HttpResponse:
    perm = Perm.EDIT_JOB if request.method == "POST" else Perm.VIEW_APPLICANTS
    job = job_for_user(request.user, number, perm=perm)
    stages = selectors.job_stages(job)
    formset, errors, status = stage_formset(stages), [], 200
    if request.method == "POST":
        formset = stage_formset(stages, request.POST)
        errors = _save_process(request, job, formset)
        if errors is None:
            messages.success(request, f"The process of {job.number} is saved.")
            if not request.htmx:
                return redirect("jobs:process", job.number)
            stages = selectors.job_stages(job)
            formset, errors = stage_formset(stages), []
        else:
            status = invalid_status(request)
    context = {
        "stages": stages,
        "formset": formset,
        "process_errors": errors,
        "locked": selectors.process_locked(job),
    }
    return render_tab(
        request, job, "process", "jobs/job_process.html", context, partial="process", status=status
    )


def _save_process(request: HttpRequest, job: Job, formset) -> list[str] | None:
    """None once saved; else the service's messages (the formset shows its own errors)."""
    if not formset.is_valid():
        return []
    try:
        stages = formset.specs(request.POST.get("action", "save"))
        services.job_process_set(job=job, by=request.user, stages=stages)
    except ValidationError as exc:
        return exc.messages
    return None
