"""LinkedIn → ATS: exportedCandidates (1-click export), and the CSA_API prospect interactions
conversationEvents, prospectNotes and mailStubs (LINKEDIN.md 2.8-2.9).

Guess (LINKEDIN.md open items 3 and 4): the element field names below. The prospect interactions
need the application tied to the contract and CSA_API enabled on it (contract level access),
else 403."""

from __future__ import annotations

from typing import Any

from linkedin.sandbox import auth, integrations, ratelimit
from linkedin.sandbox.api import BASE, guard, int_param, page, page_bounds, paged, required_param
from linkedin.sandbox.core import Sandbox
from linkedin.sandbox.restli import ApiError
from linkedin.sandbox.storage import Record
from linkedin.sandbox.web import Request, Response, Router, json_response

WINDOW_MS = 12 * 3600 * 1000  # Reference: LINKEDIN.md 2.9, windows of at most 12 hours


def register(router: Router, sb: Sandbox) -> None:
    router.add("GET", BASE + "/exportedCandidates", lambda r: exported(sb, r))
    router.add("GET", BASE + "/conversationEvents", lambda r: conversation_events(sb, r))
    router.add("GET", BASE + "/prospectNotes", lambda r: prospect_notes(sb, r))
    router.add("GET", BASE + "/mailStubs", lambda r: mail_stubs(sb, r))


def _finder(request: Request, expected: str) -> None:
    found = required_param(request, "q")
    if found != expected:
        raise ApiError(400, f"Unknown finder q={found}; this resource supports q={expected}")


# exportedCandidates -------------------------------------------------------------------------------


def exported(sb: Sandbox, request: Request) -> Response:
    """GET /v2/exportedCandidates?q=request&requestId= (from an EXPORT_CANDIDATE_PROFILE push)."""
    token = guard(sb, request, "customer", "exports")
    _finder(request, "request")
    record = sb.storage.get("export", required_param(request, "requestId"))
    if record is None or record["clientId"] != token.app["clientId"]:
        raise ApiError(404, "No export with this requestId for this application")
    member = sb.member_by_urn(record["member"]) or {}
    element = {
        "requestId": record["requestId"],
        "integrationContext": record["integrationContext"],
        "externalJobPostingId": record["externalJobPostingId"],
        "exportedAt": record["exportedAt"],
        "exporter": record["exporter"],
        "exporterPerson": record["exporterPerson"],
        "contract": record["contract"],
        "candidate": {
            "person": record["member"],
            "firstName": member.get("firstName"),
            "lastName": member.get("lastName"),
            "headline": member.get("headline"),
            "location": member.get("location"),
            "currentCompanyName": member.get("currentCompanyName"),
            "currentJobTitle": member.get("currentJobTitle"),
            "emailAddresses": [member["email"]] if member.get("email") else [],
            "phoneNumbers": [{"number": member["phone"]}] if member.get("phone") else [],
            "publicProfileUrl": member.get("publicProfileUrl"),
        },
    }
    return json_response(
        200, {"elements": [element], "paging": {"start": 0, "count": 1, "total": 1, "links": []}}
    )


# Prospect interactions (CSA_API) ------------------------------------------------------------------


def _check_contract(sb: Sandbox, token: auth.TokenInfo, contract: str) -> None:
    if contract not in sb.authorized_contracts(token.app):
        raise ApiError(403, f"The application is not tied to {contract}", 100)
    if not integrations.enabled(sb, token.app["clientId"], contract, "CSA_API"):
        raise ApiError(403, f"CSA_API is not enabled for {contract} (contract level access)", 100)


def _window(
    request: Request, start_name: str, end_name: str, record: dict[str, str] | None = None
) -> tuple[int, int]:
    raw = record if record is not None else None
    try:
        start = int(raw[start_name]) if raw is not None else int_param(request, start_name)
        end = int(raw[end_name]) if raw is not None else int_param(request, end_name)
    except (KeyError, ValueError) as exc:
        raise ApiError(400, f"{start_name} and {end_name} are required epoch milliseconds") from exc
    assert start is not None and end is not None
    if end <= start:
        raise ApiError(400, f"{end_name} must be after {start_name}")
    if end - start > WINDOW_MS:
        raise ApiError(400, "The time window must not exceed 12 hours")
    return start, end


def conversation_events(sb: Sandbox, request: Request) -> Response:
    """GET /v2/conversationEvents?q=criteria&viewer={seat}&timeRange.start=&timeRange.end="""
    token = guard(sb, request, "customer", "prospect")
    _finder(request, "criteria")
    seat = sb.seat(required_param(request, "viewer"))
    if seat is None:
        raise ApiError(404, "Unknown viewer seat")
    _check_contract(sb, token, seat["contract"])
    start, end = _window(request, "start", "end", request.query.record("timeRange"))
    ratelimit.check_member_records(sb, seat["seatHolder"])
    first, count = page_bounds(request, default_count=10)
    events, total = sb.storage.matching(
        "conversation_event",
        {"viewer": seat["urn"]},
        ("occurredAt", start, end),
        window=(first, count),
    )
    body = paged([_event_view(e) for e in events], first, count, total)
    ratelimit.add_member_records(sb, seat["seatHolder"], len(body["elements"]))
    return json_response(200, body)


def _event_view(event: Record) -> dict[str, Any]:
    keys = (
        "id",
        "conversation",
        "viewer",
        "contract",
        "sender",
        "recipients",
        "direction",
        "subject",
        "body",
        "occurredAt",
    )
    return {k: event[k] for k in keys}


def prospect_notes(sb: Sandbox, request: Request) -> Response:
    """GET /v2/prospectNotes?q=criteria&contract=&owners=&cutoffDate=&beforeDate= (last updated)."""
    token = guard(sb, request, "customer", "prospect")
    _finder(request, "criteria")
    contract = required_param(request, "contract")
    _check_contract(sb, token, contract)
    owners = set(request.query.values("owners"))
    start, end = _window(request, "cutoffDate", "beforeDate")
    notes = sb.storage.all(
        "prospect_note",
        lambda n: (
            n["contract"] == contract
            and (not owners or n["owner"] in owners)
            and start <= n["lastModified"] < end
        ),
    )
    return json_response(200, page(request, notes, default_count=10))


def mail_stubs(sb: Sandbox, request: Request) -> Response:
    """GET /v2/mailStubs?q=contract&contract=&owners=&createdDateStart=&createdDateEnd=."""
    token = guard(sb, request, "customer", "prospect")
    _finder(request, "contract")
    contract = required_param(request, "contract")
    _check_contract(sb, token, contract)
    owners = set(request.query.values("owners"))
    start = int_param(request, "createdDateStart", required=False) or 0
    end = int_param(request, "createdDateEnd", required=False) or sb.clock.now_ms() + 1
    stubs = sb.storage.all(
        "mail_stub",
        lambda s: (
            s["contract"] == contract
            and (not owners or s["owner"] in owners)
            and start <= s["created"] < end
        ),
    )
    views = [{k: v for k, v in s.items() if v is not None} for s in stubs]
    return json_response(200, page(request, views, default_count=10))
