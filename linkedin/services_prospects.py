"""LinkedIn → Attract prospect interactions (LINKEDIN.md 2.9): InMail history, notes history and
InMail stubs, pulled per seat in windows of at most 12 hours from a stored watermark."""

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from attract.models import User
from candidates.models import Candidate, CandidateEmail, CandidateSource
from candidates.services.candidates import (
    candidate_create,
    normalise_email,
    require_can_add_candidates,
)
from linkedin import client, restli
from linkedin.locks import run_lock
from linkedin.models_prospects import (
    InMailEvent,
    MailStub,
    ProspectFlow,
    ProspectNote,
    ProspectWatermark,
)
from linkedin.models_rsc import AccessLevel, RecruiterConnection, RecruiterSeat
from linkedin.selectors_rsc import connection_get, linkedin_tasks_allowed
from linkedin.services_export import candidate_key
from linkedin.services_sync import pull_logged
from talentpools.services import linkedin_pool, pool_add_members

log = logging.getLogger(__name__)

WINDOW_MS = 12 * 3600 * 1000  # Reference: LINKEDIN.md 2.9, a window is at most 12 hours
LOCK_KEY = "linkedin:prospects:pull"
# The lock goes with a killed worker's connection on PostgreSQL; the cache lock of a laptop
# expires after this (above the task's time limit).
LOCK_SECONDS = 60 * 60
# Decision: stop windows five minutes short of now, so an InMail LinkedIn records a little late
# still falls in a window that has not been stored yet.
SETTLE_MS = 5 * 60 * 1000


@dataclass
class PullOutcome:
    status: str  # "ok", "busy", "disabled"
    stored: dict[str, int] = field(default_factory=dict)
    windows: int = 0


def _lookback_ms() -> int:
    # Decision: the first pull of a seat goes back this far (LinkedIn keeps more; 14 days default).
    return int(getattr(settings, "LINKEDIN_PROSPECTS_LOOKBACK_HOURS", 14 * 24)) * 3600 * 1000


def prospects_pull(*, now_ms: int | None = None) -> PullOutcome:
    """Pull every flow of every linked seat up to now; exits at once while another run holds it."""
    if not linkedin_tasks_allowed():
        return PullOutcome("disabled")
    connection = connection_get()
    if connection.access_level != AccessLevel.CONTRACT:
        return PullOutcome("disabled")
    with run_lock(LOCK_KEY, LOCK_SECONDS) as held:
        if not held:
            log.info("LinkedIn prospect pull skipped: another run holds the lock")
            return PullOutcome("busy")
        return _pull_all(connection, now_ms or int(time.time() * 1000) - SETTLE_MS)


def _pull_all(connection: RecruiterConnection, now_ms: int) -> PullOutcome:
    outcome = PullOutcome("ok", dict.fromkeys(ProspectFlow.values, 0))
    creds = client.Credentials(connection.client_id, connection.client_secret)
    seats = RecruiterSeat.objects.filter(
        active=True, user__isnull=False, contract_urn=connection.contract_urn
    )
    for seat in seats:
        for flow in ProspectFlow.values:
            with pull_logged(seat.seat_urn, flow, outcome.stored):  # the sync dashboard's counts
                _pull_flow(creds, seat.seat_urn, connection.contract_urn, flow, now_ms, outcome)
    return outcome


def _pull_flow(
    creds: client.Credentials,
    seat_urn: str,
    contract: str,
    flow: str,
    now_ms: int,
    outcome: PullOutcome,
) -> None:
    mark = ProspectWatermark.objects.filter(seat_urn=seat_urn, flow=flow).first()
    start = mark.until_ms if mark else now_ms - _lookback_ms()
    while start < now_ms:
        end = min(start + WINDOW_MS, now_ms)
        elements = FETCH[flow](creds, seat_urn, contract, start, end)
        with transaction.atomic():
            outcome.stored[flow] += STORE[flow](seat_urn, elements)
            ProspectWatermark.objects.update_or_create(
                seat_urn=seat_urn, flow=flow, defaults={"until_ms": end}
            )
        outcome.windows += 1
        start = end


