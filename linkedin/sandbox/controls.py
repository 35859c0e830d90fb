"""Control endpoints under `/_sandbox/` for tests and demos: faults, reset, clock, state, rate
scale, pushes, integration switches and Recruiter activity. Never affected by faults."""

from __future__ import annotations

from typing import Any

from linkedin.sandbox import faults, integrations, jobs, push, recruiter, seed
from linkedin.sandbox.core import Sandbox
from linkedin.sandbox.restli import ApiError
from linkedin.sandbox.storage import Record
from linkedin.sandbox.web import Request, Response, Router, json_response

LEVELS = {"contract": integrations.CONTRACT_LEVEL, "company": integrations.COMPANY_LEVEL}


def register(router: Router, sb: Sandbox) -> None:
    router.add("POST", r"/_sandbox/faults", lambda r: set_fault(sb, r))
    router.add("GET", r"/_sandbox/faults", lambda r: get_fault(sb, r))
    router.add("POST", r"/_sandbox/reset", lambda r: reset(sb, r))
    router.add("POST", r"/_sandbox/clock", lambda r: clock(sb, r))
    router.add("GET", r"/_sandbox/state", lambda r: state(sb, r))
    router.add("POST", r"/_sandbox/ratelimits", lambda r: rate_scale(sb, r))
    router.add("POST", r"/_sandbox/integrations", lambda r: integration_switch(sb, r))
    router.add("POST", r"/_sandbox/push", lambda r: make_push(sb, r))
    router.add("POST", r"/_sandbox/activity", lambda r: activity(sb, r))
    router.add("POST", r"/_sandbox/seed", lambda r: bulk_seed(sb, r))


def _payload(request: Request) -> dict[str, Any]:
    if not request.body:
        return {}
    body = request.json()
    if not isinstance(body, dict):
        raise ApiError(400, "The control body must be a JSON object")
    return body


def set_fault(sb: Sandbox, request: Request) -> Response:
    fault = faults.parse_fault(_payload(request))
    faults.set_fault(sb.storage, fault)
    return json_response(200, {"fault": None if fault.mode == "off" else fault.as_dict()})


def get_fault(sb: Sandbox, request: Request) -> Response:
    current = faults.current(sb.storage)
    return json_response(200, {"fault": current.as_dict() if current else None})


def reset(sb: Sandbox, request: Request) -> Response:
    sb.reset()
    return json_response(200, {"reset": True, **sb.info()})


def clock(sb: Sandbox, request: Request) -> Response:
    raw = _payload(request).get("advance_seconds")
    if isinstance(raw, bool) or not isinstance(raw, int | float) or raw < 0:
        raise ApiError(400, "advance_seconds must be a non-negative number")
    offset = sb.clock.advance(float(raw))
    return json_response(200, {"offset_seconds": offset, "now_ms": sb.clock.now_ms()})


def state(sb: Sandbox, request: Request) -> Response:
    jobs.resolve_due(sb)
    dump = sb.storage.dump()
    dump["_meta"]["now_ms"] = sb.clock.now_ms()
    return json_response(200, dump)


def rate_scale(sb: Sandbox, request: Request) -> Response:
    raw = _payload(request).get("scale")
    if isinstance(raw, bool) or not isinstance(raw, int | float) or raw <= 0:
        raise ApiError(400, "scale must be a positive number")
    sb.storage.set_meta("rate_scale", float(raw))
    return json_response(200, {"rate_scale": sb.rate_scale})


def _app(sb: Sandbox, payload: dict[str, Any]) -> Record:
    client_id = payload.get("client_id")
    if client_id:
        app = sb.application(str(client_id))
    else:  # the most recently provisioned customer application
        children = sb.storage.all("application", lambda a: a.get("parent") is not None)
        app = children[-1] if children else None
    if app is None or app.get("parent") is None:
        raise ApiError(400, "client_id must name a provisioned customer application")
    return app


