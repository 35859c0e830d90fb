"""Drain the outbox: send pending changes to LinkedIn (In-ATS indicator, LINKEDIN.md 2.5).

Rows are locked with `select_for_update(skip_locked=True)` (SQLite: the whole table lock), the
latest state of each entity is rebuilt and sent in batches the client splits into requests of at
most 100 records; rows are done only when LinkedIn accepted them. Outages and rate limits are
retried later with backoff; an element LinkedIn refuses is parked with its error.
"""

import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection as db
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from attract.access import require_admin
from attract.models import User
from attract.selectors import organisation_get
from candidates.models import (
    Application,
    ApplicationStatus,
    Candidate,
    InterviewFeedback,
    Note,
    NoteVisibility,
)
from jobs.choices import JobStatus, StageKind, TeamRole
from jobs.models import Job
from linkedin import client, outbox, restli, services_job_tasks
from linkedin.locks import run_lock
from linkedin.models_rsc import RecruiterConnection
from linkedin.models_sync import OutboxRow, SyncSettings
from linkedin.selectors_rsc import connection_get, linkedin_tasks_allowed
from linkedin.services_export import candidate_entity, candidate_key

log = logging.getLogger(__name__)

LOCK_KEY = "linkedin:outbox-drain"
LOCK_SECONDS = 15 * 60
LAST_RUN_KEY = "linkedin:outbox-last-run"  # shown on the sync dashboard
DRAIN_LIMIT = 1000
# A drain goes on with the next batch while the last one was full, for at most this long (under
# the task's soft time limit): one beat tick can keep up with LinkedIn's 10,000 records a minute.
DRAIN_SECONDS = 10 * 60
MAX_BACKOFF = 3600.0
APPLICATIONS = "/v2/atsApplications"
APPLICATION = OutboxRow.EntityType.APPLICATION.value
CANDIDATE = OutboxRow.EntityType.CANDIDATE.value
NOTE = OutboxRow.EntityType.NOTE.value
FEEDBACK = OutboxRow.EntityType.FEEDBACK.value
JOB = OutboxRow.EntityType.JOB.value
JOBS = "/v2/simpleJobPostings"
CANDIDATES = "/v2/atsCandidates"


@dataclass
class DrainResult:
    sent: int = 0
    parked: int = 0
    retried: int = 0
    skipped: int = 0  # e.g. prospects: nothing to tell LinkedIn
    errors: list[str] = field(default_factory=list)


def outbox_drain(*, limit: int = DRAIN_LIMIT) -> DrainResult | None:
    """Send what is due (None: another drain runs, or LinkedIn tasks are off)."""
    if not linkedin_tasks_allowed():
        return None
    with run_lock(LOCK_KEY, LOCK_SECONDS) as held:
        if not held:
            return None
        result = DrainResult()
        deadline = time.monotonic() + DRAIN_SECONDS
        while True:  # batch after batch, each in its own transaction, while full ones come
            with transaction.atomic():
                rows = list(_due(limit))
                batch = _send(connection_get(), rows) if rows else DrainResult()
            for name in ("sent", "parked", "retried", "skipped"):
                setattr(result, name, getattr(result, name) + getattr(batch, name))
            result.errors += batch.errors
            if len(rows) < limit or batch.retried or time.monotonic() > deadline:
                break
    cache.set(LAST_RUN_KEY, {"at": timezone.now(), **asdict(result)}, None)
    return result


def _due(limit: int) -> Iterable[OutboxRow]:
    rows = OutboxRow.objects.filter(
        status=OutboxRow.Status.PENDING, next_attempt_at__lte=timezone.now()
    ).order_by("id")
    skip_locked = db.features.has_select_for_update_skip_locked
    return rows.select_for_update(skip_locked=skip_locked)[:limit]


def _application_key(connection: RecruiterConnection, pk: Any) -> dict[str, str]:
    # Reference: LINKEDIN.md 2.5, atsApplications compound key.
    return {
        "atsJobApplicationId": str(pk),
        "dataProvider": "ATS",
        "integrationContext": connection.organization_urn,
    }


def application_entity(application: Application) -> dict[str, Any]:
    """The atsApplications record of an application (LINKEDIN.md 2.5)."""
    candidate = application.candidate
    email = next(iter(e.email for e in candidate.emails.all()), "")
    entity: dict[str, Any] = {
        "atsCandidateId": str(candidate.pk),
        "atsCreatedAt": int(application.created_at.timestamp() * 1000),
        "atsLastModifiedAt": int(application.updated_at.timestamp() * 1000),
        "atsJobPostingId": application.job.number,
        "atsJobPostingName": application.job.title,
        "firstName": candidate.first_name,
        "lastName": candidate.last_name,
        "source": application.get_source_display(),
    }
    if email:
        entity["candidateEmail"] = email
    if application.status != ApplicationStatus.ACTIVE:
        reason = application.rejection_reason.name if application.rejection_reason else ""
        entity["dispositionReason"] = reason or application.get_status_display()
    return entity


