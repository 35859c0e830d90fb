"""What every job page shares: the header and tabs, partial rendering, form handling."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from attract.forms import add_service_errors
from jobs import selectors
from jobs.choices import JobStatus
from jobs.models import Job

STATUS_BADGE = {
    JobStatus.DRAFT: "text-bg-secondary",
    JobStatus.PENDING_APPROVAL: "text-bg-warning",
    JobStatus.APPROVED: "text-bg-info",
    JobStatus.REJECTED: "text-bg-danger",
    JobStatus.ACTIVE: "text-bg-success",
    JobStatus.CLOSED: "text-bg-dark",
}
GET_POST = require_http_methods(["GET", "POST"])


def run_service(form: BaseForm, call: Callable[[dict], Any]) -> Any:
    """Call the service with the form's data; its ValidationError lands on the form."""
    if not form.is_valid():
        return None
    try:
        return call(form.cleaned_data) or True
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


def job_header_context(user, job: Job, tab: str) -> dict:
    """What templates/jobs/job_base.html needs: the header, its actions and the tabs."""
    return {
        "job": job,
        "tab": tab,
        "actions": selectors.job_actions(user, job),
        "status_badge": STATUS_BADGE.get(job.status, "text-bg-secondary"),
    }


def render_tab(request: HttpRequest, job: Job, tab: str, template: str, context: dict, **kw):
    """Render a tab of the job page (or, for HTMX, the named partial of it)."""
    partial = kw.pop("partial", None)
    context = {**job_header_context(request.user, job, tab), **context}
    name = f"{template}#{partial}" if partial and request.htmx else template
    return render(request, name, context, **kw)


def post_data(request: HttpRequest):
    """The submitted data on a POST (even an empty one), None on a GET: unbound form."""
    return request.POST if request.method == "POST" else None


def invalid_status(request: HttpRequest) -> int:
    """Status of a re-rendered invalid form: HTMX only swaps 2xx answers in."""
    return 200 if request.htmx else 422
