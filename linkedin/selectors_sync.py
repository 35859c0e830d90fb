"""Reads for the sync dashboard on the admin LinkedIn tab (administrators only), and LinkedIn's
answer for a job sent to LinkedIn Recruiter (the job's Postings tab)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from attract.access import jobs_visible_to, require_admin
from attract.models import User
from jobs.models import Job
from linkedin.models_prospects import ProspectFlow
from linkedin.models_rsc import WebhookEvent
from linkedin.models_sync import ExportRequest, JobPostingTask, OutboxRow, PullRun, SyncSettings

RECENT_REFUSALS = 20
RECENT_PARKED = 20
RECENT_REFUSED_JOBS = 20
LAST_RUN_KEY = "linkedin:outbox-last-run"  # written by services_outbox.outbox_drain


@dataclass
class OutboxSummary:
    pending: int = 0
    parked: int = 0
    oldest_pending_at: datetime | None = None
    last_run: dict | None = None
    every_minutes: int = 1
    next_run_at: datetime | None = None
    parked_rows: list[OutboxRow] = field(default_factory=list)
    job_tasks_waiting: int = 0  # jobs sent, LinkedIn's answer not read yet
    refused_jobs: int = 0  # jobs whose latest task LinkedIn refused
    refused_job_tasks: list[JobPostingTask] = field(default_factory=list)

    @property
    def oldest_pending_age(self) -> timedelta | None:
        return timezone.now() - self.oldest_pending_at if self.oldest_pending_at else None


def _drain_minutes() -> int:
    entry = settings.CELERY_BEAT_SCHEDULE.get("drain-linkedin-outbox") or {}
    minutes = sorted(getattr(entry.get("schedule"), "minute", {0, 1}))
    return minutes[1] - minutes[0] if len(minutes) > 1 else 60


def outbox_summary(by: User) -> OutboxSummary:
    """The outbox's depth, oldest pending row, last and next drain, and parked rows."""
    require_admin(by)
    totals = OutboxRow.objects.aggregate(
        pending=Count("pk", filter=Q(status=OutboxRow.Status.PENDING)),
        parked=Count("pk", filter=Q(status=OutboxRow.Status.PARKED)),
        oldest=Min("created_at", filter=Q(status=OutboxRow.Status.PENDING)),
    )
    last_run = cache.get(LAST_RUN_KEY)
    every = _drain_minutes()
    parked = OutboxRow.objects.filter(status=OutboxRow.Status.PARKED).order_by("-id")
    latest = latest_job_tasks()
    tasks = latest.aggregate(
        waiting=Count("pk", filter=Q(status=JobPostingTask.Status.IN_PROGRESS)),
        refused=Count("pk", filter=Q(status=JobPostingTask.Status.FAILED)),
    )
    refused = latest.filter(status=JobPostingTask.Status.FAILED)
    return OutboxSummary(
        pending=totals["pending"],
        parked=totals["parked"],
        oldest_pending_at=totals["oldest"],
        last_run=last_run,
        every_minutes=every,
        next_run_at=last_run["at"] + timedelta(minutes=every) if last_run else None,
        parked_rows=list(parked[:RECENT_PARKED]),
        job_tasks_waiting=tasks["waiting"],
        refused_jobs=tasks["refused"],
        refused_job_tasks=list(
            refused.select_related("job").order_by("-finished_at", "-id")[:RECENT_REFUSED_JOBS]
        ),
    )


# --- LinkedIn's answers for the jobs sent (simpleJobPostingTasks) -------------------------------


def latest_job_tasks() -> QuerySet[JobPostingTask]:
    """Each job's latest task: a job sent again replaces its refused task."""
    newer = JobPostingTask.objects.filter(job=OuterRef("job")).filter(
        Q(submitted_at__gt=OuterRef("submitted_at"))
        | Q(submitted_at=OuterRef("submitted_at"), pk__gt=OuterRef("pk"))
    )
    return JobPostingTask.objects.filter(~Exists(newer))


@dataclass
class JobSyncLine:
    """The "LinkedIn Recruiter (In-ATS sync)" line of a job's Postings tab."""

    task: JobPostingTask
    label: str
    badge: str
    detail: str = ""
    since: datetime | None = None


BADGES = {
    JobPostingTask.Status.IN_PROGRESS: "text-bg-warning",
    JobPostingTask.Status.SUCCEEDED: "text-bg-success",
    JobPostingTask.Status.FAILED: "text-bg-danger",
    JobPostingTask.Status.PROCESSED: "text-bg-info",
    JobPostingTask.Status.EXPIRED: "text-bg-secondary",
}


