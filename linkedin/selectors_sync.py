"""Reads for the sync dashboard on the admin LinkedIn tab (administrators only)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from attract.access import require_admin
from attract.models import User
from linkedin.models_rsc import WebhookEvent
from linkedin.models_sync import ExportRequest, OutboxRow

RECENT_REFUSALS = 20
RECENT_PARKED = 20
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
    return OutboxSummary(
        pending=totals["pending"],
        parked=totals["parked"],
        oldest_pending_at=totals["oldest"],
        last_run=last_run,
        every_minutes=every,
        next_run_at=last_run["at"] + timedelta(minutes=every) if last_run else None,
        parked_rows=list(parked[:RECENT_PARKED]),
    )


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
