"""Audit event writers for candidates and applications (one function per event type)."""

from attract.events import record
from attract.models import Event, User


def candidate_created(*, candidate, by: User | None) -> Event:
    return record(type="candidate.created", actor=by, subject=candidate, source=candidate.source)


def candidate_updated(*, candidate, by: User | None, fields: list[str]) -> Event:
    return record(type="candidate.updated", actor=by, subject=candidate, fields=fields)


def candidates_merged(*, candidate, by: User | None, merged_id: int, conflicts: list[str]) -> Event:
    return record(
        type="candidate.merged",
        actor=by,
        subject=candidate,
        merged_id=merged_id,
        conflicts=conflicts,
    )


def candidate_erased(*, candidate, by: User | None, reason: str) -> Event:
    # No personal data in the audit trail of an erasure: only the id and why.
    return record(type="candidate.erased", actor=by, subject=candidate, reason=reason)


def application_created(*, application, by: User | None) -> Event:
    return record(
        type="application.created",
        actor=by,
        subject=application,
        job=application.job,
        candidate_id=application.candidate_id,
        stage=application.stage.name,
        source=application.source,
    )


def application_changed(
    *, application, by: User | None, kind: str, before: str, after: str, reason: str = ""
) -> Event:
    return record(
        type=f"application.{kind}",
        actor=by,
        subject=application,
        job=application.job,
        candidate_id=application.candidate_id,
        before=before,
        after=after,
        reason=reason,
    )


def application_deleted(*, application, by: User | None) -> Event:
    return record(
        type="application.deleted",
        actor=by,
        subject=application,
        job=application.job,
        candidate_id=application.candidate_id,
    )


def note_saved(*, note, by: User | None, created: bool) -> Event:
    job = note.application.job if note.application_id else None
    return record(
        type="note.created" if created else "note.updated",
        actor=by,
        subject=note,
        job=job,
        candidate_id=note.candidate_id,
        visibility=note.visibility,
    )


def note_deleted(*, note, by: User | None) -> Event:
    return record(type="note.deleted", actor=by, subject=note, candidate_id=note.candidate_id)


def feedback_submitted(*, feedback, by: User, created: bool) -> Event:
    return record(
        type="feedback.submitted" if created else "feedback.updated",
        actor=by,
        subject=feedback,
        job=feedback.application.job,
        recommendation=feedback.recommendation,
    )


def document_added(*, document, by: User | None) -> Event:
    return record(
        type="document.added",
        actor=by,
        subject=document,
        candidate_id=document.candidate_id,
        kind=document.kind,
        size=document.size,
        content_type=document.content_type,
    )


def document_deleted(*, document, by: User | None) -> Event:
    return record(
        type="document.deleted", actor=by, subject=document, candidate_id=document.candidate_id
    )


def rejection_reason_created(*, reason, by: User) -> Event:
    return record(type="rejection_reason.created", actor=by, subject=reason, name=reason.name)


def rejection_reason_renamed(*, reason, by: User, before: str) -> Event:
    return record(
        type="rejection_reason.renamed", actor=by, subject=reason, before=before, after=reason.name
    )


def rejection_reason_activation_changed(*, reason, by: User) -> Event:
    kind = "reactivated" if reason.is_active else "deactivated"
    return record(type=f"rejection_reason.{kind}", actor=by, subject=reason, name=reason.name)


def rejection_reasons_reordered(*, reason, by: User, order: list[int]) -> Event:
    return record(type="rejection_reason.moved", actor=by, subject=reason, order=order)
