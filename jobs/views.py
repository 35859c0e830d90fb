"""The job pages: list, create, edit, the job page's tabs and its lifecycle actions.

Thin views (STYLE 2): a form parses the input, `job_for_user` checks access, one service acts.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from attract.access import Perm, job_for_user
from attract.forms import add_service_errors
from jobs import selectors, services
from jobs.analytics import job_analytics
from jobs.choices import CloseReason, JobStatus, TeamRole
from jobs.countries import country_name
from jobs.forms import (
    CloseForm,
    DecideForm,
    DelegateForm,
    JobCreateForm,
    JobFilterForm,
    JobForm,
    SubmitForm,
    TeamAddForm,
    stage_formset,
)
from jobs.models import Job
from linkedin.selectors_feed import postings_tab_context

PAGE_SIZE = 50
STATUS_BADGE = {
    JobStatus.DRAFT: "text-bg-secondary",
    JobStatus.PENDING_APPROVAL: "text-bg-warning",
    JobStatus.APPROVED: "text-bg-info",
    JobStatus.REJECTED: "text-bg-danger",
    JobStatus.ACTIVE: "text-bg-success",
    JobStatus.CLOSED: "text-bg-dark",
}
GET_POST = require_http_methods(["GET", "POST"])


def _run(form: BaseForm, call: Callable[[dict], Any]) -> Any:
    """Call the service with the form's data; its ValidationError lands on the form."""
    if not form.is_valid():
        return None
    try:
        return call(form.cleaned_data) or True
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


def _can_create_jobs(user) -> bool:
    try:
        services.require_can_create_jobs(user)
    except PermissionDenied:
        return False
    return True


def job_header_context(user, job: Job, tab: str) -> dict:
    """What templates/jobs/job_base.html needs: the header, its actions and the tabs."""
    return {
        "job": job,
        "tab": tab,
        "actions": selectors.job_actions(user, job),
        "status_badge": STATUS_BADGE.get(job.status, "text-bg-secondary"),
    }


def _page(request: HttpRequest, job: Job, tab: str, template: str, context: dict, **kw):
    """Render a tab of the job page (or, for HTMX, the named partial of it)."""
    partial = kw.pop("partial", None)
    context = {**job_header_context(request.user, job, tab), **context}
    name = f"{template}#{partial}" if partial and request.htmx else template
    return render(request, name, context, **kw)


def _data(request: HttpRequest):
    """The submitted data on a POST (even an empty one), None on a GET: unbound form."""
    return request.POST if request.method == "POST" else None


def _invalid(request: HttpRequest) -> int:
    """Status of a re-rendered invalid form: HTMX only swaps 2xx answers in."""
    return 200 if request.htmx else 422


# --- List and create


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    form = JobFilterForm(request.GET or None)
    jobs = selectors.job_list_for(request.user, **form.filters())
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page_obj": page,
        "query_string": query.urlencode(),
        "can_create": _can_create_jobs(request.user),
    }
    name = "jobs/job_list.html#results" if request.htmx else "jobs/job_list.html"
    return render(request, name, context)


@login_required
@GET_POST
def job_create(request: HttpRequest) -> HttpResponse:
    services.require_can_create_jobs(request.user)
    form = JobCreateForm(_data(request))
    if request.method == "POST":
        job = _run(
            form,
            lambda data: services.job_create(
                by=request.user, template=data["template"], **form.job_fields()
            ),
        )
        if job:
            messages.success(request, f"Job {job.number} created as a draft.")
            return redirect("jobs:detail", job.number)
    status = 422 if form.errors else 200
    return render(request, "jobs/job_form.html", {"form": form, "creating": True}, status=status)


# --- The job page and its lifecycle


@login_required
def job_detail(request: HttpRequest, number: str) -> HttpResponse:
    job = job_for_user(request.user, number)
    context = {
        "transitions": selectors.job_transitions(job),
        "approvals": selectors.current_approvals(job),
        "decide_form": DecideForm(),
        "country_name": country_name(job.country) or job.country,
    }
    return _page(request, job, "details", "jobs/job_detail.html", context)


@login_required
@GET_POST
def job_edit(request: HttpRequest, number: str) -> HttpResponse:
    job = job_for_user(request.user, number, perm=Perm.EDIT_JOB)
    before = job.status
    form = JobForm(_data(request), job=job)
    warn = before in (JobStatus.PENDING_APPROVAL, JobStatus.APPROVED, JobStatus.REJECTED)

    def save(data: dict) -> Job:
        return services.job_update(job=job, by=request.user, **form.job_fields())

    def saved(data: dict) -> str:
        note = " It is back to draft: approvals start over." if job.status != before else ""
        return f"Job {job.number} saved.{note}"

    return _action_page(
        request, job, form, "jobs/job_form.html", save, saved, warn_back_to_draft=warn
    )


