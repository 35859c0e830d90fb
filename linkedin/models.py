"""LinkedIn limited listings: the organisation's job-posting settings, per-job postings, the
daily feed builds and the log of LinkedIn's fetches of the feed (LINKEDIN.md 1, 4.1-4.3)."""

import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone


def new_feed_token() -> str:
    """An unguessable feed URL token (256 bits)."""
    return secrets.token_urlsafe(32)


# Reference: LINKEDIN.md 1.4 — companyId is the numeric ID in the LinkedIn Page admin URL.
validate_company_id = RegexValidator(
    r"^[1-9][0-9]{0,18}$",
    "The LinkedIn company ID is a number, e.g. 1234567 (from your LinkedIn Page's admin URL).",
    code="invalid_company_id",
)


class LinkedInJobPostingSettings(models.Model):
    """The organisation's job-posting settings (a singleton row, pk=1) and the live feed's
    pointer: the feed view reads everything it needs from this one row in one query."""

    company_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="Must match your LinkedIn Page name. Empty: the organisation's name.",
    )
    company_id = models.CharField(
        "LinkedIn company ID", max_length=19, blank=True, validators=[validate_company_id]
    )
    enabled = models.BooleanField(default=False)
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    token_rotated_at = models.DateTimeField(null=True, blank=True)
    # The published build, denormalised so that serving the feed costs one query.
    live_build = models.ForeignKey(
        "FeedBuild", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    live_name = models.CharField(max_length=200, blank=True)
    live_gzip_name = models.CharField(max_length=200, blank=True)
    live_etag = models.CharField(max_length=80, blank=True)
    live_built_at = models.DateTimeField(null=True, blank=True)
    live_bytes = models.PositiveBigIntegerField(default=0)
    live_gzip_bytes = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "LinkedIn job-posting settings"
        verbose_name_plural = "LinkedIn job-posting settings"

    def __str__(self) -> str:
        return f"LinkedIn job posting ({'on' if self.enabled else 'off'})"

    def save(self, *args, **kwargs) -> None:
        from linkedin.feed_serve import pointer_forget

        self.pk = 1
        pointer_forget()  # the token, the switch or the live build may change: re-read it
        super().save(*args, **kwargs)


class PostingStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    POSTED = "posted", "Posted"
    REMOVED = "removed", "Removed"


class RemovedReason(models.TextChoices):
    UNPOSTED = "unposted", "Unposted"
    CLOSED = "closed", "Job closed"
    EXPIRED = "expired", "Job expired"
    NOT_PUBLIC = "not_public", "Job no longer public"


class LinkedInPosting(models.Model):
    """A job posted to LinkedIn as a limited listing: in every feed build while it is posted."""

    job = models.OneToOneField(
        "jobs.Job", on_delete=models.CASCADE, related_name="linkedin_posting"
    )
    status = models.CharField(
        max_length=10, choices=PostingStatus.choices, default=PostingStatus.PENDING
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    posted_at = models.DateTimeField()
    # Start of the current posting period in the feed (cleared by a repost).
    first_included_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.CharField(max_length=12, choices=RemovedReason.choices, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set by each build: the rules the job broke, [] when it was included.
    exclusions = models.JSONField(default=list, blank=True)
    excluded = models.BooleanField(default=False)
    # The description narrowed to LinkedIn's tags, kept for as long as the job is unchanged:
    # a daily build of unchanged jobs then never sanitises again.
    feed_description = models.TextField(blank=True)
    feed_description_length = models.PositiveIntegerField(default=0)
    feed_description_of = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["status"], name="linkedin_posting_status_idx")]

    def __str__(self) -> str:
        return f"{self.job_id} on LinkedIn: {self.status}"


class BuildStatus(models.TextChoices):
    RUNNING = "running", "Running"
    OK = "ok", "OK"
    FAILED = "failed", "Failed"


class BuildTrigger(models.TextChoices):
    SCHEDULE = "schedule", "Daily schedule"
    ADMIN = "admin", "Build now"
    COMMAND = "command", "Command line"


class FeedBuild(models.Model):
    """One build of the feed: what went in, what was left out and why, and how it went."""

    started_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=BuildStatus.choices, default=BuildStatus.RUNNING
    )
    trigger = models.CharField(max_length=10, choices=BuildTrigger.choices)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    included = models.PositiveIntegerField(default=0)
    excluded = models.PositiveIntegerField(default=0)
    bytes = models.PositiveBigIntegerField(default=0)
    gzip_bytes = models.PositiveBigIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    storage_name = models.CharField(max_length=200, blank=True)
    gzip_storage_name = models.CharField(max_length=200, blank=True)
    etag = models.CharField(max_length=80, blank=True)
    # [{"job_id", "number", "title", "reasons": [{"rule", "message"}]}] for each excluded job.
    report = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        get_latest_by = "started_at"

    def __str__(self) -> str:
        return f"Feed build {self.pk} ({self.status})"


class FeedFetch(models.Model):
    """A fetch of the feed URL (LinkedIn's scraper, or anyone holding the URL)."""

    # The time of the request: rows are written in batches after it (linkedin.feed_serve).
    fetched_at = models.DateTimeField(default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    status = models.PositiveSmallIntegerField()
    bytes = models.PositiveBigIntegerField(default=0)
    gzip = models.BooleanField(default=False)

    class Meta:
        ordering = ["-fetched_at", "-id"]

    def __str__(self) -> str:
        return f"{self.fetched_at:%Y-%m-%d %H:%M} {self.ip} {self.status}"


from linkedin.models_prospects import *  # noqa: E402,F403
from linkedin.models_rsc import *  # noqa: E402,F403 - RSC models live in their own module
from linkedin.models_sync import *  # noqa: E402,F403