# --- Fetching (one finder per window) -------------------------------------------------------


def _fetch_events(
    creds: client.Credentials, seat: str, contract: str, start: int, end: int
) -> list[dict]:
    # Reference: LINKEDIN.md 2.9, GET /v2/conversationEvents?q=criteria&viewer=&timeRange.*
    params = {"q": "criteria", "viewer": seat, "timeRange.start": start, "timeRange.end": end}
    return client.finder(creds, "/v2/conversationEvents", params, page_size=50)


def _fetch_notes(
    creds: client.Credentials, seat: str, contract: str, start: int, end: int
) -> list[dict]:
    # Reference: LINKEDIN.md 2.9, prospectNotes cutoffDate (from) and beforeDate (to).
    params = {
        "q": "criteria",
        "contract": contract,
        "owners": seat,
        "cutoffDate": start,
        "beforeDate": end,
    }
    return client.finder(creds, "/v2/prospectNotes", params, page_size=100)


def _fetch_stubs(
    creds: client.Credentials, seat: str, contract: str, start: int, end: int
) -> list[dict]:
    # Reference: LINKEDIN.md 2.9, createdDateStart inclusive, createdDateEnd not inclusive.
    params = {
        "q": "contract",
        "contract": contract,
        "owners": seat,
        "createdDateStart": start,
        "createdDateEnd": end,
    }
    return client.finder(creds, "/v2/mailStubs", params, page_size=50)


# --- Storing (inside the window's transaction) -----------------------------------------------


def _when(ms: Any) -> datetime:
    return datetime.fromtimestamp(int(ms) / 1000, tz=UTC)


def _member_of_event(event: Mapping[str, Any]) -> str:
    # Guess (LINKEDIN.md open item 3): SENT names the member in recipients, RECEIVED in sender.
    if event.get("direction") == InMailEvent.Direction.RECEIVED:
        return str(event.get("sender") or "")
    recipients = event.get("recipients") or [""]
    return str(recipients[0])


def _store_events(seat_urn: str, elements: list[dict]) -> int:
    rows = [
        InMailEvent(
            event_id=str(e["id"])[:100],
            seat_urn=seat_urn,
            member_urn=_member_of_event(e)[:100],
            direction=str(e.get("direction") or InMailEvent.Direction.SENT)[:16],
            conversation=str(e.get("conversation") or "")[:200],
            subject=str(e.get("subject") or "")[:500],
            body=str(e.get("body") or ""),
            occurred_at=_when(e["occurredAt"]),
        )
        for e in elements
    ]
    known = set(
        InMailEvent.objects.filter(event_id__in=[r.event_id for r in rows]).values_list(
            "event_id", flat=True
        )
    )
    new = [r for r in rows if r.event_id not in known]
    InMailEvent.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _store_notes(seat_urn: str, elements: list[dict]) -> int:
    stored = 0
    for note in elements:
        note_id = str(note["id"])[:100]
        if not note.get("active", True):
            ProspectNote.objects.filter(note_id=note_id).delete()
            continue
        _, created = ProspectNote.objects.update_or_create(
            note_id=note_id,
            defaults={
                "seat_urn": str(note.get("owner") or seat_urn)[:100],
                "member_urn": str(note.get("prospect") or "")[:100],
                "text": str(note.get("note") or ""),
                "visibility": _visibility(note.get("visibility")),
                "updated_at": _when(note.get("lastModified") or note.get("created")),
                "active": True,
            },
        )
        stored += int(created)
    return stored


def _visibility(value: Any) -> str:
    public = ProspectNote.Visibility.PUBLIC
    return public if value == public else ProspectNote.Visibility.PRIVATE


def _store_stubs(seat_urn: str, elements: list[dict]) -> int:
    stored = 0
    for stub in elements:
        stub_id = str(stub["id"])[:100]
        if MailStub.objects.filter(stub_id=stub_id).exists():
            continue
        member = str(stub.get("member") or "")[:100]
        candidate = stub_candidate(stub)
        pool_add_members(pool=linkedin_pool(), by=None, candidates=[candidate])
        MailStub.objects.create(
            stub_id=stub_id, seat_urn=seat_urn, member_urn=member, created_at=_when(stub["created"])
        )
        stored += 1
    return stored


