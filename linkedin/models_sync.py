"""LinkedIn → Attract 1-click exports: one row per export request, accepted or refused."""

from typing import Any

from django.db import models
from django.utils import timezone

__all__ = ["ExportRequest", "JobPostingTask", "OutboxRow", "PullRun", "SyncSettings"]


class ExportRequest(models.Model):
    """An EXPORT_CANDIDATE_PROFILE push handled once per request id (refused: with its reason)."""

    class Status(models.TextChoices):
        IMPORTED = "imported", "Imported"
        REFUSED = "refused", "Refused"

    request_id = models.CharField(max_length=200, unique=True)
    job_number = models.CharField(max_length=200, blank=True)
    seat_urn = models.CharField(max_length=100, blank=True)
    member_urn = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices)
    reason = models.CharField(max_length=500, blank=True)
    # A plain id, not a foreign key: this migration may not depend on the candidates app.
    application_pk = models.PositiveBigIntegerField(null=True, blank=True)
    matched_on_linkedin = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"], name="export_status_idx")]

    def __str__(self) -> str:
        return f"{self.request_id} {self.status}"


class OutboxRow(models.Model):
    """One change LinkedIn must learn (In-ATS indicator), written in the change's transaction.

    The record is rebuilt when sent, so rows of one entity collapse into its latest state."""

    class EntityType(models.TextChoices):
        JOB = "job", "Job"
        CANDIDATE = "candidate", "Candidate"
        APPLICATION = "application", "Application"
        APPLICATION_STAGE = "application_stage", "Application stage"
        NOTE = "note", "Note"
        FEEDBACK = "feedback", "Interview feedback"

    class Operation(models.TextChoices):
        UPSERT = "upsert", "Create or update"
        DELETE = "delete", "Delete"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Done"
        PARKED = "parked", "Parked"

    entity_type = models.CharField(max_length=20, choices=EntityType.choices)
    entity_id = models.CharField(max_length=64)
    operation = models.CharField(max_length=8, choices=Operation.choices, default=Operation.UPSERT)
    payload = models.JSONField(default=dict, blank=True)  # what a delete needs once the row is gone
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at", "id"], name="outbox_drain_idx"),
            models.Index(fields=["entity_type", "entity_id"], name="outbox_entity_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.operation} {self.entity_type} {self.entity_id} ({self.status})"


class SyncSettings(models.Model):
    """The organisation's In-ATS sync settings (one row, pk=1)."""

    class Availability(models.TextChoices):
        # Reference: LINKEDIN.md 2.5, simpleJobPostings `availability` (RSC extension field).
        PRIVATE = "PRIVATE_TO_ATS_INTEGRATION", "Only in LinkedIn Recruiter (for 1-click export)"
        PUBLIC = "PUBLIC", "Also as a public job posting on LinkedIn"

    job_availability = models.CharField(
        max_length=32, choices=Availability.choices, default=Availability.PRIVATE
    )
    # The full history (LINKEDIN.md 2.5): asked for on the first enablement or by an
    # administrator, then queued once as the outbox rows first_row..last_row.
    history_requested_at = models.DateTimeField(null=True, blank=True)
    history_queued_at = models.DateTimeField(null=True, blank=True)
    history_first_row = models.PositiveBigIntegerField(null=True, blank=True)
    history_last_row = models.PositiveBigIntegerField(null=True, blank=True)
    history_rows = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "LinkedIn sync settings"

    def __str__(self) -> str:
        return f"LinkedIn sync: jobs {self.job_availability}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1
        super().save(*args, **kwargs)


class PullRun(models.Model):
    """One pull of one kind for one seat (LinkedIn → Attract): what it stored, or why it failed."""

    flow = models.CharField(max_length=16)  # a ProspectFlow value
    seat_urn = models.CharField(max_length=100)
    finished_at = models.DateTimeField(default=timezone.now)
    records_in = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-finished_at", "-id"]
        # The dashboard's counts read the last 7 days per flow.
        indexes = [models.Index(fields=["finished_at", "flow"], name="pull_run_recent_idx")]

    def __str__(self) -> str:
        return f"{self.flow} {self.seat_urn} +{self.records_in}{' failed' if self.error else ''}"


class JobPostingTask(models.Model):
    """One simpleJobPostings task LinkedIn answered for a job the outbox sent (LINKEDIN.md 3.1):
    in progress until polled back as succeeded, failed (refused, with LinkedIn's message),
    processed, or given up after the 30 days LinkedIn keeps a task."""

    class Operation(models.TextChoices):
        CREATE = "CREATE", "Create"
        UPDATE = "UPDATE", "Update"
        CLOSE = "CLOSE", "Close"

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "Waiting for LinkedIn"
        SUCCEEDED = "succeeded", "Synced"
        FAILED = "failed", "Refused by LinkedIn"
        PROCESSED = "processed", "Processed by LinkedIn"
        EXPIRED = "expired", "No answer from LinkedIn"

    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="linkedin_tasks")
    task_urn = models.CharField(max_length=200, unique=True)
    operation = models.CharField(max_length=8, choices=Operation.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    submitted_at = models.DateTimeField(default=timezone.now)
    checked_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    job_posting_urn = models.CharField(max_length=100, blank=True)
    error_message = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            # The poller reads the tasks in progress, oldest first.
            models.Index(fields=["status", "submitted_at"], name="job_task_poll_idx"),
            # The Postings tab and the dashboard read each job's latest task.
            models.Index(fields=["job", "-submitted_at", "-id"], name="job_task_latest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.operation} {self.task_urn} ({self.status})"

    @property
    def job_posting_id(self) -> str:
        """LinkedIn's job posting id (`urn:li:jobPosting:123` → `123`)."""
        return self.job_posting_urn.rsplit(":", 1)[-1] if self.job_posting_urn else ""
