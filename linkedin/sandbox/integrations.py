"""ATS integrations of customer applications and their life cycle (LINKEDIN.md 2.3).

Guess (LINKEDIN.md open item 5): LinkedIn does not publish the status field; the sandbox answers
`status` with one of the values below, and `bundledIntegrationType` with the access level the
Recruiter admin chose. Kept in this one module so it is easy to correct.

    PENDING_PARTNER  the customer requested the integration (ATS Integration Configuration Plugin);
                     the partner still has to name it and register the CALLBACK_URL
                     (Attract shows "Notify partner")
    PARTNER_READY    named, and the customer's CALLBACK_URL is registered ("Partner ready")
    ENABLED          the Recruiter admin switched on Contract or Company level access ("Enabled")
    DISABLED         the Recruiter admin switched it off again
"""

from __future__ import annotations

from typing import Any

from linkedin.sandbox import push
from linkedin.sandbox.core import Sandbox
from linkedin.sandbox.restli import key_id
from linkedin.sandbox.storage import Record

PENDING_PARTNER = "PENDING_PARTNER"
PARTNER_READY = "PARTNER_READY"
ENABLED = "ENABLED"
DISABLED = "DISABLED"

# Reference: LINKEDIN.md 2.3 "Integration types": which URN each type's context is.
ORGANIZATION_TYPES = {
    "APPLY_CONNECT",
    "APPLY_WITH_LINKEDIN",
    "IN_ATS_INDICATOR",
    "ONE_CLICK_EXPORT",
    "PROFILE_PLUGIN",
    "RECOMMENDED_MATCHES",
    "UNIFIED_SEARCH",
}
CONTRACT_TYPES = {"CSA_API"}
ALL_TYPES = ORGANIZATION_TYPES | CONTRACT_TYPES
RSC_ORGANIZATION_TYPES = ("IN_ATS_INDICATOR", "ONE_CLICK_EXPORT", "PROFILE_PLUGIN")
KEY_FIELDS = ("integrationContext", "integrationType", "tenantType", "dataProvider")

CONTRACT_LEVEL = "RECRUITER_SYSTEM_CONNECT_CONTRACT"
COMPANY_LEVEL = "RECRUITER_SYSTEM_CONNECT_COMPANY"


def make_key(context: str, integration_type: str) -> dict[str, str]:
    return {
        "integrationContext": context,
        "integrationType": integration_type,
        "tenantType": "RECRUITER",
        "dataProvider": "ATS",
    }


def key_problem(key: Any) -> str | None:
    """Why a key is not a valid atsIntegrations key, or None."""
    if not isinstance(key, dict) or set(key) != set(KEY_FIELDS):
        return f"An atsIntegrations key has exactly the fields {', '.join(KEY_FIELDS)}"
    if key["integrationType"] not in ALL_TYPES:
        return f"Unknown integrationType {key['integrationType']!r}"
    if key["tenantType"] != "RECRUITER" or key["dataProvider"] != "ATS":
        return "tenantType must be RECRUITER and dataProvider ATS"
    wanted = "contract" if key["integrationType"] in CONTRACT_TYPES else "organization"
    if not key["integrationContext"].startswith(f"urn:li:{wanted}:"):
        return f"{key['integrationType']} takes an integrationContext urn:li:{wanted}:{{id}}"
    return None


def storage_key(client_id: str, key: dict[str, str]) -> str:
    return f"{client_id}|{key_id(key)}"


def get(sb: Sandbox, client_id: str, key: dict[str, str]) -> Record | None:
    return sb.storage.get("integration", storage_key(client_id, key))


def save(sb: Sandbox, record: Record) -> Record:
    record["lastModifiedAt"] = sb.clock.now_ms()
    key = {name: record[name] for name in KEY_FIELDS}
    return sb.storage.put("integration", storage_key(record["clientId"], key), record)


def public(record: Record) -> dict[str, Any]:
    """The integration as the API answers it."""
    out = {name: record[name] for name in KEY_FIELDS}
    out.update(
        {
            "integrationName": record.get("integrationName"),
            "status": record["status"],
            "lastModifiedAt": record["lastModifiedAt"],
        }
    )
    if record.get("bundledIntegrationType"):
        out["bundledIntegrationType"] = record["bundledIntegrationType"]
    return out


def create(sb: Sandbox, client_id: str, key: dict[str, str]) -> Record:
    record: Record = {**key, "clientId": client_id, "status": PENDING_PARTNER}
    record.update({"integrationName": None, "bundledIntegrationType": None})
    return save(sb, record)


