"""Audit events told as sentences for the dashboard's "recent activity"."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from attract.models import Event
from jobs.choices import JobStatus, TeamRole


@dataclass(frozen=True)
class Activity:
    sentence: SafeString  # every part escaped by format_html
    at: datetime


@dataclass(frozen=True)
class _Names:
    actor: str
    by_person: bool  # False when the system acted (a career-site application, a task)
    candidate: str
    user: str
    params: dict[str, Any]

    @property
    def after(self) -> str:
        return str(self.params.get("after", ""))


JOB = object()  # where the job's link goes in a sentence
SYSTEM = "Attract"
Parts = list[Any]


def _status(value: str) -> str:
    return JobStatus(value).label.lower() if value in JobStatus.values else value


def _transitioned(n: _Names) -> Parts:
    after = n.params.get("after", "")
    if after == JobStatus.PENDING_APPROVAL:
        return [n.actor, " submitted ", JOB, " for approval"]
    if after == JobStatus.ACTIVE:
        return [n.actor, " activated ", JOB]
    if after == JobStatus.CLOSED:
        return [n.actor, " closed ", JOB]
    if after in (JobStatus.APPROVED, JobStatus.REJECTED):
        return [JOB, f" was {_status(after)}"]
    return [n.actor, " moved ", JOB, f" back to {_status(after)}"]


def _decided(n: _Names) -> Parts:
    verb = "approved" if n.params.get("decision") == "approved" else "rejected"
    return [n.actor, f" {verb} ", JOB]


def _role(n: _Names) -> str:
    role = n.params.get("role", "")
    return TeamRole(role).label.lower() if role in TeamRole.values else "member"


def _created(n: _Names) -> Parts:
    if not n.by_person:
        return [n.candidate, " applied to ", JOB]
    return [n.actor, " added ", n.candidate, " to ", n.params.get("stage", ""), " on ", JOB]


SENTENCES: dict[str, Callable[[_Names], Parts]] = {
    "job.created": lambda n: [n.actor, " created ", JOB],
    "job.updated": lambda n: [n.actor, " edited the details of ", JOB],
    "job.transitioned": _transitioned,
    "job.approval_decided": _decided,
    "job.process_changed": lambda n: [n.actor, " changed the process of ", JOB],
    "job.team_member_added": lambda n: [n.actor, " added ", n.user, " to ", JOB, f" as {_role(n)}"],
    "job.team_member_removed": lambda n: [n.actor, " removed ", n.user, " from ", JOB],
    "application.created": _created,
    "application.moved": lambda n: [n.actor, " moved ", n.candidate, " to ", n.after, " on ", JOB],
    "application.rejected": lambda n: [n.actor, " rejected ", n.candidate, " on ", JOB],
    "application.withdrawn": lambda n: [n.candidate, " withdrew from ", JOB],
    "application.hired": lambda n: [n.actor, " hired ", n.candidate, " on ", JOB],
    "application.reopened": lambda n: [n.actor, " reopened ", n.candidate, " on ", JOB],
    "application.deleted": lambda n: [n.actor, " removed ", n.candidate, " from ", JOB],
    "note.created": lambda n: [n.actor, " added a note on ", JOB],
    "note.updated": lambda n: [n.actor, " edited a note on ", JOB],
    "feedback.submitted": lambda n: [n.actor, " submitted interview feedback on ", JOB],
    "feedback.updated": lambda n: [n.actor, " updated interview feedback on ", JOB],
}


def _fallback(n: _Names, event_type: str) -> Parts:
    return [n.actor, ": ", event_type.replace(".", " ").replace("_", " "), " on ", JOB]


def describe(event: Event, *, candidates: dict[int, str], users: dict[int, str]) -> Activity:
    """One event as a sentence naming who did what to whom on which job."""
    params = event.parameters or {}
    names = _Names(
        actor=str(event.actor) if event.actor else SYSTEM,
        by_person=event.actor is not None,
        candidate=candidates.get(_key(params.get("candidate_id")), "a removed candidate"),
        user=users.get(_key(params.get("user_id")), "a former user"),
        params=params,
    )
    sentence = SENTENCES.get(event.type)
    parts = sentence(names) if sentence else _fallback(names, event.type)
    job = event.job
    link = format_html('<a href="{}">{}</a>', reverse("jobs:detail", args=[job.number]), job.number)
    parts = [link if part is JOB else str(part) for part in parts]
    return Activity(sentence=format_html("{}" * len(parts), *parts), at=event.created_at)


def describe_all(
    events: Iterable[Event], *, candidates: dict[int, str], users: dict[int, str]
) -> list[Activity]:
    return [describe(e, candidates=candidates, users=users) for e in events]


def _key(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
