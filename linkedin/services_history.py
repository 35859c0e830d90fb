"""The full history sent to LinkedIn once (LINKEDIN.md 2.5, SPEC 2.6): on the first enablement of
Recruiter System Connect, and again when an administrator asks for it.

Every job (closed ones included), every candidate past Prospect, every application past Prospect
(its stage history travels with it), shared notes on those applications and their interview
feedback become outbox rows, in that order, so the drain meets jobs before the applications that
name them. Rows are read with a server-side iterator and written in chunks: memory stays flat
whatever the size of the organisation.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from attract.access import require_admin
from attract.models import User
from candidates.models import Application, Candidate, InterviewFeedback, Note, NoteVisibility
from jobs.choices import JobStatus, StageKind
from jobs.models import Job
from linkedin import events
from linkedin.models_sync import OutboxRow, SyncSettings
from linkedin.selectors_rsc import linkedin_tasks_allowed
from linkedin.selectors_sync import history_pending

CHUNK = 5000
# A request whose task never ran (a lost message) may be made again after this long.
LOST_AFTER = timedelta(minutes=15)
Entity = OutboxRow.EntityType


@dataclass
class HistoryRequest:
    """What an administrator's "Send full history again" did."""

    status: str  # "requested", "pending" (history rows still waiting), "waiting" (not queued yet)
    pending: int = 0


@dataclass
class HistoryOutcome:
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def history_on_enablement() -> None:
    """Called in the transaction that turns the integration on: queue the history after commit
    (a no-op once it was queued: enabling again later sends nothing twice)."""
    from linkedin.tasks_history import queue_history

    transaction.on_commit(queue_history.delay)


def _settings_locked() -> SyncSettings:
    return SyncSettings.objects.select_for_update().get_or_create(pk=1)[0]


def _asked(settings: SyncSettings) -> bool:
    """Never queued, or asked again since it last was."""
    queued, requested = settings.history_queued_at, settings.history_requested_at
    return queued is None or (requested is not None and requested > queued)


def history_request_again(*, by: User) -> HistoryRequest:
    """An administrator sends the full history again; nothing is done while the last one waits."""
    require_admin(by)
    if not linkedin_tasks_allowed():
        raise ValidationError("Recruiter System Connect is not enabled: nothing can be sent.")
    with transaction.atomic():
        settings = _settings_locked()
        pending = history_pending(settings)
        if pending:
            return HistoryRequest("pending", pending)
        requested = settings.history_requested_at
        if _asked(settings) and requested and timezone.now() - requested < LOST_AFTER:
            return HistoryRequest("waiting")
        settings.history_requested_at = timezone.now()
        settings.save(update_fields=["history_requested_at", "updated_at"])
        events.sync_history_requested(settings_row=settings, by=by)
        from linkedin.tasks_history import queue_history

        transaction.on_commit(queue_history.delay)
    return HistoryRequest("requested")


def history_queue() -> HistoryOutcome | None:
    """Queue the history asked for, all of it or nothing (None: nothing asked, or LinkedIn off)."""
    if not linkedin_tasks_allowed():
        return None
    with transaction.atomic():
        settings = _settings_locked()
        if not _asked(settings):
            return None
        outcome, first, last = HistoryOutcome(), None, None
        for entity_type, rows in _sources():
            count = 0
            for chunk in _chunks(rows):
                created = OutboxRow.objects.bulk_create(chunk)
                first = first if first is not None else created[0].pk
                last, count = created[-1].pk, count + len(created)
            outcome.rows[str(entity_type)] = count
        _record(settings, outcome, first, last)
    return outcome


def _record(
    settings: SyncSettings, outcome: HistoryOutcome, first: int | None, last: int | None
) -> None:
    settings.history_queued_at = timezone.now()
    settings.history_first_row, settings.history_last_row = first, last
    settings.history_rows = outcome.total
    settings.save()
    events.sync_history_queued(settings_row=settings, rows=outcome.rows)


def _row(entity_type: str, entity_id: Any, **payload: Any) -> OutboxRow:
    return OutboxRow(
        entity_type=entity_type,
        entity_id=str(entity_id),
        operation=OutboxRow.Operation.UPSERT,
        payload=payload,
    )


def _sources() -> Iterator[tuple[str, Iterable[OutboxRow]]]:
    """Each kind of record LinkedIn holds, in the order the drain needs them."""
    past_prospect = Application.objects.exclude(stage__kind=StageKind.PROSPECT)
    jobs = Job.objects.filter(internal_only=False, status__in=[JobStatus.ACTIVE, JobStatus.CLOSED])
    yield Entity.JOB, (_row(Entity.JOB, pk, history=True) for pk in _pks(jobs))
    candidates = Candidate.objects.filter(pk__in=past_prospect.values("candidate_id"))
    yield Entity.CANDIDATE, (_row(Entity.CANDIDATE, pk) for pk in _pks(candidates))
    yield Entity.APPLICATION, (_row(Entity.APPLICATION, pk) for pk in _pks(past_prospect))
    notes = Note.objects.filter(
        visibility=NoteVisibility.EVERYONE, application__in=past_prospect.values("pk")
    )
    yield (
        Entity.NOTE,
        (_row(Entity.NOTE, pk, application=a) for pk, a in _pairs(notes)),
    )
    feedback = InterviewFeedback.objects.filter(application__in=past_prospect.values("pk"))
    yield (
        Entity.FEEDBACK,
        (_row(Entity.FEEDBACK, pk, application=a) for pk, a in _pairs(feedback)),
    )


def _pks(queryset: Any) -> Iterator[int]:
    return queryset.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=CHUNK)


def _pairs(queryset: Any) -> Iterator[tuple[int, int]]:
    rows = queryset.order_by("pk").values_list("pk", "application_id")
    return rows.iterator(chunk_size=CHUNK)


def _chunks(rows: Iterable[OutboxRow]) -> Iterator[list[OutboxRow]]:
    chunk: list[OutboxRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
