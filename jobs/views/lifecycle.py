"""The job list, create and edit, the job page and its lifecycle actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from attract.access import Perm, job_for_user
from jobs import selectors, services
from jobs.choices import CloseReason, JobStatus
from jobs.countries import country_name
from jobs.forms import (
    CloseForm,
    DecideForm,
    JobCreateForm,
    JobFilterForm,
    JobForm,
    SubmitForm,
)
from jobs.models import Job
from jobs.views.base import GET_POST, post_data, render_tab, run_service

PAGE_SIZE = 50


def _can_create_jobs(user) -> bool:
    try:
        services.require_can_create_jobs(user)
    except PermissionDenied:
        return False
    return True


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
    form = JobCreateForm(post_data(request))
    if request.method == "POST":
        job = run_service(
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
    return render_tab(request, job, "details", "jobs/job_detail.html", context)


@login_required
@GET_POST
def job_edit(request: HttpRequest, number: str) -> HttpResponse:
    job = job_for_user(request.user, number, perm=Perm.EDIT_JOB)
    before = job.status
    form = JobForm(post_data(request), job=job)
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
        if run_service(form, call):
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
    form = SubmitForm(post_data(request), users=users, default=default)
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
        DecideForm(post_data(request)),
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
    form = CloseForm(post_data(request), applications=selectors.applications_to_fill_with(job))
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
