"""Writes of the sync dashboard: parked outbox rows sent again, and the record of each pull."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from attract.access import require_admin
from attract.models import User
from linkedin import events
from linkedin.models_sync import OutboxRow, PullRun, SyncSettings

KEEP_PULL_RUNS = timedelta(days=30)
EVENT_ROWS = 100  # the audit event names at most this many rows, and counts them all


def outbox_retry(*, by: User, row_id: int | None = None) -> int:
    """Set one parked row, or every parked row, to be sent at the next drain; how many."""
    require_admin(by)
    with transaction.atomic():
        parked = OutboxRow.objects.select_for_update().filter(status=OutboxRow.Status.PARKED)
        if row_id is not None:
            parked = parked.filter(pk=row_id)
        named = list(
            parked.order_by("pk").values("pk", "entity_type", "entity_id", "last_error")[
                :EVENT_ROWS
            ]
        )
        if row_id is not None and not named:
            raise ValidationError("That change is not waiting for a retry any more.")
        count = parked.update(
            status=OutboxRow.Status.PENDING, next_attempt_at=timezone.now(), last_error=""
        )
        if count:
            settings_row = SyncSettings.objects.get_or_create(pk=1)[0]
            events.outbox_rows_retried(settings_row=settings_row, by=by, rows=named, count=count)
    return count


@contextmanager
def pull_logged(seat_urn: str, flow: str, stored: dict[str, int]) -> Iterator[None]:
    """Record one pull of one kind for one seat: what it stored, or the error that stopped it."""
    before = stored.get(flow, 0)
    try:
        yield
    except Exception as exc:
        _pull_run(seat_urn, flow, stored.get(flow, 0) - before, f"{type(exc).__name__}: {exc}")
        raise
    _pull_run(seat_urn, flow, stored.get(flow, 0) - before, "")


def _pull_run(seat_urn: str, flow: str, records: int, error: str) -> None:
    now = timezone.now()
    PullRun.objects.create(
        flow=flow, seat_urn=seat_urn, finished_at=now, records_in=records, error=error[:500]
    )
    PullRun.objects.filter(finished_at__lt=now - KEEP_PULL_RUNS).delete()