def _send(connection: RecruiterConnection, rows: list[OutboxRow]) -> DrainResult:
    """Collapse rows per entity (latest wins, in order), send, then mark every row."""
    result = DrainResult()
    latest: dict[tuple[str, str], OutboxRow] = {}
    for row in rows:
        latest.pop((row.entity_type, row.entity_id), None)
        latest[(row.entity_type, row.entity_id)] = row
    creds = client.Credentials(connection.client_id, connection.client_secret)
    errors: dict[tuple[str, str], str] = {}
    try:
        _send_applications(connection, creds, list(latest.values()), result, errors)
    except client.LinkedInValidationError as exc:  # the whole request refused: park the rows
        errors = {(row.entity_type, row.entity_id): str(exc)[:500] for row in latest.values()}
    except client.LinkedInError as exc:  # outage, rate limit, token trouble: try again later
        # Elements LinkedIn refused before the outage stay refused: parked, never sent again.
        refused = [row for row in rows if (row.entity_type, row.entity_id) in errors]
        _mark(refused, errors, result)
        later = [row for row in rows if (row.entity_type, row.entity_id) not in errors]
        _retry_later(later, str(exc) or type(exc).__name__, result)
        return result
    _mark(rows, errors, result)
    return result


def _send_applications(
    connection: RecruiterConnection,
    creds: client.Credentials,
    rows: Sequence[OutboxRow],
    result: DrainResult,
    errors: dict[tuple[str, str], str],
) -> dict[tuple[str, str], str]:
    """Jobs, candidates, applications with their stages, notes and feedback, then deletes;
    the element errors by entity, gathered in `errors` as the requests go."""
    errors.update(_send_jobs(connection, creds, rows))
    upserts = _upserts(rows)
    applications = list(
        Application.objects.filter(pk__in=upserts[APPLICATION])
        .exclude(stage__kind=StageKind.PROSPECT)
        .select_related("candidate", "job", "rejection_reason")
        .prefetch_related("candidate__emails", "history__to_stage")
    )
    candidates = {a.candidate_id: a.candidate for a in applications}
    for candidate in _candidates_past_prospect(upserts[CANDIDATE]):
        candidates[candidate.pk] = candidate
    result.skipped += len(upserts[APPLICATION]) - len(applications)
    entities = [
        (candidate_key(connection, pk), candidate_entity(c)) for pk, c in candidates.items()
    ]
    errors |= _by_id(CANDIDATE, client.batch_update(creds, CANDIDATES, entities))
    sendable = [a for a in applications if (CANDIDATE, str(a.candidate_id)) not in errors]
    for application in applications:
        if application not in sendable:
            errors[(APPLICATION, str(application.pk))] = errors[
                (CANDIDATE, str(application.candidate_id))
            ]
    entities = [(_application_key(connection, a.pk), application_entity(a)) for a in sendable]
    errors |= _by_id(APPLICATION, client.batch_update(creds, APPLICATIONS, entities))
    sent = [a for a in sendable if (APPLICATION, str(a.pk)) not in errors]
    errors |= _send_stages(connection, creds, sent)
    errors |= _send_notes(connection, creds, rows, skip=errors)
    errors |= _send_feedback(connection, creds, rows, skip=errors)
    errors |= _deletes(connection, creds, rows)
    return errors


def _send_stages(
    connection: RecruiterConnection, creds: client.Credentials, applications: list[Application]
) -> dict[tuple[str, str], str]:
    """Each application's stage history past Prospect (one request per application)."""
    # Reference: LINKEDIN.md 2.5, PUT …/atsApplications/{key}/stages {atsCreatedAt, stage}
    errors: dict[tuple[str, str], str] = {}
    for application in applications:
        entities = [
            ({"id": str(event.pk)}, {"atsCreatedAt": _ms(event.at), "stage": event.to_stage.name})
            for event in application.history.all()
            if event.to_stage and event.to_stage.kind != StageKind.PROSPECT
        ]
        if not entities:
            continue
        path = f"{APPLICATIONS}/{restli.key_path(_application_key(connection, application.pk))}"
        answer = client.batch_update(creds, f"{path}/stages", entities)
        if answer.errors:
            first = answer.errors[0]
            errors[(APPLICATION, str(application.pk))] = f"{first.status}: {first.message}"[:500]
    return errors