def _action_page(request, job: Job, form, template: str, call, message, **context):
    """An action with a form: a valid POST calls the service, then goes back to the job."""
    if request.method == "POST":
        if _run(form, call):
            messages.success(request, message(form.cleaned_data))
            return redirect("jobs:detail", job.number)
        job.refresh_from_db()  # the service may have changed the instance before refusing
    status = 422 if form.errors else 200
    return render(request, template, {"job": job, "form": form, **context}, status=status)


@login_required
@GET_POST
def job_submit(request: HttpRequest, number: str) -> HttpResponse:
    job = job_for_user(request.user, number, perm=Perm.EDIT_JOB)
    users, default = selectors.staff_users(), selectors.default_approvers(job)
    form = SubmitForm(_data(request), users=users, default=default)
    return _action_page(
        request,
        job,
        form,
        "jobs/job_submit.html",
        lambda data: services.job_submit_for_approval(
            job=job, by=request.user, approvers=list(data["approvers"])
        ),
        lambda data: f"Job {job.number} submitted for approval.",
    )


@login_required
@GET_POST
def job_decide(request: HttpRequest, number: str) -> HttpResponse:
    job = job_for_user(request.user, number)
    if request.method == "GET" and selectors.pending_approval_of(request.user, job) is None:
        raise PermissionDenied("You have no pending approval on this job.")
    return _action_page(
        request,
        job,
        DecideForm(_data(request)),
        "jobs/job_decide.html",
        lambda data: services.job_decide_approval(
            job=job,
            by=request.user,
            approve=data["decision"] == "approve",
            comment=data["comment"],
        ),
        lambda data: f"You {data['decision']}d job {job.number}.",
    )


@login_required
@require_POST
def job_activate(request: HttpRequest, number: str) -> HttpResponse:
    job = job_for_user(request.user, number, perm=Perm.ACTIVATE_JOB)
    try:
        services.job_activate(job=job, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Job {job.number} activated.")
    return redirect("jobs:detail", job.number)


@login_required
@GET_POST
def job_close(request: HttpRequest, number: str) -> HttpResponse:
    job = job_for_user(request.user, number, perm=Perm.CLOSE_JOB)
    form = CloseForm(_data(request), applications=selectors.applications_to_fill_with(job))
    return _action_page(
        request,
        job,
        form,
        "jobs/job_close.html",
        lambda data: _close(job, request.user, data),
        lambda data: f"Job {job.number} closed.",
    )


def _close(job: Job, by, data: dict) -> Job:
    if data["reason"] == CloseReason.FILLED:
        return services.job_close_filled(
            job=job, by=by, application=data["application"], comment=data["comment"]
        )
    return services.job_close(job=job, by=by, reason=data["reason"], comment=data["comment"])


@login_required
@GET_POST
def job_delete(request: HttpRequest, number: str) -> HttpResponse:
    job = job_for_user(request.user, number, perm=Perm.DELETE_JOB)
    if request.method == "POST":
        services.job_delete(job=job, by=request.user)
        messages.success(request, f"Job {job.number} deleted.")
        return redirect("jobs:list")
    return render(request, "jobs/job_delete.html", {"job": job})


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
    status = _invalid(request) if bound is not None and bound.errors else 200
    context = _team_forms(request, job, bound)
    return _page(request, job, "team", "jobs/job_team.html", context, partial="team", status=status)


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
    member = _run(
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
    member = _run(
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
            status = _invalid(request)
    context = {
        "stages": stages,
        "formset": formset,
        "process_errors": errors,
        "locked": selectors.process_locked(job),
    }
    return _page(
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


# --- Postings and analytics


@login_required
def job_postings(request: HttpRequest, number: str) -> HttpResponse:
    job = job_for_user(request.user, number)
    listed, reason = selectors.career_site_listing(job)
    context = {"listed": listed, "not_listed_reason": reason}
    context.update(postings_tab_context(request.user, job))
    return _page(request, job, "postings", "jobs/job_postings.html", context)


@login_required
def job_analytics_page(request: HttpRequest, number: str) -> HttpResponse:
    job = job_for_user(request.user, number, perm=Perm.VIEW_APPLICANTS)
    return _page(
        request, job, "analytics", "jobs/job_analytics.html", {"stats": job_analytics(job)}
    )
