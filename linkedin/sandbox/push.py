"""Push notifications to a customer's CALLBACK_URL, signed with `X-LI-Signature` (LINKEDIN.md 2.10).

Signature: hex HMAC-SHA256, key = the customer (child) application's client secret, message =
`hmacsha256=` followed by the raw body, the body being escaped-Unicode JSON.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import requests

from linkedin.sandbox.core import Sandbox
from linkedin.sandbox.storage import Record

SIGNATURE_HEADER = "X-LI-Signature"
SIGNATURE_PREFIX = b"hmacsha256="
PUSH_TYPES = ("EXPORT_CANDIDATE_PROFILE", "INTEGRATION_STATUS_CHANGE")


def sign(secret: str, body: bytes) -> str:
    """The X-LI-Signature value of a body."""
    return hmac.new(secret.encode(), SIGNATURE_PREFIX + body, hashlib.sha256).hexdigest()


def encode_body(payload: dict[str, Any]) -> bytes:
    # Reference: LINKEDIN.md 2.10, "the escaped-Unicode JSON payload" (non-ASCII as \\uXXXX).
    return json.dumps(payload, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def callback_url(sb: Sandbox, client_id: str, organization: str) -> str | None:
    """The CALLBACK_URL the customer's application registered on one of its integrations."""
    for config in sb.storage.all("configuration"):
        if config["clientId"] != client_id or config["configurationType"] != "CALLBACK_URL":
            continue
        if sb.org_of_context(config["integrationContext"]) == organization:
            return str(config["configurationValue"]["string"])
    return None


def build(
    sb: Sandbox, app: Record, kind: str, request_id: str, context: str
) -> tuple[dict[str, Any], bytes, dict[str, str]]:
    # Guess (LINKEDIN.md open item 3): the body's field names; `type` and `requestId` carry the
    # event and the id for the follow-up GET, the rest says whose event it is.
    payload = {
        "type": kind,
        "requestId": request_id,
        "integrationContext": context,
        "developerApplication": app["key"],
        "occurredAt": sb.clock.now_ms(),
    }
    body = encode_body(payload)
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(app["clientSecrets"][0], body),
        "User-Agent": "LinkedIn-Sandbox-Push/1.0",
    }
    return payload, body, headers


def notify(
    sb: Sandbox, app: Record, kind: str, request_id: str, context: str, deliver: bool = True
) -> Record:
    """Record a push for the application's customer and post it to the callback URL."""
    organization = sb.org_of_context(context) or context
    payload, body, headers = build(sb, app, kind, request_id, context)
    record: Record = {
        "id": sb.new_id(),
        "type": kind,
        "requestId": request_id,
        "clientId": app["clientId"],
        "integrationContext": context,
        "organization": organization,
        "url": callback_url(sb, app["clientId"], organization),
        "headers": headers,
        "body": body.decode("ascii"),
        "payload": payload,
        "createdAt": sb.clock.now_ms(),
        "attempts": [],
    }
    sb.storage.put("push", record["id"], record)
    return deliver_push(sb, record) if deliver else record


def deliver_push(sb: Sandbox, record: Record) -> Record:
    """POST the recorded push once more and keep the outcome."""
    attempt: dict[str, Any] = {"at": sb.clock.now_ms(), "status": None, "error": None}
    if not record["url"]:
        attempt["error"] = "No CALLBACK_URL is configured for this customer"
    else:
        try:
            response = requests.post(
                record["url"],
                data=record["body"].encode("ascii"),
                headers=record["headers"],
                timeout=sb.options.push_timeout,
                allow_redirects=False,
            )
            attempt["status"] = response.status_code
            attempt["response"] = response.text[:500]
        except requests.RequestException as exc:
            attempt["error"] = f"{type(exc).__name__}: {exc}"[:500]
    record["attempts"].append(attempt)
    record["delivered"] = attempt["status"] == 200
    sb.storage.put("push", record["id"], record)
    return record