def _notes_path(connection: RecruiterConnection, application_pk: Any) -> str:
    key = restli.key_path(_application_key(connection, application_pk))
    return f"{APPLICATIONS}/{key}/notes"


def _send_notes(
    connection: RecruiterConnection,
    creds: client.Credentials,
    rows: Sequence[OutboxRow],
    skip: dict[tuple[str, str], str],
) -> dict[tuple[str, str], str]:
    """Shared notes on applications past Prospect, per application; deletes of the others."""
    # Reference: LINKEDIN.md 2.5, PUT …/atsApplications/{key}/notes {atsCreatedAt, note, author}
    ids = [int(r.entity_id) for r in rows if r.entity_type == NOTE and r.operation == "upsert"]
    notes = (
        Note.objects.filter(pk__in=ids, visibility=NoteVisibility.EVERYONE)
        .exclude(application=None)
        .exclude(application__stage__kind=StageKind.PROSPECT)
        .select_related("author")
    )
    per_application: dict[int, list[tuple[dict, dict]]] = {}
    for note in notes:
        author = note.author
        entity: dict[str, Any] = {"atsCreatedAt": _ms(note.created_at), "note": note.body}
        if author is not None:
            entity["author"] = {"firstName": author.first_name, "lastName": author.last_name}
        application_pk = int(note.application_id or 0)  # never 0: notes without one are excluded
        per_application.setdefault(application_pk, []).append(({"id": str(note.pk)}, entity))
    for row in rows:
        if row.entity_type == NOTE and row.operation == "delete":
            per_application.setdefault(int(row.payload["application"]), [])
    errors: dict[tuple[str, str], str] = {}
    for application_pk, entities in per_application.items():
        if (APPLICATION, str(application_pk)) in skip:
            continue
        path = _notes_path(connection, application_pk)
        if entities:
            errors |= _by_id(NOTE, client.batch_update(creds, path, entities))
        gone = [
            {"id": r.entity_id}
            for r in rows
            if r.entity_type == NOTE
            and r.operation == "delete"
            and r.payload.get("application") == application_pk
        ]
        if gone:
            errors |= _by_id(NOTE, client.batch_delete(creds, path, gone), gone_ok=True)
    return errors


def feedback_entity(feedback: InterviewFeedback) -> dict[str, Any]:
    """The interviewFeedback record: the recommendation and texts, ratings as evaluations."""
    texts = [
        f"Recommendation: {feedback.get_recommendation_display()}",
        *(
            f"{label}: {text}"
            for label, text in (
                ("Strengths", feedback.strengths),
                ("Concerns", feedback.concerns),
                ("Comments", feedback.comments),
            )
            if text
        ),
    ]
    interviewer = feedback.interviewer
    return {
        "atsCreatedAt": _ms(feedback.submitted_at),
        "feedback": "\n\n".join(texts),
        "evaluations": [
            {"attribute": str(label), "result": f"{value}/5"}
            for label, value in feedback.ratings.items()
        ],
        "interviewer": {"firstName": interviewer.first_name, "lastName": interviewer.last_name},
    }


def _send_feedback(
    connection: RecruiterConnection,
    creds: client.Credentials,
    rows: Sequence[OutboxRow],
    skip: dict[tuple[str, str], str],
) -> dict[tuple[str, str], str]:
    """Interview feedback on applications past Prospect, one request per application."""
    # Reference: LINKEDIN.md 2.5, PUT …/atsApplications/{key}/interviewFeedback
    ids = [int(r.entity_id) for r in rows if r.entity_type == FEEDBACK]
    found = (
        InterviewFeedback.objects.filter(pk__in=ids)
        .exclude(application__stage__kind=StageKind.PROSPECT)
        .select_related("interviewer")
    )
    per_application: dict[int, list[tuple[dict, dict]]] = {}
    for feedback in found:
        entity = ({"id": str(feedback.pk)}, feedback_entity(feedback))
        per_application.setdefault(feedback.application_id, []).append(entity)
    errors: dict[tuple[str, str], str] = {}
    for application_pk, entities in per_application.items():
        if (APPLICATION, str(application_pk)) in skip:
            continue
        key = restli.key_path(_application_key(connection, application_pk))
        answer = client.batch_update(creds, f"{APPLICATIONS}/{key}/interviewFeedback", entities)
        errors |= _by_id(FEEDBACK, answer)
    return errors


def sync_settings_get() -> SyncSettings:
    """The organisation's sync settings (created with the defaults on first use)."""
    return SyncSettings.objects.get_or_create(pk=1)[0]


