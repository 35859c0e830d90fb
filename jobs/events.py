"""Audit event writers for jobs (one function per event type)."""

from attract.events import record
from attract.models import Event, User


def job_created(*, job, by: User | None) -> Event:
    return record(type="job.created", actor=by, subject=job, job=job, number=job.number)


def job_updated(*, job, by: User | None, fields: list[str]) -> Event:
    return record(type="job.updated", actor=by, subject=job, job=job, fields=fields)


def job_transitioned(*, job, by: User | None, before: str, after: str, comment: str = "") -> Event:
    return record(
        type="job.transitioned",
        actor=by,
        subject=job,
        job=job,
        before=before,
        after=after,
        comment=comment,
    )


def job_approval_decided(*, approval, by: User, decision: str, comment: str) -> Event:
    return record(
        type="job.approval_decided",
        actor=by,
        subject=approval.job,
        job=approval.job,
        round=approval.round,
        decision=decision,
        comment=comment,
    )


def job_deleted(*, job, by: User | None) -> Event:
    return record(type="job.deleted", actor=by, subject=job, number=job.number, title=job.title)


def job_process_changed(*, job, by: User | None, stages: list[str]) -> Event:
    return record(type="job.process_changed", actor=by, subject=job, job=job, stages=stages)


def team_member_added(*, member, by: User | None) -> Event:
    return record(
        type="job.team_member_added",
        actor=by,
        subject=member.job,
        job=member.job,
        user_id=member.user_id,
        role=member.role,
        delegate_of=member.delegate_of_id,
    )


def team_member_removed(*, member, by: User | None) -> Event:
    return record(
        type="job.team_member_removed",
        actor=by,
        subject=member.job,
        job=member.job,
        user_id=member.user_id,
        role=member.role,
    )


def template_saved(*, template, by: User | None, created: bool) -> Event:
    return record(
        type="template.created" if created else "template.updated",
        actor=by,
        subject=template,
        name=template.name,
    )