def integration_switch(sb: Sandbox, request: Request) -> Response:
    """`{"action": "request"|"enable"|"disable", "contract": urn, "level": "contract"|"company",
    "client_id": ..., "deliver": true}`: what the plugin and the Recruiter admin page do."""
    payload = _payload(request)
    action = payload.get("action")
    contract = str(payload.get("contract") or "")
    if sb.contract(contract) is None:
        raise ApiError(400, "contract must be a known contract URN")
    if action == "request":
        records = integrations.request(sb, _app(sb, payload), contract)
        return json_response(200, {"integrations": [integrations.public(r) for r in records]})
    if action in ("enable", "disable"):
        level = LEVELS.get(str(payload.get("level", "contract")))
        if level is None:
            raise ApiError(400, "level must be contract or company")
        deliver = bool(payload.get("deliver", True))
        pushes = integrations.switch(sb, contract, level, action == "enable", deliver)
        return json_response(200, {"pushes": pushes})
    raise ApiError(400, "action must be request, enable or disable")


def make_push(sb: Sandbox, request: Request) -> Response:
    """`{"type": "EXPORT_CANDIDATE_PROFILE", "member": id, "job": externalJobPostingId,
    "seat": urn, ...}` or `{"type": "INTEGRATION_STATUS_CHANGE", ...}`; `"deliver": false` only
    records and returns the signed notification so a test can post it itself."""
    payload = _payload(request)
    kind = payload.get("type")
    deliver = bool(payload.get("deliver", True))
    if kind == "EXPORT_CANDIDATE_PROFILE":
        try:
            record = recruiter.export_from_control(sb, payload, deliver)
        except recruiter.RecruiterError as exc:
            raise ApiError(400, str(exc)) from exc
        return json_response(200, record)
    if kind == "INTEGRATION_STATUS_CHANGE":
        app = _app(sb, payload)
        orgs = sorted(sb.authorized_orgs(app))
        if not orgs:
            raise ApiError(400, "The application is not authorised for any organisation yet")
        records = integrations.for_org(sb, orgs[0], app["clientId"])
        pushes = integrations.announce(sb, records, deliver)
        if not pushes:
            raise ApiError(400, "The customer has no integration to announce")
        return json_response(200, pushes[0])
    if kind == "redeliver":
        stored = sb.storage.get("push", str(payload.get("id")))
        if stored is None:
            raise ApiError(404, "No such push")
        return json_response(200, push.deliver_push(sb, stored))
    raise ApiError(400, f"type must be one of {', '.join(push.PUSH_TYPES)} or redeliver")


def activity(sb: Sandbox, request: Request) -> Response:
    """Recruiter activity without the pages: `{"kind": "inmail"|"note"|"share"|"note_delete",
    "seat": urn, "member": id, ...}`."""
    try:
        return json_response(200, recruiter.activity_from_control(sb, _payload(request)))
    except recruiter.RecruiterError as exc:
        raise ApiError(400, str(exc)) from exc


MAX_BULK = 1_000_000


def bulk_seed(sb: Sandbox, request: Request) -> Response:
    """Load-test data in bulk: `{"kind": "conversation_events", "count": n, "seats": [urn, ...],
    "start_ms": ..., "end_ms": ...}` (seats: every active seat when left out)."""
    payload = _payload(request)
    if payload.get("kind") != "conversation_events":
        raise ApiError(400, "kind must be conversation_events")
    count, start, end = payload.get("count"), payload.get("start_ms"), payload.get("end_ms")
    for name, value in (("count", count), ("start_ms", start), ("end_ms", end)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ApiError(400, f"{name} must be a non-negative integer")
    assert isinstance(count, int) and isinstance(start, int) and isinstance(end, int)
    if not 0 < count <= MAX_BULK or end <= start:
        raise ApiError(400, f"count must be 1 to {MAX_BULK} and end_ms after start_ms")
    wanted = payload.get("seats")
    if wanted is None:
        seats = sb.storage.all("seat", lambda s: bool(s["active"]))
    elif isinstance(wanted, list) and wanted:
        found = [sb.seat(str(urn)) for urn in wanted]
        if any(s is None for s in found):
            raise ApiError(400, "seats must be known seat URNs")
        seats = [s for s in found if s is not None]
    else:
        raise ApiError(400, "seats must be a non-empty list of seat URNs")
    created = seed.conversation_events(
        sb.storage, count=count, seats=seats, start_ms=start, end_ms=end
    )
    return json_response(200, {"created": created})