def _ms(moment: Any) -> int:
    return int(moment.timestamp() * 1000)


def job_element(connection: RecruiterConnection, job: Job, operation: str) -> dict[str, Any]:
    """The simpleJobPostings element of a job (LINKEDIN.md 2.5, RSC extension fields)."""
    base = organisation_get().public_site_url.strip().rstrip("/")
    place = [job.city, job.region or job.country]
    return {
        "integrationContext": connection.organization_urn,
        "externalJobPostingId": job.number,
        "jobPostingOperationType": operation,
        "title": job.title,
        "description": job.description,
        "listedAt": _ms(job.activated_at or job.created_at),
        "location": ", ".join(p for p in place if p),
        "companyApplyUrl": base + reverse("careers:job", args=[job.number]),
        "posterEmail": job.poster.email,
        "availability": sync_settings_get().job_availability,
        **job_owner_fields(job),
    }


def _send_jobs(
    connection: RecruiterConnection, creds: client.Credentials, rows: Sequence[OutboxRow]
) -> dict[tuple[str, str], str]:
    """Active jobs are created or updated, closed jobs closed (if LinkedIn has them)."""
    # Reference: LINKEDIN.md 2.5, POST /v2/simpleJobPostings (batch_create), one task per job
    ids = [int(r.entity_id) for r in rows if r.entity_type == JOB and r.operation == "upsert"]
    history = _history_jobs(rows)
    listed = set(
        OutboxRow.objects.filter(
            entity_type=JOB, status=OutboxRow.Status.DONE, payload__listed=True
        ).values_list("entity_id", flat=True)
    )
    # A job LinkedIn refused to create is not there to update: it is created again.
    listed -= {str(pk) for pk in services_job_tasks.jobs_never_created(ids)}
    jobs, elements = [], []
    found = Job.objects.filter(pk__in=ids).select_related("poster").prefetch_related("team__user")
    for job in found:
        was_listed = str(job.pk) in listed
        if job.status == JobStatus.ACTIVE:
            operation = "UPDATE" if was_listed else "CREATE"
        elif job.status == JobStatus.CLOSED and was_listed:
            operation = "CLOSE"
        elif job.status == JobStatus.CLOSED and str(job.pk) in history:
            jobs.append(job)  # a closed job of the history: LinkedIn learns it, then closes it
            elements.append(job_element(connection, job, "CREATE"))
            operation = "CLOSE"
        else:
            continue
        jobs.append(job)
        elements.append(job_element(connection, job, operation))
    active = {str(j.pk) for j in jobs if j.status == JobStatus.ACTIVE}
    for row in rows:
        if row.entity_type == JOB and row.operation == "upsert":  # listed once done: updates next
            row.payload = {"listed": row.entity_id in active}
    if not elements:
        return {}
    answer = client.batch_create(creds, JOBS, elements)
    # Each accepted job's task is polled later (services_job_tasks); stored in the drain's
    # transaction, which also marks the rows done.
    services_job_tasks.job_tasks_record(jobs=jobs, elements=elements, answer=answer)
    return {
        (JOB, str(jobs[int(e.key)].pk)): f"{e.status}: {e.message}"[:500] for e in answer.errors
    }


