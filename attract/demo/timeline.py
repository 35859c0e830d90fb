"""Spreading the demo's history over the last two months.

The services stamp everything "now"; the demo needs weeks of history so that time in stage,
the dashboard's recent activity and the analytics look real. Times are planned before the
services run and written afterwards with plain updates.
"""

import random
from collections import defaultdict
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models

from attract.demo.jobs import JobCast
from attract.models import Event
from candidates.models import Application, ApplicationEvent, ApplicationEventKind
from jobs.choices import ApprovalDecision
from jobs.models import Job

DAY = timedelta(days=1)
BATCH = 500


def spread(count: int, start: datetime, end: datetime, rng: random.Random) -> list[datetime]:
    """`count` strictly increasing times in [start, end], a few days apart where there is room."""
    gaps = [rng.uniform(0.4, 6.0) * DAY for _ in range(count - 1)]
    span = end - start
    total = sum(gaps, timedelta())
    if total > span * 0.9:
        scale = 0.9 * span / total
        gaps = [gap * scale for gap in gaps]
        total = sum(gaps, timedelta())
    times = [start + (span - total) * rng.random()]
    for gap in gaps:
        times.append(times[-1] + gap)
    return times


def evenly(count: int, start: datetime, end: datetime) -> list[datetime]:
    if count <= 1:
        return [start] * count
    return [start + (end - start) * i / (count - 1) for i in range(count)]


class Timeline:
    """Collects the planned times while the services run, then writes them in one go."""

    def __init__(self, now: datetime):
        self.now = now
        self.applications: dict[int, list[datetime]] = {}
        self.rows: list[tuple[models.Model, datetime, tuple[str, ...]]] = []

    def application(self, application: Application, times: list[datetime]) -> None:
        self.applications[application.pk] = times

    def row(self, obj: models.Model, at: datetime, *fields: str) -> None:
        """Backdate `fields` of one row and the audit event whose subject it is."""
        self.rows.append((obj, at, fields))

    def apply(self, casts: list[JobCast]) -> None:
        job_ids = [cast.job.pk for cast in casts]
        self._application_history(job_ids)
        self._application_audit(job_ids)
        for obj, at, fields in self.rows:
            type(obj).objects.filter(pk=obj.pk).update(**dict.fromkeys(fields, at))
            _audit_of(obj).update(created_at=at)
        for cast in casts:
            self._job(cast)

    def _times(self, application_id: int, rows: list) -> list[datetime]:
        times = self.applications[application_id]
        if len(times) != len(rows):
            raise RuntimeError(
                f"Application {application_id}: {len(rows)} events for {len(times)} planned times."
            )
        return times

    def _application_history(self, job_ids: list[int]) -> None:
        history = defaultdict(list)
        for event in ApplicationEvent.objects.filter(application__job__in=job_ids).order_by("id"):
            history[event.application_id].append(event)
        applications = list(Application.objects.filter(job__in=job_ids))
        for application in applications:
            events = history[application.pk]
            for event, at in zip(events, self._times(application.pk, events), strict=True):
                event.at = at
            application.created_at, application.updated_at = events[0].at, events[-1].at
            application.stage_entered_at = _stage_entered(events)
        ApplicationEvent.objects.bulk_update(
            [e for events in history.values() for e in events], ["at"], batch_size=BATCH
        )
        Application.objects.bulk_update(
            applications, ["created_at", "updated_at", "stage_entered_at"], batch_size=BATCH
        )

    def _application_audit(self, job_ids: list[int]) -> None:
        # One audit event per history row, written by the same service call, in the same order.
        content_type = ContentType.objects.get_for_model(Application)
        audit = defaultdict(list)
        for event in Event.objects.filter(subject_type=content_type, job__in=job_ids).order_by(
            "id"
        ):
            audit[int(event.subject_id)].append(event)
        for application_id, events in audit.items():
            for event, at in zip(events, self._times(application_id, events), strict=True):
                event.created_at = at
        Event.objects.bulk_update(
            [e for events in audit.values() for e in events], ["created_at"], batch_size=BATCH
        )

    def _job(self, cast: JobCast) -> None:
        job = cast.job
        end = cast.opened or min(cast.created + 2 * DAY, self.now - timedelta(hours=1))
        events = list(_audit_of(job).order_by("id"))
        closing = events.pop() if cast.closed else None
        for event, at in zip(events, evenly(len(events), cast.created, end), strict=True):
            event.created_at = at
        if closing is not None:
            closing.created_at = cast.closed
            events.append(closing)
        Event.objects.bulk_update(events, ["created_at"])
        Job.objects.filter(pk=job.pk).update(
            created_at=cast.created,
            updated_at=cast.closed or end,
            activated_at=cast.opened,
            closed_at=cast.closed,
        )
        job.team.update(added_at=cast.created)
        _approvals(job, events)


def _stage_entered(events: list[ApplicationEvent]) -> datetime:
    entered = events[0].at
    for event in events:
        if event.kind == ApplicationEventKind.CREATED or event.from_stage_id != event.to_stage_id:
            entered = event.at
    return entered


def _audit_of(obj: models.Model) -> models.QuerySet:
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return Event.objects.filter(subject_type=content_type, subject_id=str(obj.pk))


def _approvals(job: Job, events: list[Event]) -> None:
    submitted = [
        e.created_at
        for e in events
        if e.type == "job.transitioned" and e.parameters.get("after") == "pending_approval"
    ]
    if not submitted:
        return
    decided = iter(e.created_at for e in events if e.type == "job.approval_decided")
    approvals = list(job.approvals.order_by("decided_at", "id"))
    for approval in approvals:
        approval.requested_at = submitted[-1]
        if approval.decision != ApprovalDecision.PENDING:
            approval.decided_at = next(decided)
    type(approvals[0]).objects.bulk_update(approvals, ["requested_at", "decided_at"])
