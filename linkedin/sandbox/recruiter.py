"""What Recruiter users and members do on the LinkedIn side: 1-click export to a synced job,
InMails, notes, and a member sharing their profile. Shared by the pages and the controls.

Guess (LINKEDIN.md open items 3 and 4): the stored records are shaped the way the sandbox's
exportedCandidates, conversationEvents, prospectNotes and mailStubs answer them.
"""

from __future__ import annotations

import secrets
from typing import Any

from linkedin.sandbox import integrations, jobs, push, ratelimit
from linkedin.sandbox.core import Sandbox
from linkedin.sandbox.storage import Record


class RecruiterError(ValueError):
    """An action LinkedIn would refuse, worded for the page."""


def _seat(sb: Sandbox, seat_urn: str) -> Record:
    seat = sb.seat(seat_urn)
    if seat is None or not seat["active"]:
        raise RecruiterError(f"{seat_urn} is not an active Recruiter seat")
    return seat


def _member(sb: Sandbox, member: str) -> Record:
    found = sb.member_by_urn(member) if member.startswith("urn:") else sb.member(member)
    if found is None:
        raise RecruiterError(f"Unknown member {member}")
    return found


# Jobs a recruiter can export to -------------------------------------------------------------------


def exportable_jobs(sb: Sandbox, seat_urn: str, search: str = "") -> list[Record]:
    """Open jobs synced by the customers whose ONE_CLICK_EXPORT is enabled for the seat's
    organisation, matched by title or job number (externalJobPostingId or companyJobCode).

    Access-restricted jobs are listed only when JOB_POSTING_VIEWERS is ALL_PRODUCT_USERS (the
    sandbox does not model ACL groups)."""
    seat = _seat(sb, seat_urn)
    jobs.resolve_due(sb)
    org = (sb.contract(seat["contract"]) or {}).get("organization")
    needle = search.strip().lower()
    out = []
    for job in sb.storage.all("job", lambda j: j["organization"] == org):
        if job["state"] == "CLOSED":
            continue
        if not integrations.enabled(sb, job["clientId"], org or "", "ONE_CLICK_EXPORT"):
            continue
        if job.get("accessRestricted") and _viewers(sb, job) != "ALL_PRODUCT_USERS":
            continue
        numbers = {
            str(job["externalJobPostingId"]).lower(),
            str(job.get("companyJobCode") or "").lower(),
        }
        if needle and needle not in job["title"].lower() and needle not in numbers:
            continue
        out.append(job)
    return out


def _viewers(sb: Sandbox, job: Record) -> str | None:
    key = integrations.make_key(job["organization"], "ONE_CLICK_EXPORT")
    config = sb.storage.get(
        "configuration",
        f"{integrations.storage_key(job['clientId'], key)}|JOB_POSTING_VIEWERS",
    )
    return config["configurationValue"]["string"] if config else None


def export(sb: Sandbox, seat_urn: str, member: str, job_key: str, deliver: bool = True) -> Record:
    """Export a member to a customer's job: store what exportedCandidates answers, push
    EXPORT_CANDIDATE_PROFILE to the customer's callback URL."""
    seat = _seat(sb, seat_urn)
    person = _member(sb, member)
    job = sb.storage.get("job", job_key)
    if job is None or job_key not in {j["storageKey"] for j in exportable_jobs(sb, seat_urn)}:
        raise RecruiterError("That job is not available for export")
    if not ratelimit.use_export(sb, seat_urn):
        raise RecruiterError("This seat has used its One-Click Exports for the month")
    request_id = secrets.token_hex(12)
    record = {
        "requestId": request_id,
        "clientId": job["clientId"],
        "integrationContext": job["organization"],
        "externalJobPostingId": job["externalJobPostingId"],
        "jobTitle": job["title"],
        "exporter": seat["urn"],
        "exporterPerson": seat["seatHolder"],
        "contract": seat["contract"],
        "member": person["urn"],
        "exportedAt": sb.clock.now_ms(),
    }
    sb.storage.put("export", request_id, record)
    app = sb.application(job["clientId"])
    assert app is not None
    return push.notify(
        sb, app, "EXPORT_CANDIDATE_PROFILE", request_id, job["organization"], deliver
    )


def export_from_control(sb: Sandbox, payload: dict[str, Any], deliver: bool) -> Record:
    seat_urn = str(payload.get("seat") or "urn:li:seat:900003")
    member = str(payload.get("member") or "")
    job_id = str(payload.get("job") or "")
    matches = [j for j in exportable_jobs(sb, seat_urn) if str(j["externalJobPostingId"]) == job_id]
    if not matches:
        raise RecruiterError(
            f"No exportable job {job_id!r}: sync it (open) and enable ONE_CLICK_EXPORT first"
        )
    return export(sb, seat_urn, member, job_storage_key(matches[0]), deliver)


