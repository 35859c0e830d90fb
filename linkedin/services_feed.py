"""Writes of the LinkedIn feed: settings, Post now / Repost / Unpost, token rotation and the
fetch log (LINKEDIN.md 1, 4.1, 4.2; SPEC 2.1, 2.2). The build is in services_feed_build."""

import logging
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from attract.access import Perm, require_admin, require_job
from attract.models import User
from jobs.models import Job
from linkedin import events
from linkedin.feed import (
    linkedin_description,
)
from linkedin.models import (
    FeedFetch,
    LinkedInJobPostingSettings,
    LinkedInPosting,
    PostingStatus,
    RemovedReason,
    new_feed_token,
)
from linkedin.selectors_feed import (
    IN_FEED,
    job_is_public,
    posting_settings,
)

log = logging.getLogger(__name__)

# Reference: LINKEDIN.md 3.3 — the sentence LinkedIn requires beside the enable switch.
TERMS_SENTENCE = "By posting your job to LinkedIn, you agree to LinkedIn's Jobs Terms & Conditions."
FETCH_KEEP_DAYS = 30
FETCH_KEEP_ROWS = 10_000


# --- Settings


@transaction.atomic
def posting_settings_update(
    *, by: User, company_name: str, company_id: str, enabled: bool
) -> LinkedInJobPostingSettings:
    """Save the company name and ID and switch job posting on or off."""
    require_admin(by)
    row = posting_settings()
    row.company_name, row.company_id, row.enabled = company_name.strip(), company_id, enabled
    if enabled and not row.company_id:
        raise ValidationError(
            {"company_id": "Enter the LinkedIn company ID before switching job posting on."}
        )
    row.full_clean()
    row.save(update_fields=["company_name", "company_id", "enabled", "updated_at"])
    events.posting_settings_updated(settings_row=row, by=by, enabled=enabled)
    return row


@transaction.atomic
def feed_token_rotate(*, by: User) -> LinkedInJobPostingSettings:
    """Give the feed a new URL; the old one answers 404 at once."""
    require_admin(by)
    row = posting_settings()
    row.feed_token, row.token_rotated_at = new_feed_token(), timezone.now()
    row.save(update_fields=["feed_token", "token_rotated_at", "updated_at"])
    events.feed_token_rotated(settings_row=row, by=by)
    return row


def feed_path(token: str) -> str:
    return reverse("linkedin:feed", args=[token])


# --- Post now, Repost, Unpost


def _require_can_post(job: Job, by: User) -> None:
    require_job(by, job, Perm.EDIT_POSTINGS)
    if not posting_settings().enabled:
        raise ValidationError(
            "LinkedIn job posting is switched off: an administrator switches it on in the "
            "admin settings (LinkedIn integration)."
        )
    if not job_is_public(job):
        raise ValidationError(
            "Only an active, public job that has not expired can be posted to LinkedIn."
        )


@transaction.atomic
def linkedin_post(*, job: Job, by: User) -> LinkedInPosting:
    """Post the job to LinkedIn: it enters the feed at the next build."""
    _require_can_post(job, by)
    html, length = linkedin_description(job.description)
    posting, created = LinkedInPosting.objects.select_for_update().get_or_create(
        job=job,
        defaults={
            "posted_by": by,
            "posted_at": timezone.now(),
            "feed_description": html,
            "feed_description_length": length,
            "feed_description_of": job.updated_at,
        },
    )
    if not created:
        raise ValidationError(f"{job.number} is already posted to LinkedIn.")
    events.job_posting_changed(posting=posting, by=by, kind="posted")
    return posting


def posting_description_refresh(job: Job) -> None:
    """A job was saved: if it is posted to LinkedIn, prepare the LinkedIn version of its
    description now (one job, in its save's transaction), so that builds find it ready."""
    posting = LinkedInPosting.objects.filter(job=job).values_list("pk", flat=True).first()
    if posting is None:
        return
    html, length = linkedin_description(job.description)
    LinkedInPosting.objects.filter(pk=posting).update(
        feed_description=html, feed_description_length=length, feed_description_of=job.updated_at
    )


@transaction.atomic
def linkedin_repost(*, job: Job, by: User) -> LinkedInPosting:
    """Post a removed job again: pending until the next build."""
    _require_can_post(job, by)
    posting = LinkedInPosting.objects.select_for_update().filter(job=job).first()
    if posting is None or posting.status != PostingStatus.REMOVED:
        raise ValidationError(f"{job.number} is not removed from LinkedIn: nothing to repost.")
    posting.status, posting.posted_by, posting.posted_at = PostingStatus.PENDING, by, timezone.now()
    posting.first_included_at = posting.removed_at = posting.removed_by = None
    posting.removed_reason = ""
    posting.save()
    events.job_posting_changed(posting=posting, by=by, kind="reposted")
    return posting


@transaction.atomic
def linkedin_unpost(*, job: Job, by: User) -> LinkedInPosting:
    """Take the job off LinkedIn: it leaves the feed at the next build."""
    require_job(by, job, Perm.EDIT_POSTINGS)
    posting = LinkedInPosting.objects.select_for_update().filter(job=job).first()
    if posting is None or posting.status not in IN_FEED:
        raise ValidationError(f"{job.number} is not posted to LinkedIn.")
    posting.status, posting.removed_reason = PostingStatus.REMOVED, RemovedReason.UNPOSTED
    posting.removed_at, posting.removed_by = timezone.now(), by
    posting.save(update_fields=["status", "removed_reason", "removed_at", "removed_by"])
    events.job_posting_changed(posting=posting, by=by, kind="unposted")
    return posting


# --- Fetch log


def feed_fetches_prune(*, now: Any = None) -> int:
    """Keep the fetch log bounded: the last 30 days, at most 10,000 rows."""
    now = now or timezone.now()
    deleted, _ = FeedFetch.objects.filter(
        fetched_at__lt=now - timedelta(days=FETCH_KEEP_DAYS)
    ).delete()
    cutoff = FeedFetch.objects.order_by("-id").values_list("id", flat=True)[
        FETCH_KEEP_ROWS : FETCH_KEEP_ROWS + 1
    ]
    boundary = next(iter(cutoff), None)
    if boundary is not None:
        more, _ = FeedFetch.objects.filter(id__lte=boundary).delete()
        deleted += more
    return deleted
