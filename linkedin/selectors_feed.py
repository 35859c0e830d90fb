"""Reads of the LinkedIn feed: settings, the rows a build streams, the live build, the admin
tab's build and fetch history, and the LinkedIn row of a job's Postings tab."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db.models import BooleanField, Case, DateTimeField, F, Q, TextField, Value, When
from django.db.models.functions import TruncDate
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from attract.access import Perm, job_can
from attract.models import User
from attract.selectors import organisation_get
from jobs.choices import JobStatus
from jobs.models import Job
from jobs.public import public_jobs
from linkedin.feed import Description, FeedContext, Verdict, check_job, linkedin_description
from linkedin.models import (
    BuildStatus,
    FeedBuild,
    FeedFetch,
    LinkedInJobPostingSettings,
    LinkedInPosting,
    PostingStatus,
    RemovedReason,
)
from linkedin.selectors_sync import job_sync_line

FETCHES_SHOWN = 20
REPORT_SHOWN = 200
PAGE_SIZE = 2000
IN_FEED = (PostingStatus.PENDING, PostingStatus.POSTED)
# The day a job first entered the feed (its listDate), as LinkedIn's dates are days (UTC).
LISTED_ON = TruncDate("linkedin_posting__first_included_at", tzinfo=UTC)
LIVE_FIELDS = (
    "live_name",
    "live_gzip_name",
    "live_etag",
    "live_built_at",
    "live_bytes",
    "live_gzip_bytes",
)


def posting_settings() -> LinkedInJobPostingSettings:
    """The job-posting settings row, created (with a fresh feed token) on first use."""
    row, _ = LinkedInJobPostingSettings.objects.get_or_create(pk=1)
    return row


def live_feed(token: str) -> dict[str, Any] | None:
    """The published build for this feed token, in one query; None when the token is not the
    current one or posting is switched off (both answer 404)."""
    return (
        LinkedInJobPostingSettings.objects.filter(pk=1, feed_token=token, enabled=True)
        .values(*LIVE_FIELDS)
        .first()
    )


def feed_rows(page_size: int = PAGE_SIZE) -> Iterator[Any]:
    """Every active, public, unexpired job posted to LinkedIn, as named tuples in job order.

    Read in pages of `page_size` jobs after the last job id seen (keyset paging): memory stays
    flat however many jobs, each page is one plain query, and no server-side cursor holds a
    copy of the whole result. A job that changes while the build runs is read at most once.
    The related rows (posting, poster) come in the same query. A description whose LinkedIn
    version is cached for the job's current state is not even fetched.
    """
    fresh = Q(linkedin_posting__feed_description_of=F("updated_at"))
    rows = (
        public_jobs()
        .filter(linkedin_posting__status__in=IN_FEED)
        .annotate(
            posting_id=F("linkedin_posting__id"),
            listed_on=LISTED_ON,
            poster_email=F("poster__email"),
            cached=F("linkedin_posting__feed_description"),
            cached_length=F("linkedin_posting__feed_description_length"),
            fresh=Case(
                When(fresh, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
            # What a stale description needs (the text and the job's version); nothing when fresh.
            raw=Case(
                When(fresh, then=Value("")), default=F("description"), output_field=TextField()
            ),
            raw_of=Case(
                When(fresh, then=Value(None)),
                default=F("updated_at"),
                output_field=DateTimeField(),
            ),
        )
        .order_by("pk")
        .values_list(*FEED_COLUMNS, named=True)
    )
    last = 0
    while True:
        # The posting's side gets the bound too, so that both index scans start at `last`.
        page = list(rows.filter(pk__gt=last, linkedin_posting__job__gt=last)[:page_size])
        yield from page
        if len(page) < page_size:
            return
        last = page[-1].pk


FEED_COLUMNS = (
    "pk",
    "number",
    "title",
    "raw",
    "fresh",
    "cached",
    "cached_length",
    "raw_of",
    "city",
    "region",
    "country",
    "postal_code",
    "workplace_type",
    "employment_type",
    "seniority",
    "job_function",
    "industry",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "publish_salary",
    "expires_on",
    "posting_id",
    "listed_on",
    "poster_email",
)


def feed_row_for(job: Job) -> Any:
    """One job as a feed row (whatever its status): for the Post now preview."""
    return (
        Job.objects.filter(pk=job.pk)
        .annotate(
            posting_id=F("linkedin_posting__id"),
            listed_on=LISTED_ON,
            poster_email=F("poster__email"),
            cached=Value("", output_field=TextField()),
            cached_length=Value(0),
            fresh=Value(False, output_field=BooleanField()),
            raw=F("description"),
            raw_of=F("updated_at"),
        )
        .values_list(*FEED_COLUMNS, named=True)
        .get()
    )


def feed_context(config: LinkedInJobPostingSettings, now: Any = None) -> FeedContext:
    """What every job of a build shares: company, company ID, apply URL base, build time."""
    organisation = organisation_get()
    company = config.company_name.strip() or organisation.company_name.strip()
    base = organisation.public_site_url.strip().rstrip("/")
    return FeedContext(
        company=company,
        company_id=config.company_id,
        apply_base=base,
        apply_path=_career_path(),
        built_at=now or timezone.now(),
        # Guess: for a self-hosted ATS the organisation itself is the feed's publisher.
        publisher=company,
        publisher_url=base,
    )


def _career_path() -> str:
    marker = "J-000000"
    try:
        path = reverse("careers:job", args=[marker])
    except NoReverseMatch:
        # The career site's job page (SPEC 1 "Career site"): /careers/<number>/.
        path = f"/careers/{marker}/"
    return path.replace(marker, "{number}")


def apply_url(job: Job) -> str:
    """The career-site job page LinkedIn's Apply button opens (the feed's applyUrl)."""
    return feed_context(posting_settings()).apply_url(job.number)


def posting_preview(job: Job) -> Verdict:
    """What the next build would make of the job: its feed values or the rules it breaks."""
    row = feed_row_for(job)
    return check_job(
        row, feed_context(posting_settings()), Description(*linkedin_description(row.raw))
    )


def confirm_context(job: Job) -> dict[str, Any]:
    """The Post now confirmation: the apply URL and what the next build would make of the job."""
    config = posting_settings()
    ctx = feed_context(config)
    problem = ""
    if not config.enabled:
        problem = "LinkedIn job posting is switched off: an administrator switches it on first."
    elif not job_is_public(job):
        problem = "Only an active, public job that has not expired can be posted to LinkedIn."
    return {
        "apply_url": ctx.apply_url(job.number) if ctx.apply_base else "",
        "company": ctx.company,
        "company_id": ctx.company_id,
        "preview": posting_preview(job),
        "problem": problem,
    }


# --- Admin tab


def last_build() -> FeedBuild | None:
    return FeedBuild.objects.select_related("triggered_by").first()


def last_ok_build() -> FeedBuild | None:
    return FeedBuild.objects.filter(status=BuildStatus.OK).first()


def last_fetches(limit: int = FETCHES_SHOWN) -> list[FeedFetch]:
    return list(FeedFetch.objects.all()[:limit])


# --- The LinkedIn row of a job's Postings tab


@dataclass
class PostingRow:
    state: str  # not_posted, pending, posted, excluded, removed
    label: str
    badge: str
    detail: str = ""
    since: datetime | None = None
    reasons: list[dict[str, str]] = field(default_factory=list)
    enabled: bool = False
    can_edit: bool = False
    can_post: bool = False
    can_repost: bool = False
    can_unpost: bool = False


def job_is_public(job: Job) -> bool:
    """Active, not internal and not past its expiry date: what the career site lists."""
    today = timezone.localdate()
    return job.is_public and (job.expires_on is None or job.expires_on >= today)


def _gone_reason(job: Job) -> str:
    if job.status == JobStatus.CLOSED:
        return RemovedReason.CLOSED
    if job.status == JobStatus.ACTIVE and not job.internal_only:
        return RemovedReason.EXPIRED
    return RemovedReason.NOT_PUBLIC


def _state(posting: LinkedInPosting | None, job: Job) -> PostingRow:
    if posting is None:
        return PostingRow("not_posted", "Not posted", "text-bg-secondary")
    if posting.status == PostingStatus.REMOVED:
        return _removed(posting.removed_reason, posting.removed_at)
    if not job_is_public(job):
        return _removed(_gone_reason(job), None)
    if posting.excluded:
        row = PostingRow("excluded", "Excluded", "text-bg-danger", reasons=posting.exclusions)
        row.detail = "The last feed build left this job out:"
        return row
    if posting.status == PostingStatus.PENDING:
        return PostingRow(
            "pending",
            "Pending",
            "text-bg-warning",
            detail="The job enters LinkedIn's feed at the next build (LinkedIn then takes up "
            "to 48 hours to show it).",
        )
    return PostingRow(
        "posted", "Posted in feed", "text-bg-success", since=posting.first_included_at
    )


def _removed(reason: str, when: datetime | None) -> PostingRow:
    label = RemovedReason(reason).label if reason in RemovedReason.values else "Removed"
    row = PostingRow("removed", "Removed", "text-bg-dark", since=when)
    row.detail = f"{label}: the job leaves LinkedIn's feed at the next build."
    return row


def posting_row(user: User, job: Job) -> PostingRow:
    """The job's LinkedIn status and the actions this user may take on it."""
    posting = LinkedInPosting.objects.filter(job=job).first()
    config = posting_settings()
    row = _state(posting, job)
    row.enabled = config.enabled
    row.can_edit = job_can(user, job, Perm.EDIT_POSTINGS)
    if row.can_edit and config.enabled and job_is_public(job):
        row.can_post = posting is None
        row.can_repost = posting is not None and posting.status == PostingStatus.REMOVED
    row.can_unpost = row.can_edit and posting is not None and posting.status in IN_FEED
    return row


def postings_tab_context(user: User, job: Job) -> dict[str, Any]:
    """What the LinkedIn rows of templates/jobs/job_postings.html need: the feed listing and
    LinkedIn's answer for the job sent to LinkedIn Recruiter (In-ATS sync)."""
    return {"linkedin": posting_row(user, job), "linkedin_sync": job_sync_line(user, job)}
