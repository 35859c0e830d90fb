"""The public feed, the admin tab's job-posting actions and a job's Post now / Repost / Unpost.

Thin views (STYLE 2): a form parses, the access helpers check, one service acts.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from attract.access import Perm, job_for_user, require_job
from attract.forms import add_service_errors
from attract.views.admin_base import INVALID, admin_view
from linkedin import admin_feed, admin_rsc, feed_serve, selectors_feed, services_feed
from linkedin.forms_feed import ConfirmForm, PostingSettingsForm
from linkedin.models import BuildTrigger
from linkedin.tasks import build_feed

log = logging.getLogger(__name__)

# --- The public feed (no sign-in: LinkedIn's scraper fetches it)


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponseBase:
    """The live build, from storage: one query, then the fetch log; the fetches that follow
    take the fast path (`linkedin.feed_wsgi.FeedApp`)."""
    row = selectors_feed.live_feed(token)
    if row is None:
        # Plain text: no template, no further query for a wrong, rotated or disabled URL.
        return HttpResponseNotFound("No such feed.", content_type="text/plain")
    if not row["live_name"]:
        return feed_serve.not_built(request)
    live = feed_serve.LiveFeed.from_row(row)
    response = feed_serve.respond(request, live)
    if response is None:
        log.error("The live LinkedIn feed file %s is missing", live.name)
        return feed_serve.not_built(request)
    feed_serve.pointer_write(token, live)
    return response


# --- Admin tab: settings, rotate URL, build now


def _tab(request: HttpRequest, form: PostingSettingsForm) -> HttpResponse:
    context = {"tab": "linkedin", **admin_feed.admin_context(request, form=form)}
    context.update(admin_rsc.admin_context(request))
    return render(request, "settings/linkedin.html", context, status=INVALID)


@admin_view
@require_POST
def settings_save(request: HttpRequest) -> HttpResponse:
    form = PostingSettingsForm(request.POST)
    if form.is_valid():
        try:
            row = services_feed.posting_settings_update(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            state = "on" if row.enabled else "off"
            messages.success(request, f"LinkedIn job-posting settings saved (posting is {state}).")
            return redirect("settings:linkedin")
    return _tab(request, form)


@admin_view
@require_POST
def token_rotate(request: HttpRequest) -> HttpResponse:
    services_feed.feed_token_rotate(by=request.user)
    messages.success(
        request, "The feed has a new URL: give it to LinkedIn. The old URL now answers 404."
    )
    return redirect("settings:linkedin")


@admin_view
@require_POST
def build_now(request: HttpRequest) -> HttpResponse:
    if not selectors_feed.posting_settings().enabled:
        messages.error(request, "Switch LinkedIn job posting on before building the feed.")
        return redirect("settings:linkedin")
    build_feed.delay(trigger=BuildTrigger.ADMIN, by_id=request.user.pk)
    messages.success(
        request, "Feed build started: its result shows under “Last build” when it finishes."
    )
    return redirect("settings:linkedin")


# --- A job's LinkedIn row: Post now (with confirmation), Repost, Unpost

Action = Callable[..., Any]
CONFIRM = {
    "post": (services_feed.linkedin_post, "posted to LinkedIn"),
    "repost": (services_feed.linkedin_repost, "reposted to LinkedIn"),
}


def _confirm(request: HttpRequest, number: str, action: str) -> HttpResponse:
    job = job_for_user(request.user, number)
    require_job(request.user, job, Perm.EDIT_POSTINGS)
    service, done = CONFIRM[action]
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            service(job=job, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"{job.number} is {done}: it enters the feed at the next build."
            )
            return redirect("jobs:postings", job.number)
    context = {"job": job, "action": action, "form": form, **selectors_feed.confirm_context(job)}
    return render(
        request, "linkedin/posting_confirm.html", context, status=INVALID if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def posting_post(request: HttpRequest, number: str) -> HttpResponse:
    return _confirm(request, number, "post")


@login_required
@require_http_methods(["GET", "POST"])
def posting_repost(request: HttpRequest, number: str) -> HttpResponse:
    return _confirm(request, number, "repost")


@login_required
@require_POST
def posting_unpost(request: HttpRequest, number: str) -> HttpResponse:
    job = job_for_user(request.user, number)
    try:
        services_feed.linkedin_unpost(job=job, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"{job.number} is unposted: it leaves LinkedIn's feed at the next build."
        )
    return redirect("jobs:postings", job.number)
