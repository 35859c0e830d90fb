"""The public feed, the admin tab's job-posting actions and a job's Post now / Repost / Unpost.

Thin views (STYLE 2): a form parses, the access helpers check, one service acts.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseNotFound,
    HttpResponseNotModified,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from attract.access import Perm, job_for_user, require_job
from attract.forms import add_service_errors
from attract.views.admin_base import INVALID, admin_view
from linkedin import admin_feed, admin_rsc, feed_store, selectors_feed, services_feed
from linkedin.forms_feed import ConfirmForm, PostingSettingsForm
from linkedin.models import BuildTrigger
from linkedin.tasks import build_feed

log = logging.getLogger(__name__)
FEED_TYPE = "application/xml; charset=utf-8"

# --- The public feed (no sign-in: LinkedIn's scraper fetches it)


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponseBase:
    """The live build, from storage: one query, then the fetch log."""
    live = selectors_feed.live_feed(token)
    if live is None:
        # Plain text: no template, no further query for a wrong, rotated or disabled URL.
        return HttpResponseNotFound("No such feed.", content_type="text/plain")
    if not live["live_name"]:
        return _logged(request, _not_built(), size=0, gzip=False)
    gzip = bool(live["live_gzip_name"]) and _accepts_gzip(request)
    etag = live["live_etag"]
    if _not_modified(request, etag, live["live_built_at"]):
        response: HttpResponseBase = HttpResponseNotModified()
        size = 0
    else:
        name, size = (
            (live["live_gzip_name"], live["live_gzip_bytes"])
            if gzip
            else (live["live_name"], live["live_bytes"])
        )
        try:
            response = FileResponse(
                feed_store.open_feed(name), content_type=FEED_TYPE, filename="linkedin-jobs.xml"
            )
        except FileNotFoundError:
            log.error("The live LinkedIn feed file %s is missing", name)
            return _logged(request, _not_built(), size=0, gzip=False)
        response.block_size = 1 << 20  # when the server has no sendfile(): few, large reads
        if gzip:
            response["Content-Encoding"] = "gzip"
        response["Content-Length"] = str(size)
    response["ETag"] = f'"{etag}-gzip"' if gzip else f'"{etag}"'
    response["Last-Modified"] = http_date(live["live_built_at"].timestamp())
    response["Vary"] = "Accept-Encoding"
    response["Cache-Control"] = "public, no-cache"
    return _logged(request, response, size=size if request.method == "GET" else 0, gzip=gzip)


def _not_built() -> HttpResponse:
    response = HttpResponse(
        "The feed has not been built yet.", status=503, content_type="text/plain"
    )
    response["Retry-After"] = "3600"
    return response


def _accepts_gzip(request: HttpRequest) -> bool:
    for coding in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        name, _, params = coding.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _not_modified(request: HttpRequest, etag: str, built_at: Any) -> bool:
    """RFC 9110 13.1.2-3: If-None-Match wins over If-Modified-Since. Both representations
    (plain and gzip) hold the same feed, so either tag matches."""
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = {f'"{etag}"', f'"{etag}-gzip"'}
        wanted = parse_etags(if_none_match)
        return wanted == ["*"] or any(tag.removeprefix("W/") in tags for tag in wanted)
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and int(built_at.timestamp()) <= since


def _logged(
    request: HttpRequest, response: HttpResponseBase, *, size: int, gzip: bool
) -> HttpResponseBase:
    services_feed.feed_fetch_log(
        ip=_client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        status=response.status_code,
        size=size,
        gzip=gzip,
    )
    return response


def _client_ip(request: HttpRequest) -> str | None:
    # Behind the production proxy the client is the last hop it appended; otherwise the peer.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and forwarded:
        return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


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