def job_sync_line(user: User, job: Job) -> JobSyncLine | None:
    """What LinkedIn answered for the job's latest sending (one query); None when it was never
    sent, or for a user who may not see the job."""
    visible = JobPostingTask.objects.filter(job__in=jobs_visible_to(user))  # none: no query
    task = visible.filter(job=job).order_by("-submitted_at", "-id").first()
    if task is None:
        return None
    status = JobPostingTask.Status(task.status)
    line = JobSyncLine(task, status.label, BADGES[status], since=task.finished_at)
    if status == JobPostingTask.Status.IN_PROGRESS:
        line.since = task.submitted_at
        line.detail = "Sent to LinkedIn; LinkedIn usually answers within 5 minutes."
    elif status == JobPostingTask.Status.SUCCEEDED:
        closed = " (closed)" if task.operation == JobPostingTask.Operation.CLOSE else ""
        line.detail = f"LinkedIn job posting {task.job_posting_id or 'id not given'}{closed}."
    elif status == JobPostingTask.Status.FAILED:
        line.label = f"Refused by LinkedIn: {task.error_message}"
        line.detail = "Correct the job and save it: it is sent to LinkedIn again."
    else:
        line.detail = task.error_message
    return line


@dataclass
class ExportSummary:
    imported: int = 0
    refused: int = 0
    waiting: int = 0  # pushes recorded, not handled yet
    unmatched: int = 0  # imported, the match not yet accepted by LinkedIn
    last_at: datetime | None = None
    refusals: list[ExportRequest] = field(default_factory=list)


def export_pending_event_ids() -> list[int]:
    """Export pushes still to handle: recorded but without an export row, or not yet matched."""
    handled = ExportRequest.objects.values("request_id")
    waiting = WebhookEvent.objects.filter(
        kind="EXPORT_CANDIDATE_PROFILE", status=WebhookEvent.Status.RECEIVED
    ).exclude(request_id__in=handled)
    unmatched = WebhookEvent.objects.filter(
        kind="EXPORT_CANDIDATE_PROFILE",
        request_id__in=ExportRequest.objects.filter(
            status=ExportRequest.Status.IMPORTED, matched_on_linkedin=False
        ).values("request_id"),
    )
    return sorted({*waiting.values_list("pk", flat=True), *unmatched.values_list("pk", flat=True)})


def export_summary(by: User, *, days: int = 30) -> ExportSummary:
    """Exports of the last `days` days: counts, the last one, and recent refusals with reasons."""
    require_admin(by)
    since = timezone.now() - timedelta(days=days)
    totals = ExportRequest.objects.filter(created_at__gte=since).aggregate(
        imported=Count("pk", filter=Q(status=ExportRequest.Status.IMPORTED)),
        refused=Count("pk", filter=Q(status=ExportRequest.Status.REFUSED)),
        unmatched=Count(
            "pk",
            filter=Q(status=ExportRequest.Status.IMPORTED, matched_on_linkedin=False),
        ),
        last_at=Max("created_at"),
    )
    refusals = ExportRequest.objects.filter(status=ExportRequest.Status.REFUSED)
    return ExportSummary(
        imported=totals["imported"],
        refused=totals["refused"],
        unmatched=totals["unmatched"],
        waiting=WebhookEvent.objects.filter(
            kind="EXPORT_CANDIDATE_PROFILE", status=WebhookEvent.Status.RECEIVED
        ).count(),
        last_at=totals["last_at"],
        refusals=list(refusals.order_by("-created_at", "-id")[:RECENT_REFUSALS]),
    )


# --- Cross-run counts per flow, and the full history ----------------------------------------------

RECENT_REASONS = 10


@dataclass
class FlowCounts:
    """One flow's records in and out, and errors, over the last 24 hours and 7 days."""

    name: str
    in_day: int | None = 0
    in_week: int | None = 0
    out_day: int | None = 0
    out_week: int | None = 0
    errors_day: int = 0
    errors_week: int = 0
    reasons: list[dict] = field(default_factory=list)  # reason, count, last (7 days)


def _windows(moment: str, condition: Q | None = None) -> dict:
    """Count aggregates of rows whose `moment` falls in the last day and week."""
    now = timezone.now()
    day, week = (
        Q(**{f"{moment}__gte": now - timedelta(days=1)}),
        Q(**{f"{moment}__gte": now - timedelta(days=7)}),
    )
    extra = condition if condition is not None else Q()
    return {
        "day": Count("pk", filter=day & extra),
        "week": Count("pk", filter=week & extra),
    }


def _prefixed(prefix: str, aggregates: dict) -> dict:
    return {f"{prefix}_{k}": v for k, v in aggregates.items()}


def _outbox_counts(week_ago: datetime) -> FlowCounts:
    failing = Q(status=OutboxRow.Status.PARKED) | Q(
        status=OutboxRow.Status.PENDING, attempts__gt=0
    ) & ~Q(last_error="")
    totals = OutboxRow.objects.filter(
        Q(created_at__gte=week_ago) | Q(sent_at__gte=week_ago)
    ).aggregate(
        **_prefixed("in", _windows("created_at")),
        **_prefixed("out", _windows("sent_at")),
        **_prefixed("errors", _windows("created_at", failing)),
    )
    reasons = (
        OutboxRow.objects.filter(failing, created_at__gte=week_ago)
        .values("last_error")
        .annotate(count=Count("pk"), last=Max("created_at"))
        .order_by("-count", "last_error")[:RECENT_REASONS]
    )
    return _flow("In-ATS outbox (Attract → LinkedIn)", totals, reasons, "last_error")


