"""Recruiter actions on a member, done with a Recruiter user's own (3-legged) member token: the
seat's projects, saving a member to a project, sending an InMail, and a "keep me updated" alert.

Sandbox-defined stand-ins: LinkedIn publishes no partner API for these Recruiter actions (the
Attract articles, LINKEDIN.md 4.4, only describe the buttons). The paths, fields, limits and errors
below are the sandbox's own, shaped after LinkedIn's Rest.li conventions (LINKEDIN.md 2.4):
`X-Restli-Protocol-Version: 2.0.0`, finders with `q=`, creates answering 201 with `x-restli-id`,
`Location` and the created entity, and LinkedIn's error body. They are kept in this one module
(and the product's linkedin/client_actions.py) so they are easy to correct.

A sent InMail is a SENT conversation event of the seat, so the next conversationEvents pull
brings it into the ATS's InMail history.
"""

from __future__ import annotations

from typing import Any

from linkedin.sandbox import auth, recruiter, seed
from linkedin.sandbox.api import BASE, guard, page, required_param
from linkedin.sandbox.core import Sandbox
from linkedin.sandbox.restli import PROTOCOL_2, ApiError
from linkedin.sandbox.storage import Record
from linkedin.sandbox.web import Request, Response, Router, json_response

PROJECT_URN = "urn:li:recruiterProject:"
INMAIL_URN = "urn:li:recruiterInMail:"
ALERT_URN = "urn:li:recruiterAlert:"
# Guess: Recruiter's InMail form limits (subject 200, message 1,900 characters).
SUBJECT_MAX = 200
BODY_MAX = 1900
ALERT_TYPES = {"PROFILE_UPDATES"}
# Guess: the projects each contract has out of the box (LinkedIn has no project API for ATSs).
DEFAULT_PROJECTS: dict[str, tuple[tuple[int, str], ...]] = {
    seed.CONTRACT_TA: ((7001, "Backend engineers 2026"), (7002, "Nordics talent pipeline")),
    seed.CONTRACT_CAMPUS: ((7101, "Graduate programme"),),
}


def register(router: Router, sb: Sandbox) -> None:
    router.add("GET", BASE + "/recruiterProjects", lambda r: projects(sb, r))
    router.add("POST", BASE + "/recruiterProjectMembers", lambda r: save_to_project(sb, r))
    router.add("POST", BASE + "/recruiterInMails", lambda r: send_inmail(sb, r))
    router.add("POST", BASE + "/recruiterAlerts", lambda r: create_alert(sb, r))


# Shared checks ------------------------------------------------------------------------------------


def _member_call(sb: Sandbox, request: Request) -> auth.TokenInfo:
    """A member token (401/403), Rest.li 2.0 (400), counted against the application (429)."""
    if request.protocol != PROTOCOL_2:
        raise ApiError(400, "This resource requires the header X-Restli-Protocol-Version: 2.0.0")
    return guard(sb, request, "member", "prospect")


def _own_seat(sb: Sandbox, token: auth.TokenInfo, seat_urn: str) -> Record:
    """The token's member must hold this active seat, on a contract tied to the application."""
    seat = sb.seat(seat_urn) if seat_urn.startswith("urn:li:seat:") else None
    if seat is None or not seat["active"]:
        raise ApiError(404, f"No active Recruiter seat {seat_urn}")
    if seat["seatHolder"] != f"urn:li:person:{token.member}":
        raise ApiError(403, "The member does not hold this Recruiter seat", 100)
    if seat["contract"] not in sb.authorized_contracts(token.app):
        raise ApiError(403, f"The application is not tied to {seat['contract']}", 100)
    return seat


def _body(request: Request, allowed: set[str], required: set[str]) -> dict[str, Any]:
    data = request.json()
    if not isinstance(data, dict):
        raise ApiError(400, "The request body must be a JSON object")
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ApiError(422, f"Unrecognized field(s): {', '.join(unknown)}")
    missing = sorted(n for n in required if not isinstance(data.get(n), str) or not data[n])
    if missing:
        raise ApiError(422, f"Missing required field(s): {', '.join(missing)}")
    return data


def _member(sb: Sandbox, urn: str) -> Record:
    member = sb.member_by_urn(urn)
    if member is None:
        raise ApiError(404, f"No member {urn}")
    return member


def _created(path: str, urn: str, entity: Record, status: int = 201) -> Response:
    headers = [("x-restli-id", urn), ("Location", f"/v2/{path}/{urn}")]
    return json_response(status, entity, headers)


# Projects -----------------------------------------------------------------------------------------


def contract_projects(sb: Sandbox, contract: str) -> list[Record]:
    """The contract's projects, seeding its out-of-the-box ones on first use."""
    with sb.storage.transaction():
        for number, name in DEFAULT_PROJECTS.get(contract, ()):
            urn = f"{PROJECT_URN}{number}"
            if sb.storage.get("recruiter_project", urn) is None:
                record = {"id": number, "urn": urn, "name": name, "contract": contract}
                sb.storage.put("recruiter_project", urn, record)
    return sb.storage.all("recruiter_project", lambda p: p["contract"] == contract)


