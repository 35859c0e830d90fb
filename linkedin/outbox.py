"""Outbox writers: the services call these in the same transaction as the change they make.

Nothing is written while Recruiter System Connect is off; prospects are never sent to LinkedIn.
"""

from typing import Any

from candidates.models import NoteVisibility
from jobs.choices import JobStatus, StageKind
from linkedin.models_sync import OutboxRow
from linkedin.selectors_rsc import linkedin_tasks_allowed

__all__ = [
    "application_changed",
    "application_deleted",
    "candidate_changed",
    "candidate_erased",
    "enqueue",
    "feedback_changed",
    "job_changed",
    "note_changed",
    "note_deleted",
]


def enqueue(
    entity_type: str, entity_id: Any, *, operation: str = OutboxRow.Operation.UPSERT, **payload: Any
) -> OutboxRow | None:
    """Write one outbox row in the caller's transaction (None while LinkedIn tasks are off)."""
    if not linkedin_tasks_allowed():
        return None
    return OutboxRow.objects.create(
        entity_type=entity_type, entity_id=str(entity_id), operation=operation, payload=payload
    )


def application_changed(application: Any) -> OutboxRow | None:
    """An application was created, moved, rejected, withdrawn, hired or reopened."""
    if application.stage.kind == StageKind.PROSPECT:
        return None  # Prospects stay in Attract until they apply (SPEC 2.5).
    return enqueue(OutboxRow.EntityType.APPLICATION, application.pk)


def application_deleted(application: Any) -> OutboxRow | None:
    """An application is about to be deleted: LinkedIn forgets it too."""
    return enqueue(
        OutboxRow.EntityType.APPLICATION,
        application.pk,
        operation=OutboxRow.Operation.DELETE,
        candidate=application.candidate_id,
    )


def _applied(candidate: Any) -> list[int]:
    """The candidate's applications LinkedIn knows: those past Prospect."""
    past_prospect = candidate.applications.exclude(stage__kind=StageKind.PROSPECT)
    return list(past_prospect.values_list("pk", flat=True))


def candidate_changed(candidate: Any) -> OutboxRow | None:
    """A candidate's details changed; only candidates past Prospect are on LinkedIn."""
    if not linkedin_tasks_allowed() or not _applied(candidate):
        return None
    return enqueue(OutboxRow.EntityType.CANDIDATE, candidate.pk)


def candidate_erased(candidate: Any) -> OutboxRow | None:
    """A candidate is about to be erased: LinkedIn forgets them and their applications."""
    if not linkedin_tasks_allowed():
        return None
    return enqueue(
        OutboxRow.EntityType.CANDIDATE,
        candidate.pk,
        operation=OutboxRow.Operation.DELETE,
        applications=_applied(candidate),
    )


def _shared_on_application(note: Any) -> bool:
    # Decision: only notes everyone may read go to LinkedIn; team and private notes stay here.
    return bool(note.application_id) and note.application.stage.kind != StageKind.PROSPECT


def note_changed(note: Any) -> OutboxRow | None:
    """A note on an application was added or edited (a note made private is deleted there)."""
    if not _shared_on_application(note):
        return None
    operation = (
        OutboxRow.Operation.UPSERT
        if note.visibility == NoteVisibility.EVERYONE
        else OutboxRow.Operation.DELETE
    )
    return enqueue(
        OutboxRow.EntityType.NOTE, note.pk, operation=operation, application=note.application_id
    )


def note_deleted(note: Any) -> OutboxRow | None:
    """A note on an application is about to be deleted."""
    if not _shared_on_application(note) or note.visibility != NoteVisibility.EVERYONE:
        return None
    return enqueue(
        OutboxRow.EntityType.NOTE,
        note.pk,
        operation=OutboxRow.Operation.DELETE,
        application=note.application_id,
    )


def feedback_changed(feedback: Any) -> OutboxRow | None:
    """Interview feedback was submitted or revised."""
    if feedback.application.stage.kind == StageKind.PROSPECT:
        return None
    return enqueue(OutboxRow.EntityType.FEEDBACK, feedback.pk, application=feedback.application_id)


def job_changed(job: Any) -> OutboxRow | None:
    """A job was created, edited, activated or closed: LinkedIn lists active jobs only."""
    if job.internal_only or job.status not in (JobStatus.ACTIVE, JobStatus.CLOSED):
        return None
    return enqueue(OutboxRow.EntityType.JOB, job.pk)