def _export_counts(week_ago: datetime) -> FlowCounts:
    refused = Q(status=ExportRequest.Status.REFUSED)
    imported = Q(status=ExportRequest.Status.IMPORTED)
    totals = ExportRequest.objects.filter(created_at__gte=week_ago).aggregate(
        **_prefixed("in", _windows("created_at", imported)),
        **_prefixed("out", _windows("created_at", imported & Q(matched_on_linkedin=True))),
        **_prefixed("errors", _windows("created_at", refused)),
    )
    reasons = (
        ExportRequest.objects.filter(refused, created_at__gte=week_ago)
        .values("reason")
        .annotate(count=Count("pk"), last=Max("created_at"))
        .order_by("-count", "reason")[:RECENT_REASONS]
    )
    return _flow(
        "1-click export (LinkedIn → Attract; out: matches sent back)", totals, reasons, "reason"
    )


def _flow(name: str, totals: dict, reasons: Iterable[dict], reason_field: str) -> FlowCounts:
    """A flow's counts from its `_windows` aggregates and its grouped error reasons."""
    return FlowCounts(
        name,
        totals["in_day"],
        totals["in_week"],
        totals["out_day"],
        totals["out_week"],
        totals["errors_day"],
        totals["errors_week"],
        [{"reason": r[reason_field], "count": r["count"], "last": r["last"]} for r in reasons],
    )


def _pull_counts(week_ago: datetime) -> list[FlowCounts]:
    day_ago = timezone.now() - timedelta(days=1)
    failed = ~Q(error="")
    per_flow = {
        row["flow"]: row
        for row in PullRun.objects.filter(finished_at__gte=week_ago)
        .values("flow")
        .annotate(
            in_day=Coalesce(Sum("records_in", filter=Q(finished_at__gte=day_ago)), 0),
            in_week=Coalesce(Sum("records_in"), 0),
            errors_day=Count("pk", filter=failed & Q(finished_at__gte=day_ago)),
            errors_week=Count("pk", filter=failed),
        )
        .order_by("flow")
    }
    reasons: dict[str, list[dict]] = {}
    recent = (
        PullRun.objects.filter(failed, finished_at__gte=week_ago)
        .values("flow", "error")
        .annotate(count=Count("pk"), last=Max("finished_at"))
        .order_by("-count", "error")[: RECENT_REASONS * len(ProspectFlow.values)]
    )
    for row in recent:
        reasons.setdefault(row["flow"], []).append(
            {"reason": row["error"], "count": row["count"], "last": row["last"]}
        )
    out = []
    for flow, label in ProspectFlow.choices:
        row = per_flow.get(flow, {})
        out.append(
            FlowCounts(
                f"{label} pull (LinkedIn → Attract)",
                row.get("in_day", 0),
                row.get("in_week", 0),
                None,
                None,
                row.get("errors_day", 0),
                row.get("errors_week", 0),
                reasons.get(flow, [])[:RECENT_REASONS],
            )
        )
    return out


def flow_counts(by: User) -> list[FlowCounts]:
    """Every flow's records in and out and errors with their reasons, over 24 hours and 7 days:
    six queries whatever the number of rows."""
    require_admin(by)
    week_ago = timezone.now() - timedelta(days=7)
    return [_outbox_counts(week_ago), *_pull_counts(week_ago), _export_counts(week_ago)]


@dataclass
class HistoryStatus:
    """The full history's state: when it was asked for and queued, and what still waits."""

    requested_at: datetime | None
    queued_at: datetime | None
    rows: int
    pending: int

    @property
    def waiting_to_queue(self) -> bool:
        return self.requested_at is not None and (
            self.queued_at is None or self.requested_at > self.queued_at
        )


def history_status(by: User) -> HistoryStatus:
    """The sync settings row and the count of history rows still pending (two queries)."""
    require_admin(by)
    settings_row = SyncSettings.objects.filter(pk=1).first() or SyncSettings()
    return HistoryStatus(
        requested_at=settings_row.history_requested_at,
        queued_at=settings_row.history_queued_at,
        rows=settings_row.history_rows,
        pending=history_pending(settings_row),
    )


def history_pending(settings_row: SyncSettings) -> int:
    """History rows still waiting to be sent."""
    first, last = settings_row.history_first_row, settings_row.history_last_row
    if first is None or last is None:
        return 0
    return OutboxRow.objects.filter(
        pk__range=(first, last), status=OutboxRow.Status.PENDING
    ).count()
