"""LinkedIn 1-click export (LinkedIn → Attract): an EXPORT_CANDIDATE_PROFILE push becomes a
prospect on the job, or a refusal recorded with its reason. Idempotent on the request id."""

import logging
import time
from collections.abc import Mapping
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from attract.access import require_admin
from attract.models import User
from candidates.models import Application, Candidate, CandidateEmail, CandidateSource
from candidates.services.applications import application_create
from candidates.services.candidates import candidate_create, normalise_email
from jobs.choices import JobStatus, StageKind, TeamRole
from jobs.models import HiringTeamMember, Job, JobStage
from linkedin import client
from linkedin.models_rsc import RecruiterConnection, RecruiterSeat, WebhookEvent
from linkedin.models_sync import ExportRequest
from linkedin.selectors_rsc import connection_get, linkedin_tasks_allowed
from linkedin.selectors_sync import export_pending_event_ids

log = logging.getLogger(__name__)

EXPORT = "EXPORT_CANDIDATE_PROFILE"
DATA_PROVIDER = "ATS"


class Refused(Exception):
    """The export breaks a rule: it is recorded with this reason and creates nothing."""


def export_handle(*, event_id: int) -> ExportRequest | None:
    """Import the candidate of one recorded export push (again: a no-op), then tell LinkedIn."""
    event = WebhookEvent.objects.get(pk=event_id)
    if event.kind != EXPORT:
        return None
    export = ExportRequest.objects.filter(request_id=event.request_id).first()
    if export is None:
        if event.status != WebhookEvent.Status.RECEIVED:
            return None
        if not linkedin_tasks_allowed():
            return None  # kept as received: handled once LinkedIn tasks are on (or "Run now")
        export = _import(event, _fetch(connection_get(), event.request_id))
    if export.status == ExportRequest.Status.IMPORTED and not export.matched_on_linkedin:
        _push_match(connection_get(), export)
    return export


def _credentials(connection: RecruiterConnection) -> client.Credentials:
    return client.Credentials(connection.client_id, connection.client_secret)


def _fetch(connection: RecruiterConnection, request_id: str) -> dict[str, Any] | None:
    """What LinkedIn exported (None: LinkedIn does not know this request)."""
    # Reference: LINKEDIN.md 2.6, GET /v2/exportedCandidates?q=request&requestId=…
    try:
        elements = client.finder(
            _credentials(connection),
            "/v2/exportedCandidates",
            {"q": "request", "requestId": request_id},
        )
    except client.LinkedInNotFound:
        return None
    return elements[0] if elements else None


def _import(event: WebhookEvent, element: Mapping[str, Any] | None) -> ExportRequest:
    with transaction.atomic():
        WebhookEvent.objects.select_for_update().get(pk=event.pk)
        export = ExportRequest.objects.filter(request_id=event.request_id).first()
        if export is not None:  # another worker got there first
            return export
        export = _record(event.request_id, element or {})
        _finish(event, WebhookEvent.Status.PROCESSED, export.reason)
    return export


def _record(request_id: str, element: Mapping[str, Any]) -> ExportRequest:
    person = element.get("candidate") or {}
    export = ExportRequest(
        request_id=request_id,
        job_number=str(element.get("externalJobPostingId") or "")[:200],
        seat_urn=str(element.get("exporter") or "")[:100],
        member_urn=str(person.get("person") or "")[:100],
    )
    try:
        if not element:
            raise Refused("LinkedIn does not know this export request.")
        job, prospect = _check(export)
        with transaction.atomic():
            export.application_pk, export.reason = _apply(job, prospect, person)
        export.status = ExportRequest.Status.IMPORTED
    except (Refused, ValidationError) as exc:  # a service rule (e.g. a bad profile URL)
        reason = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        export.status, export.reason = ExportRequest.Status.REFUSED, reason[:500]
        log.info("LinkedIn export %s refused: %s", request_id, exc)
    export.save()
    return export


def _check(export: ExportRequest) -> tuple[Job, JobStage]:
    """The job is active with a Prospect stage; the seat's user recruits or manages it."""
    job = Job.objects.filter(number=export.job_number).first()
    if job is None:
        raise Refused(f"No job {export.job_number or '(none)'} in Attract.")
    if job.status != JobStatus.ACTIVE:
        raise Refused(f"Job {job.number} is not active.")
    prospect = job.stages.filter(kind=StageKind.PROSPECT).order_by("position").first()
    if prospect is None:
        raise Refused(f"Job {job.number} has no Prospect stage.")
    seat = RecruiterSeat.objects.select_related("user").filter(seat_urn=export.seat_urn).first()
    if seat is None or seat.user is None or not seat.user.is_active:
        raise Refused(f"The seat {export.seat_urn or '(none)'} is not linked to an Attract user.")
    on_team = HiringTeamMember.objects.filter(
        job=job, user=seat.user, role__in=[TeamRole.RECRUITER, TeamRole.HIRING_MANAGER]
    ).exists()
    if not on_team:
        raise Refused(f"{seat.user} is not a recruiter or hiring manager of {job.number}.")
    return job, prospect