def job_storage_key(job: Record) -> str:
    return str(job["storageKey"])


# InMails, notes, sharing --------------------------------------------------------------------------


def send_inmail(sb: Sandbox, seat_urn: str, member: str, subject: str, body: str) -> Record:
    """A recruiter's InMail: a SENT conversation event seen by the seat."""
    seat = _seat(sb, seat_urn)
    person = _member(sb, member)
    if not subject.strip() or not body.strip():
        raise RecruiterError("An InMail needs a subject and a message")
    conversation = f"urn:li:conversation:{secrets.token_hex(8)}"
    return _event(sb, seat, conversation, seat["seatHolder"], person["urn"], "SENT", subject, body)


def _event(
    sb: Sandbox,
    seat: Record,
    conversation: str,
    sender: str,
    recipient: str,
    direction: str,
    subject: str,
    body: str,
) -> Record:
    event_id = secrets.token_hex(8)
    record = {
        "id": event_id,
        "conversation": conversation,
        "viewer": seat["urn"],
        "contract": seat["contract"],
        "sender": sender,
        "recipients": [recipient],
        "direction": direction,
        "subject": subject,
        "body": body,
        "occurredAt": sb.clock.now_ms(),
    }
    return sb.storage.put("conversation_event", event_id, record)


def write_note(sb: Sandbox, seat_urn: str, member: str, text: str, visibility: str) -> Record:
    seat = _seat(sb, seat_urn)
    person = _member(sb, member)
    if not text.strip():
        raise RecruiterError("A note needs some text")
    if visibility not in ("PUBLIC", "PRIVATE"):
        raise RecruiterError("Visibility is PUBLIC or PRIVATE")
    note_id = secrets.token_hex(8)
    now = sb.clock.now_ms()
    record = {
        "id": note_id,
        "contract": seat["contract"],
        "owner": seat["urn"],
        "author": seat["seatHolder"],
        "prospect": person["urn"],
        "note": text,
        "visibility": visibility,
        "active": True,
        "created": now,
        "lastModified": now,
    }
    return sb.storage.put("prospect_note", note_id, record)


def delete_note(sb: Sandbox, note_id: str) -> Record:
    """Deleting a note in Recruiter leaves it inactive, so the ATS deletes its copy."""
    note = sb.storage.get("prospect_note", note_id)
    if note is None:
        raise RecruiterError("Unknown note")
    note.update({"active": False, "lastModified": sb.clock.now_ms()})
    return sb.storage.put("prospect_note", note_id, note)


def accept_share(sb: Sandbox, member: str, conversation: str, share_email: bool) -> Record:
    """The member replies to an InMail and agrees to share their profile: a mail stub for the
    seat that wrote, and a RECEIVED event in its conversation."""
    person = _member(sb, member)
    sent = sb.storage.all(
        "conversation_event",
        lambda e: e["conversation"] == conversation and person["urn"] in e["recipients"],
    )
    if not sent:
        raise RecruiterError("No InMail to this member in that conversation")
    seat = _seat(sb, sent[0]["viewer"])
    subject = "Re: " + sent[0]["subject"]
    _event(
        sb,
        seat,
        conversation,
        person["urn"],
        seat["seatHolder"],
        "RECEIVED",
        subject,
        "Thanks, happy to share my profile.",
    )
    stub_id = secrets.token_hex(8)
    stub = {
        "id": stub_id,
        "contract": seat["contract"],
        "owner": seat["urn"],
        "conversation": conversation,
        "member": person["urn"],
        "firstName": person["firstName"],
        "lastName": person["lastName"],
        "emailAddress": person["email"] if share_email else None,
        "created": sb.clock.now_ms(),
    }
    return sb.storage.put("mail_stub", stub_id, stub)


def activity_from_control(sb: Sandbox, payload: dict[str, Any]) -> Record:
    kind = payload.get("kind")
    seat = str(payload.get("seat") or "urn:li:seat:900003")
    member = str(payload.get("member") or "")
    if kind == "inmail":
        return send_inmail(
            sb, seat, member, str(payload.get("subject", "Hello")), str(payload.get("body", "Hi!"))
        )
    if kind == "note":
        visibility = str(payload.get("visibility", "PRIVATE"))
        return write_note(sb, seat, member, str(payload.get("note", "")), visibility)
    if kind == "note_delete":
        return delete_note(sb, str(payload.get("id", "")))
    if kind == "share":
        share_email = bool(payload.get("share_email", True))
        return accept_share(sb, member, str(payload.get("conversation", "")), share_email)
    raise RecruiterError("kind must be inmail, note, note_delete or share")
