"""The job page's Postings and Analytics tabs."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from attract.access import Perm, job_for_user
from jobs import selectors
from jobs.analytics import job_analytics
from jobs.views.base import render_tab
from linkedin.selectors_feed import postings_tab_context

# --- Postings and analytics


@login_required
def job_postings(request: HttpRequest, number: str) -> HttpResponse:
    job = job_for_user(request.user, number)
    listed, reason = selectors.career_site_listing(job)
    context = {"listed": listed, "not_listed_reason": reason}
    context.update(postings_tab_context(request.user, job))
    return render_tab(request, job, "postings", "jobs/job_postings.html", context)


@login_required
def job_analytics_page(request: HttpRequest, number: str) -> HttpResponse:
    job = job_for_user(request.user, number, perm=Perm.VIEW_APPLICANTS)
    return render_tab(
        request, job, "analytics", "jobs/job_analytics.html", {"stats": job_analytics(job)}
    )