def _apply(job: Job, prospect: JobStage, person: Mapping[str, Any]) -> tuple[int, str]:
    candidate = _match(person) or _create(person)
    existing = Application.objects.filter(candidate=candidate, job=job).first()
    if existing is not None:
        return existing.pk, f"{candidate.full_name} was already on {job.number}."
    application = application_create(
        candidate=candidate,
        job=job,
        by=None,
        stage=prospect,
        source=CandidateSource.LINKEDIN_EXPORT,
    )
    return application.pk, ""


def _emails(person: Mapping[str, Any]) -> list[str]:
    return [normalise_email(e) for e in person.get("emailAddresses") or [] if e]


def _match(person: Mapping[str, Any]) -> Candidate | None:
    """The person by LinkedIn member URN, then by email (which then learns the URN)."""
    urn = str(person.get("person") or "")
    if urn:
        found = Candidate.objects.filter(linkedin_member_urn=urn).first()
        if found is not None:
            return found
    emails = _emails(person)
    mail = CandidateEmail.objects.select_related("candidate").filter(email__in=emails).first()
    if mail is None:
        return None
    candidate = mail.candidate
    if urn and not candidate.linkedin_member_urn:
        candidate.linkedin_member_urn = urn
        candidate.save(update_fields=["linkedin_member_urn", "updated_at"])
    return candidate


def _create(person: Mapping[str, Any]) -> Candidate:
    emails = _emails(person)
    phones = [str(p.get("number")) for p in person.get("phoneNumbers") or [] if p.get("number")]
    candidate, _ = candidate_create(
        by=None,
        first_name=str(person.get("firstName") or "LinkedIn")[:100],
        last_name=str(person.get("lastName") or "member")[:100],
        email=emails[0] if emails else "",
        phones=phones,
        source=CandidateSource.LINKEDIN_EXPORT,
        linkedin_member_urn=str(person.get("person") or "")[:100],
        linkedin_url=str(person.get("publicProfileUrl") or "")[:300],
        current_company=str(person.get("currentCompanyName") or "")[:200],
        current_title=str(person.get("currentJobTitle") or "")[:200],
    )
    return candidate


def _finish(event: WebhookEvent, status: str, error: str) -> None:
    event.status = status
    event.error = error[:500]
    event.attempts += 1
    event.processed_at = timezone.now()
    event.save(update_fields=["status", "error", "attempts", "processed_at"])


# --- Telling LinkedIn: the candidate, then the manual match to the exported member ---------------


def candidate_key(connection: RecruiterConnection, candidate_pk: int) -> dict[str, str]:
    # Reference: LINKEDIN.md 2.5, atsCandidates compound key.
    return {
        "atsCandidateId": str(candidate_pk),
        "dataProvider": DATA_PROVIDER,
        "integrationContext": connection.organization_urn,
    }


def candidate_entity(candidate: Candidate) -> dict[str, Any]:
    """The atsCandidates record of a candidate (LINKEDIN.md 2.5)."""
    entity: dict[str, Any] = {
        "atsCreatedAt": int(candidate.created_at.timestamp() * 1000),
        "atsLastModifiedAt": int(time.time() * 1000),
        "firstName": candidate.first_name,
        "lastName": candidate.last_name,
        "emailAddresses": [e.email for e in candidate.emails.all()],
        "phoneNumbers": [{"number": str(p)} for p in candidate.phones or []],
        "addresses": [],
    }
    if candidate.current_company:
        entity["currentCompanyName"] = candidate.current_company
    if candidate.current_title:
        entity["currentJobTitle"] = candidate.current_title
    if candidate.linkedin_url:
        entity["linkedInProfileUrl"] = candidate.linkedin_url
    return entity


def _push_match(connection: RecruiterConnection, export: ExportRequest) -> None:
    """Sync the exported candidate and match it to the member (LinkedIn errors: retried)."""
    application = Application.objects.select_related("candidate").filter(
        pk=export.application_pk or 0
    )
    candidate = application[0].candidate if application else None
    if candidate is None or not export.member_urn:
        return
    creds = _credentials(connection)
    key = candidate_key(connection, candidate.pk)
    # Decision: an exported person is sent even while in Prospect, because LinkedIn needs the
    # atsCandidate before it takes the manual match; LinkedIn sent us this person itself.
    result = client.batch_update(creds, "/v2/atsCandidates", [(key, candidate_entity(candidate))])
    if not result.errors:
        result = client.batch_partial_update(
            creds, "/v2/atsCandidates", [(key, {"manualMatchedMember": export.member_urn})]
        )
    if result.errors:
        export.reason = f"LinkedIn refused the match: {result.errors[0].message}"[:500]
        export.save(update_fields=["reason"])
        return
    export.matched_on_linkedin = True
    export.save(update_fields=["matched_on_linkedin"])


def sync_run_now(*, by: User) -> int:
    """Drain the outbox now and queue again every export push not yet imported or matched;
    returns how many exports were queued."""
    require_admin(by)
    from linkedin.tasks_sync import drain_outbox, handle_export

    ids = export_pending_event_ids()
    for event_id in ids:
        transaction.on_commit(partial(handle_export.delay, event_id))
    transaction.on_commit(drain_outbox.delay)
    return len(ids)