def stub_candidate(stub: Mapping[str, Any]) -> Candidate:
    """The person of a mail stub: by member URN, then by email (learning the URN), or new."""
    urn = str(stub.get("member") or "")[:100]
    found = Candidate.objects.filter(linkedin_member_urn=urn).first() if urn else None
    if found is not None:
        return found
    email = _email(stub.get("emailAddress"))
    mail = CandidateEmail.objects.select_related("candidate").filter(email=email).first()
    if email and mail is not None:
        if urn and not mail.candidate.linkedin_member_urn:
            mail.candidate.linkedin_member_urn = urn
            mail.candidate.save(update_fields=["linkedin_member_urn", "updated_at"])
        return mail.candidate
    candidate, _ = candidate_create(
        by=None,
        first_name=str(stub.get("firstName") or "LinkedIn")[:100],
        last_name=str(stub.get("lastName") or "member")[:100],
        email=email,
        source=CandidateSource.LINKEDIN_STUB,
        linkedin_member_urn=urn,
    )
    return candidate


def _email(value: Any) -> str:
    try:
        return normalise_email(str(value)) if value else ""
    except ValidationError:
        return ""  # LinkedIn shared something that is not an address: keep the person without it


Fetch = Callable[[client.Credentials, str, str, int, int], list[dict]]
FETCH: dict[str, Fetch] = {
    ProspectFlow.EVENTS: _fetch_events,
    ProspectFlow.NOTES: _fetch_notes,
    ProspectFlow.STUBS: _fetch_stubs,
}
STORE: dict[str, Callable[[str, list[dict]], int]] = {
    ProspectFlow.EVENTS: _store_events,
    ProspectFlow.NOTES: _store_notes,
    ProspectFlow.STUBS: _store_stubs,
}


# --- Linking a candidate to a LinkedIn member (the candidate's LinkedIn tab) -------------------

MEMBER_URN_PREFIX = "urn:li:person:"


def candidate_link_member(*, by: User, candidate: Candidate, member_urn: str) -> bool:
    """Link the candidate to a member; True when LinkedIn took the manual match too."""
    require_can_add_candidates(by)
    urn = member_urn.strip()
    if not urn.startswith(MEMBER_URN_PREFIX) or len(urn) > 100 or urn == MEMBER_URN_PREFIX:
        raise ValidationError({"member_urn": "A LinkedIn member looks like urn:li:person:…"})
    taken = Candidate.objects.filter(linkedin_member_urn=urn).exclude(pk=candidate.pk)
    if taken.exists():
        raise ValidationError({"member_urn": "Another candidate is linked to this member."})
    candidate.linkedin_member_urn = urn
    candidate.save(update_fields=["linkedin_member_urn", "updated_at"])
    return _push_manual_match(candidate, {"$set": {"manualMatchedMember": urn}})


def candidate_unlink_member(*, by: User, candidate: Candidate) -> bool:
    """Forget the candidate's member; True when LinkedIn dropped the manual match too."""
    require_can_add_candidates(by)
    candidate.linkedin_member_urn = ""
    candidate.save(update_fields=["linkedin_member_urn", "updated_at"])
    return _push_manual_match(candidate, {"$delete": ["manualMatchedMember"]})


def _push_manual_match(candidate: Candidate, patch: dict[str, Any]) -> bool:
    if not linkedin_tasks_allowed():
        return False
    connection = connection_get()
    key = candidate_key(connection, candidate.pk)
    creds = client.Credentials(connection.client_id, connection.client_secret)
    # Reference: LINKEDIN.md 2.7, manualMatchedMember patched on atsCandidates.
    try:
        answer = client.call(
            "POST",
            "/v2/atsCandidates",
            creds=creds,
            query=restli.ids_query([key]),
            json_body={"entities": {restli.key_string(key): {"patch": patch}}},
            restli_method="batch_partial_update",
        )
    except client.LinkedInError as exc:
        log.warning("LinkedIn refused the manual match of candidate %s: %s", candidate.pk, exc)
        return False
    return restli.parse_batch(answer).ok
