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
    "candidate_merged",
    "enqueue",
    "feedback_changed",
    "job_changed",
    "job_deleted",
    "job_team_changed",
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
        # Prospects stay in Attract until they apply (SPEC 2.5); one moved back is forgotten.
        return _back_to_prospect(application)
    return enqueue(OutboxRow.EntityType.APPLICATION, application.pk)


def _back_to_prospect(application: Any) -> OutboxRow | None:
    if not linkedin_tasks_allowed():
        return None
    history = application.history.exclude(to_stage=None)
    if not history.exclude(to_stage__kind=StageKind.PROSPECT).exists():
        return None  # never past Prospect: LinkedIn never had it
    row = application_deleted(application)
    if not _applied(application.candidate):  # a prospect everywhere now: LinkedIn forgets them
        enqueue(
            OutboxRow.EntityType.CANDIDATE,
            application.candidate_id,
            operation=OutboxRow.Operation.DELETE,
            applications=[],
        )
    return row


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


def candidate_merged(*, primary: Any, duplicate: Any) -> list[OutboxRow]:
    """`duplicate` is about to disappear into `primary` (its applications already moved over):
    LinkedIn forgets the duplicate and what is left of it, and learns the primary's records."""
    if not linkedin_tasks_allowed():
        return []
    rows = [
        enqueue(
            OutboxRow.EntityType.CANDIDATE,
            duplicate.pk,
            operation=OutboxRow.Operation.DELETE,
            applications=_applied(duplicate),  # folded into the primary's: deleted with it
        )
    ]
    known = primary.applications.exclude(stage__kind=StageKind.PROSPECT)
    rows.append(candidate_changed(primary))
    rows += [enqueue(OutboxRow.EntityType.APPLICATION, pk) for pk in _ids(known)]
    notes = primary.notes.filter(
        application__in=known, visibility=NoteVisibility.EVERYONE
    ).values_list("pk", "application_id")
    rows += [
        enqueue(OutboxRow.EntityType.NOTE, pk, application=application) for pk, application in notes
    ]
    feedback = known.values_list("feedback__pk", "pk").exclude(feedback__pk=None)
    rows += [
        enqueue(OutboxRow.EntityType.FEEDBACK, pk, application=application)
        for pk, application in feedback
    ]
    return [row for row in rows if row is not None]


def _ids(queryset: Any) -> list[int]:
    return list(queryset.order_by("pk").values_list("pk", flat=True))


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


def job_team_changed(job: Any) -> OutboxRow | None:
    """The hiring team changed: the job carries its requisition owner to LinkedIn."""
    return job_changed(job)


def job_deleted(job: Any) -> list[OutboxRow]:
    """A job is about to be deleted with its applications: LinkedIn closes the job (a posting
    cannot be deleted there) and deletes the applications it had."""
    if not linkedin_tasks_allowed():
        return []
    known = job.applications.exclude(stage__kind=StageKind.PROSPECT)
    deletes = [
        OutboxRow(
            entity_type=OutboxRow.EntityType.APPLICATION,
            entity_id=str(pk),
            operation=OutboxRow.Operation.DELETE,
            payload={"candidate": candidate},
        )
        for pk, candidate in known.order_by("pk").values_list("pk", "candidate_id")
    ]
    rows = OutboxRow.objects.bulk_create(deletes, batch_size=1000)
    if not job.internal_only and job.status in (JobStatus.ACTIVE, JobStatus.CLOSED):
        from linkedin.services_outbox import job_close_element

        # The job is gone when the row is sent: keep what the close needs.
        element = job_close_element(job)
        row = enqueue(
            OutboxRow.EntityType.JOB, job.pk, operation=OutboxRow.Operation.DELETE, element=element
        )
        rows += [row] if row else []
    return rows