def _upserts(rows: Sequence[OutboxRow]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {APPLICATION: [], CANDIDATE: []}
    for row in rows:
        if row.operation == OutboxRow.Operation.UPSERT and row.entity_type in out:
            out[row.entity_type].append(int(row.entity_id))
    return out


def _candidates_past_prospect(ids: list[int]) -> list[Candidate]:
    if not ids:
        return []
    applied = Application.objects.exclude(stage__kind=StageKind.PROSPECT).values("candidate_id")
    return list(
        Candidate.objects.filter(pk__in=ids).filter(pk__in=applied).prefetch_related("emails")
    )


def _deletes(
    connection: RecruiterConnection, creds: client.Credentials, rows: Sequence[OutboxRow]
) -> dict[tuple[str, str], str]:
    """Applications (also those of erased candidates), then candidates; 404 means gone."""
    deletes = [r for r in rows if r.operation == OutboxRow.Operation.DELETE]
    applications = [r.entity_id for r in deletes if r.entity_type == APPLICATION]
    for row in deletes:
        if row.entity_type == CANDIDATE:
            applications += [str(pk) for pk in row.payload.get("applications", [])]
    candidates = [r.entity_id for r in deletes if r.entity_type == CANDIDATE]
    errors: dict[tuple[str, str], str] = {}
    if applications:
        keys = [_application_key(connection, pk) for pk in dict.fromkeys(applications)]
        errors |= _by_id(APPLICATION, client.batch_delete(creds, APPLICATIONS, keys), gone_ok=True)
    if candidates:
        keys = [candidate_key(connection, int(pk)) for pk in candidates]
        errors |= _by_id(CANDIDATE, client.batch_delete(creds, CANDIDATES, keys), gone_ok=True)
    errors |= _job_deletes(connection, creds, deletes)
    return errors


def _by_id(
    entity_type: str, answer: restli.BatchResult, *, gone_ok: bool = False
) -> dict[tuple[str, str], str]:
    """Element errors by (entity type, our id): the first field of the compound key."""
    return {
        (entity_type, e.key.split("&", 1)[0].split("=", 1)[-1]): f"{e.status}: {e.message}"[:500]
        for e in answer.errors
        if not (gone_ok and e.status == 404)
    }


def _mark(rows: list[OutboxRow], errors: dict[tuple[str, str], str], result: DrainResult) -> None:
    now = timezone.now()
    for row in rows:
        error = errors.get((row.entity_type, row.entity_id))
        row.attempts += 1
        if error:
            row.status, row.last_error = OutboxRow.Status.PARKED, error
            result.parked += 1
            result.errors.append(f"{row.entity_type} {row.entity_id}: {error}")
        else:
            row.status, row.sent_at, row.last_error = OutboxRow.Status.DONE, now, ""
            result.sent += 1
    OutboxRow.objects.bulk_update(rows, ["status", "attempts", "last_error", "sent_at", "payload"])


def _retry_later(rows: list[OutboxRow], error: str, result: DrainResult) -> None:
    now = timezone.now()
    for row in rows:
        row.attempts += 1
        row.last_error = error[:500]
        row.next_attempt_at = now + timedelta(seconds=min(MAX_BACKOFF, 30.0 * 2**row.attempts))
    OutboxRow.objects.bulk_update(rows, ["attempts", "last_error", "next_attempt_at"])
    result.retried += len(rows)
    log.warning("LinkedIn outbox: %s rows retried later: %s", len(rows), error)


def sync_settings_update(*, by: User, job_availability: str) -> SyncSettings:
    """Change how jobs are listed on LinkedIn; every active job is sent again."""
    require_admin(by)
    if job_availability not in SyncSettings.Availability.values:
        raise ValidationError({"job_availability": "Choose how jobs are listed on LinkedIn."})
    with transaction.atomic():
        settings = sync_settings_get()
        if settings.job_availability != job_availability:
            settings.job_availability = job_availability
            settings.save()
            for job in Job.objects.filter(status=JobStatus.ACTIVE, internal_only=False):
                outbox.job_changed(job)
    return settings


# --- Jobs: the requisition owner, deleted jobs, closed jobs of the full history -----------------


def job_owner_fields(job: Job) -> dict[str, Any]:
    """The RSC requisition owner (LINKEDIN.md 2.5): the job's first recruiter, else its poster."""
    leads = [m for m in job.team.all() if m.role == TeamRole.RECRUITER and m.delegate_of_id is None]
    owner = min(leads, key=lambda m: m.pk).user if leads else job.poster
    if not owner.email:
        return {}
    return {
        "requisitionOwnerEmail": owner.email,
        "requisitionOwnerFirstName": owner.first_name,
        "requisitionOwnerLastName": owner.last_name,
    }


def job_close_element(job: Job) -> dict[str, Any]:
    """What closing a job on LinkedIn needs, kept on its delete row (the job is gone by then)."""
    return job_element(connection_get(), job, "CLOSE")


def _history_jobs(rows: Sequence[OutboxRow]) -> set[str]:
    return {r.entity_id for r in rows if r.entity_type == JOB and r.payload.get("history")}


def _job_deletes(
    connection: RecruiterConnection, creds: client.Credentials, rows: Sequence[OutboxRow]
) -> dict[tuple[str, str], str]:
    """Deleted jobs LinkedIn lists are closed there (postings are closed, never deleted)."""
    gone = [r for r in rows if r.entity_type == JOB and r.payload.get("element")]
    listed = set(
        OutboxRow.objects.filter(
            entity_type=JOB,
            entity_id__in=[r.entity_id for r in gone],
            status=OutboxRow.Status.DONE,
            payload__listed=True,
        ).values_list("entity_id", flat=True)
    )
    closing = [r for r in gone if r.entity_id in listed]
    if not closing:
        return {}
    elements = [
        {**r.payload["element"], "integrationContext": connection.organization_urn} for r in closing
    ]
    answer = client.batch_create(creds, JOBS, elements)
    return {
        (JOB, closing[int(e.key)].entity_id): f"{e.status}: {e.message}"[:500]
        for e in answer.errors
    }