def request(sb: Sandbox, app: Record, contract_urn: str) -> list[Record]:
    """The customer pre-authorises the application for a contract (the plugin's Request)."""
    contract = sb.contract(contract_urn)
    if contract is None:
        raise ValueError(f"Unknown contract {contract_urn}")
    org = contract["organization"]
    with sb.storage.transaction():
        contexts = app.setdefault("authorizedContexts", [])
        if not any(c["contract"] == contract_urn for c in contexts):
            contexts.append({"organization": org, "contract": contract_urn})
            sb.storage.put("application", app["clientId"], app)
        records = []
        keys = [make_key(org, t) for t in RSC_ORGANIZATION_TYPES]
        for key in [*keys, make_key(contract_urn, "CSA_API")]:
            records.append(get(sb, app["clientId"], key) or create(sb, app["clientId"], key))
        refresh_readiness(sb, app["clientId"], org)
    return records


def is_ready(sb: Sandbox, record: Record) -> bool:
    org = sb.org_of_context(record["integrationContext"]) or ""
    return bool(record.get("integrationName")) and bool(
        push.callback_url(sb, record["clientId"], org)
    )


def refresh_readiness(sb: Sandbox, client_id: str, org: str) -> None:
    """Move requested integrations to PARTNER_READY once the partner has configured them."""
    for record in for_org(sb, org, client_id):
        if record["status"] == PENDING_PARTNER and is_ready(sb, record):
            record["status"] = PARTNER_READY
            save(sb, record)


def for_org(sb: Sandbox, org: str, client_id: str | None = None) -> list[Record]:
    return sb.storage.all(
        "integration",
        lambda r: (
            sb.org_of_context(r["integrationContext"]) == org
            and (client_id is None or r["clientId"] == client_id)
        ),
    )


def affected(sb: Sandbox, contract_urn: str, level: str) -> list[Record]:
    """The integrations a Recruiter admin switch covers."""
    contract = sb.contract(contract_urn)
    if contract is None:
        return []
    org = contract["organization"]
    apps = {
        a["clientId"]
        for a in sb.storage.all("application")
        if contract_urn in sb.authorized_contracts(a)
        or (level == COMPANY_LEVEL and org in sb.authorized_orgs(a))
    }
    wanted_contexts = {org, contract_urn} if level == CONTRACT_LEVEL else {org}
    return [
        r
        for r in for_org(sb, org)
        if r["clientId"] in apps and r["integrationContext"] in wanted_contexts
    ]


def switch(
    sb: Sandbox, contract_urn: str, level: str, on: bool, deliver: bool = True
) -> list[Record]:
    """The Recruiter admin turns access on or off: statuses change and each customer is pushed
    an INTEGRATION_STATUS_CHANGE. Integrations the partner has not configured yet stay as they
    are."""
    changed: list[Record] = []
    with sb.storage.transaction():
        for record in affected(sb, contract_urn, level):
            if record["status"] == PENDING_PARTNER:
                continue
            new_status = ENABLED if on else DISABLED
            if record["status"] == new_status and record.get("bundledIntegrationType") == level:
                continue
            record["status"] = new_status
            record["bundledIntegrationType"] = level if on else None
            changed.append(save(sb, record))
    return announce(sb, changed, deliver)


def announce(sb: Sandbox, changed: list[Record], deliver: bool) -> list[Record]:
    pushes: list[Record] = []
    by_app: dict[tuple[str, str], list[Record]] = {}
    for record in changed:
        org = sb.org_of_context(record["integrationContext"]) or ""
        by_app.setdefault((record["clientId"], org), []).append(record)
    for (client_id, org), records in by_app.items():
        request_id = sb.new_id()
        sb.storage.put(
            "integration_request",
            request_id,
            {
                "requestId": request_id,
                "clientId": client_id,
                "organization": org,
                "integrations": [storage_key(client_id, _key(r)) for r in records],
                "createdAt": sb.clock.now_ms(),
            },
        )
        app = sb.application(client_id)
        if app:
            pushes.append(
                push.notify(sb, app, "INTEGRATION_STATUS_CHANGE", request_id, org, deliver)
            )
    return pushes


def _key(record: Record) -> dict[str, str]:
    return {name: record[name] for name in KEY_FIELDS}


def by_request(sb: Sandbox, client_id: str, request_id: str) -> list[Record] | None:
    found = sb.storage.get("integration_request", request_id)
    if not found or found["clientId"] != client_id:
        return None
    records = [sb.storage.get("integration", k) for k in found["integrations"]]
    return [r for r in records if r]


def enabled(sb: Sandbox, client_id: str, context: str, integration_type: str) -> bool:
    record = get(sb, client_id, make_key(context, integration_type))
    return bool(record and record["status"] == ENABLED)