def projects(sb: Sandbox, request: Request) -> Response:
    """GET /v2/recruiterProjects?q=seat&seat={seat}: the projects the seat's contract shares."""
    token = _member_call(sb, request)
    finder = required_param(request, "q")
    if finder != "seat":
        raise ApiError(400, f"Unknown finder q={finder}; this resource supports q=seat")
    seat = _own_seat(sb, token, required_param(request, "seat"))
    views = [_project_view(sb, p) for p in contract_projects(sb, seat["contract"])]
    return json_response(200, page(request, views, default_count=50))


def _project_view(sb: Sandbox, project: Record) -> dict[str, Any]:
    count = len(
        sb.storage.all("recruiter_project_member", lambda m: m["project"] == project["urn"])
    )
    return {**project, "memberCount": count}


def save_to_project(sb: Sandbox, request: Request) -> Response:
    """POST /v2/recruiterProjectMembers {project, seat, member}: 201, or 409 when already saved."""
    token = _member_call(sb, request)
    data = _body(request, {"project", "seat", "member"}, {"project", "seat", "member"})
    seat = _own_seat(sb, token, data["seat"])
    member = _member(sb, data["member"])
    project = sb.storage.get("recruiter_project", data["project"])
    if project is None or project["contract"] != seat["contract"]:
        raise ApiError(404, f"No project {data['project']} on this seat's contract")
    key = f"{project['urn']}|{member['urn']}"
    with sb.storage.transaction():
        if sb.storage.get("recruiter_project_member", key) is not None:
            raise ApiError(409, "The member is already in this project")
        record = {
            "id": key,
            "project": project["urn"],
            "projectName": project["name"],
            "member": member["urn"],
            "addedBy": seat["urn"],
            "contract": seat["contract"],
            "addedAt": sb.clock.now_ms(),
        }
        sb.storage.put("recruiter_project_member", key, record)
    return _created("recruiterProjectMembers", key, record)


# InMails ------------------------------------------------------------------------------------------


def send_inmail(sb: Sandbox, request: Request) -> Response:
    """POST /v2/recruiterInMails {seat, recipient, subject, body, trackingId?}: 201.

    A repeated `trackingId` of the same seat answers the InMail already sent (200), so a client
    retrying after a timeout never sends it twice."""
    token = _member_call(sb, request)
    fields = {"seat", "recipient", "subject", "body", "trackingId"}
    data = _body(request, fields, {"seat", "recipient", "subject", "body"})
    seat = _own_seat(sb, token, data["seat"])
    member = _member(sb, data["recipient"])
    subject, body = data["subject"], data["body"]
    if not subject.strip() or not body.strip():
        raise ApiError(422, "An InMail needs a subject and a message")
    if len(subject) > SUBJECT_MAX or len(body) > BODY_MAX:
        raise ApiError(
            422, f"The subject is at most {SUBJECT_MAX} and the message {BODY_MAX} characters"
        )
    tracking = str(data.get("trackingId") or "")
    with sb.storage.transaction():
        sent = sb.storage.get("recruiter_inmail", f"{seat['urn']}|{tracking}") if tracking else None
        if sent is not None:
            return _created("recruiterInMails", sent["urn"], sent, status=200)
        event = recruiter.send_inmail(sb, seat["urn"], member["urn"], subject, body)
        record = {
            "urn": f"{INMAIL_URN}{event['id']}",
            "seat": seat["urn"],
            "recipient": member["urn"],
            "conversation": event["conversation"],
            "subject": subject,
            "sentAt": event["occurredAt"],
            "trackingId": tracking or None,
        }
        sb.storage.put("recruiter_inmail", f"{seat['urn']}|{tracking or event['id']}", record)
    return _created("recruiterInMails", record["urn"], record)


# Alerts -------------------------------------------------------------------------------------------


def create_alert(sb: Sandbox, request: Request) -> Response:
    """POST /v2/recruiterAlerts {seat, member, alertType}: 201, or 409 when already set."""
    token = _member_call(sb, request)
    data = _body(request, {"seat", "member", "alertType"}, {"seat", "member", "alertType"})
    if data["alertType"] not in ALERT_TYPES:
        raise ApiError(422, f"Field alertType has an invalid value {data['alertType']!r}")
    seat = _own_seat(sb, token, data["seat"])
    member = _member(sb, data["member"])
    key = f"{seat['urn']}|{member['urn']}|{data['alertType']}"
    with sb.storage.transaction():
        if sb.storage.get("recruiter_alert", key) is not None:
            raise ApiError(409, "This seat already gets updates about this member")
        record = {
            "urn": f"{ALERT_URN}{sb.storage.next_id('recruiter_alert')}",
            "seat": seat["urn"],
            "member": member["urn"],
            "alertType": data["alertType"],
            "createdAt": sb.clock.now_ms(),
        }
        sb.storage.put("recruiter_alert", key, record)
    return _created("recruiterAlerts", record["urn"], record)


# For the member page ------------------------------------------------------------------------------


def member_projects(sb: Sandbox, member_urn: str, contracts: set[str]) -> list[Record]:
    return sb.storage.all(
        "recruiter_project_member",
        lambda m: m["member"] == member_urn and m["contract"] in contracts,
    )


def member_alerts(sb: Sandbox, member_urn: str, seats: set[str]) -> list[Record]:
    return sb.storage.all(
        "recruiter_alert", lambda a: a["member"] == member_urn and a["seat"] in seats
    )
