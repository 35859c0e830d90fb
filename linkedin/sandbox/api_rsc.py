"""Member profile, provisioning, ATS integrations with configurations, and seats.

Reference: LINKEDIN.md 2.2-2.3 and 2.9.
"""

from __future__ import annotations

import secrets
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from linkedin.sandbox import auth, integrations
from linkedin.sandbox.api import (
    BASE,
    BatchOutcome,
    ElementError,
    batch_entities,
    batch_keys,
    guard,
    page,
    path_key,
    projection,
    require_method,
    required_param,
)
from linkedin.sandbox.core import Sandbox
from linkedin.sandbox.restli import ApiError, Key
from linkedin.sandbox.storage import Record
from linkedin.sandbox.web import Request, Response, Router, empty_response, json_response

CONFIGURATION_TYPES = {
    "CALLBACK_URL": None,
    "JOB_POSTING_VIEWERS": "ONE_CLICK_EXPORT",
    "APPLICATION_VIEWERS": "IN_ATS_INDICATOR",
}
VIEWER_VALUES = {"ALL_PRODUCT_USERS", "ACL_BASED"}
APP_FIELDS = {
    "name",
    "description",
    "uniqueForeignId",
    "oauth2AuthorizedCallbackUrls",
    "validJsSdkDomains",
}
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "testserver"}


def register(router: Router, sb: Sandbox) -> None:
    router.add("GET", BASE + r"/me", lambda r: me(sb, r))
    router.add("GET", BASE + r"/userinfo", lambda r: userinfo(sb, r))
    router.add("POST", BASE + r"/provisionedApplications", lambda r: provision(sb, r))
    router.add("GET", BASE + r"/provisionedApplications", lambda r: find_apps(sb, r))
    app_path = BASE + r"/provisionedApplications/(?P<app>[^/]+)"
    router.add("GET", app_path, lambda r: get_app(sb, r))
    router.add("POST", app_path, lambda r: patch_app(sb, r))
    router.add("GET", BASE + r"/atsIntegrations", lambda r: get_integrations(sb, r))
    router.add("POST", BASE + r"/atsIntegrations", lambda r: update_integrations(sb, r))
    config_path = BASE + r"/atsIntegrations/(?P<key>[^/]+)/configurations"
    router.add("PUT", config_path, lambda r: put_configurations(sb, r))
    router.add("GET", config_path, lambda r: get_configurations(sb, r))
    router.add("DELETE", config_path, lambda r: delete_configurations(sb, r))
    router.add("GET", BASE + r"/seats", lambda r: seats(sb, r))
    router.add("GET", BASE + r"/seatsV2", lambda r: seats(sb, r, v2=True))


# Member profile ----------------------------------------------------------------------------------


def me(sb: Sandbox, request: Request) -> Response:
    """GET /v2/me (r_liteprofile shape; `fields=id` projects)."""
    info = guard(sb, request, "member", "profile")
    member = sb.member(info.member or "")
    if member is None:
        raise ApiError(404, "Member not found")
    locale = {"country": "US", "language": "en"}
    body = {
        "id": member["id"],
        "localizedFirstName": member["firstName"],
        "localizedLastName": member["lastName"],
        "firstName": {"localized": {"en_US": member["firstName"]}, "preferredLocale": locale},
        "lastName": {"localized": {"en_US": member["lastName"]}, "preferredLocale": locale},
        "localizedHeadline": member["headline"],
    }
    return json_response(200, projection(request, body))


def userinfo(sb: Sandbox, request: Request) -> Response:
    """GET /v2/userinfo (OpenID Connect), for clients that use the openid scope."""
    info = guard(sb, request, "member", "profile")
    member = sb.member(info.member or "")
    if member is None:
        raise ApiError(404, "Member not found")
    name = f"{member['firstName']} {member['lastName']}"
    body = {
        "sub": member["id"],
        "name": name,
        "given_name": member["firstName"],
        "family_name": member["lastName"],
        "locale": {"country": "US", "language": "en"},
    }
    if "email" in info.scope.split() or "r_emailaddress" in info.scope.split():
        body.update({"email": member["email"], "email_verified": True})
    return json_response(200, body)


# Provisioning (partner application only) ----------------------------------------------------------


def _validate_app_fields(sb: Sandbox, data: dict[str, Any]) -> None:
    for name in ("oauth2AuthorizedCallbackUrls", "validJsSdkDomains"):
        value = data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ApiError(422, f"{name} must be a list of strings")
    for url in data.get("oauth2AuthorizedCallbackUrls", []):
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise ApiError(422, f"Invalid OAuth 2.0 redirect URL {url!r}")
    for domain in data.get("validJsSdkDomains", []):
        if domain.endswith("/"):
            # Reference: LINKEDIN.md 2.2, validJsSdkDomains take no trailing "/".
            raise ApiError(422, f"validJsSdkDomains entries must not end with '/': {domain!r}")
    for name in ("name", "description", "uniqueForeignId"):
        if name in data and not isinstance(data[name], str):
            raise ApiError(422, f"{name} must be a string")


def public_app(app: Record, with_credentials: bool) -> dict[str, Any]:
    out = {name: app.get(name) for name in ("key", "name", "description", "uniqueForeignId")}
    out["oauth2AuthorizedCallbackUrls"] = app.get("oauth2AuthorizedCallbackUrls", [])
    out["validJsSdkDomains"] = app.get("validJsSdkDomains", [])
    out["createdAt"] = app.get("createdAt")
    if with_credentials:
        # Guess: the credentials object's field names follow LinkedIn's provisioning samples.
        out["credentials"] = {
            "client_id": app["clientId"],
            "client_secret": app["clientSecrets"][0],
        }
    return out


def provision(sb: Sandbox, request: Request) -> Response:
    """POST /v2/provisionedApplications: create a customer (child) application."""
    info = guard(sb, request, "partner", "provisioning")
    data = request.json()
    if not isinstance(data, dict):
        raise ApiError(400, "The request body must be a JSON object")
    unknown = sorted(set(data) - APP_FIELDS)
    if unknown:
        raise ApiError(422, f"Unrecognized field(s): {', '.join(unknown)}")
    missing = [n for n in ("name", "uniqueForeignId") if not data.get(n)]
    if missing:
        raise ApiError(422, f"Missing required field(s): {', '.join(missing)}")
    _validate_app_fields(sb, data)
    with sb.storage.transaction():
        if _child_by_foreign_id(sb, info.app, data["uniqueForeignId"]):
            # Guess: a second application for the same uniqueForeignId is refused with 409.
            raise ApiError(409, "An application with this uniqueForeignId already exists")
        app = _create_child(sb, info.app, data)
    location = f"/v2/provisionedApplications/{app['key']}"
    headers = [("x-restli-id", app["key"]), ("Location", location)]
    return json_response(201, public_app(app, with_credentials=True), headers)


def _create_child(sb: Sandbox, parent: Record, data: dict[str, Any]) -> Record:
    number = 2000 + sb.storage.next_id("application")
    client_id = f"86{secrets.token_hex(6)}"
    app: Record = {
        "key": f"urn:li:developerApplication:{number}",
        "clientId": client_id,
        "clientSecrets": [secrets.token_urlsafe(12)],
        "parent": parent["clientId"],
        "name": data["name"],
        "description": data.get("description", ""),
        "uniqueForeignId": data["uniqueForeignId"],
        "oauth2AuthorizedCallbackUrls": data.get("oauth2AuthorizedCallbackUrls", []),
        "validJsSdkDomains": data.get("validJsSdkDomains", []),
        "authorizedContexts": [],
        "createdAt": sb.clock.now_ms(),
    }
    return sb.storage.put("application", client_id, app)


def _child_by_foreign_id(sb: Sandbox, parent: Record, foreign_id: str) -> Record | None:
    found = sb.storage.all(
        "application",
        lambda a: a.get("parent") == parent["clientId"] and a.get("uniqueForeignId") == foreign_id,
    )
    return found[0] if found else None


def find_apps(sb: Sandbox, request: Request) -> Response:
    """GET /v2/provisionedApplications?q=credentialsByUniqueForeignId&uniqueForeignId=..."""
    info = guard(sb, request, "partner", "provisioning")
    finder = required_param(request, "q")
    if finder != "credentialsByUniqueForeignId":
        raise ApiError(400, f"Unknown finder q={finder}")
    app = _child_by_foreign_id(sb, info.app, required_param(request, "uniqueForeignId"))
    elements = [public_app(app, with_credentials=True)] if app else []
    return json_response(200, page(request, elements))


def _child(sb: Sandbox, request: Request, parent: Record) -> Record:
    urn = str(path_key(request, "app", compound=False))
    app = sb.application_by_urn(urn)
    if app is None or app.get("parent") != parent["clientId"]:
        raise ApiError(404, f"No provisioned application {urn}")
    return app


def get_app(sb: Sandbox, request: Request) -> Response:
    info = guard(sb, request, "partner", "provisioning")
    return json_response(200, public_app(_child(sb, request, info.app), with_credentials=False))


def patch_app(sb: Sandbox, request: Request) -> Response:
    """POST /v2/provisionedApplications/{appUrn} with {"patch": {"$set": {...}}}."""
    info = guard(sb, request, "partner", "provisioning")
    if request.restli_method not in ("", "partial_update"):
        raise ApiError(400, "Use a partial update (x-restli-method: partial_update or none)")
    body = request.json()
    patch = body.get("patch") if isinstance(body, dict) else None
    changes = patch.get("$set") if isinstance(patch, dict) else None
    if not isinstance(patch, dict) or not isinstance(changes, dict) or set(patch) - {"$set"}:
        raise ApiError(400, 'The body must be {"patch": {"$set": {...}}}')
    unknown = sorted(set(changes) - (APP_FIELDS - {"uniqueForeignId"}))
    if unknown:
        raise ApiError(422, f"Field(s) cannot be patched: {', '.join(unknown)}")
    _validate_app_fields(sb, changes)
    with sb.storage.transaction():
        app = _child(sb, request, info.app)
        app.update(changes)
        sb.storage.put("application", app["clientId"], app)
    return empty_response(204)


# ATS integrations (customer application) ----------------------------------------------------------


def _check_integration_key(sb: Sandbox, token: auth.TokenInfo, key: Key) -> dict[str, str]:
    problem = integrations.key_problem(key)
    if problem:
        raise ElementError(400, problem)
    assert isinstance(key, dict)
    org = sb.org_of_context(key["integrationContext"])
    allowed = sb.authorized_orgs(token.app)
    if key["integrationType"] in integrations.CONTRACT_TYPES:
        allowed = sb.authorized_contracts(token.app)
        org = key["integrationContext"]
    if org is None or org not in allowed:
        raise ElementError(403, "The application is not authorized for this integration context")
    return key


def get_integrations(sb: Sandbox, request: Request) -> Response:
    """Batch get by ids, or the `q=request&requestId=` finder after an INTEGRATION_STATUS_CHANGE."""
    info = guard(sb, request, "customer", "integrations")
    if request.query.get("q") is not None:
        if request.query.get("q") != "request":
            raise ApiError(400, f"Unknown finder q={request.query.get('q')}")
        found = integrations.by_request(
            sb, info.app["clientId"], required_param(request, "requestId")
        )
        if found is None:
            raise ApiError(404, "Unknown requestId")
        return json_response(200, page(request, [integrations.public(r) for r in found]))
    outcome = BatchOutcome(request.protocol)
    for key in batch_keys(request, compound=True):
        outcome.run(key, partial(_read_integration, sb, info, key), 200)
    return json_response(200, outcome.body(with_statuses=True))


def _read_integration(sb: Sandbox, info: auth.TokenInfo, key: Key) -> dict[str, Any]:
    checked = _check_integration_key(sb, info, key)
    record = integrations.get(sb, info.app["clientId"], checked)
    if record is None:
        raise ElementError(404, "No such integration: the customer has not requested it")
    return integrations.public(record)


def update_integrations(sb: Sandbox, request: Request) -> Response:
    """POST batch_partial_update: `{"entities": {key: {"patch": {"$set": {...}}}}}`."""
    require_method(request, "batch_partial_update")
    keys = batch_keys(request, compound=True)
    info = guard(sb, request, "customer", "integrations", len(keys))
    outcome = BatchOutcome(request.protocol)
    with sb.storage.transaction():
        for key, entity in batch_entities(request, keys, compound=True):
            outcome.run(key, partial(_patch_integration, sb, info, key, entity), 204)
        for org in sb.authorized_orgs(info.app):
            integrations.refresh_readiness(sb, info.app["clientId"], org)
    return json_response(200, outcome.body())


def _patch_integration(sb: Sandbox, info: auth.TokenInfo, key: Key, entity: Any) -> None:
    checked = _check_integration_key(sb, info, key)
    patch = entity.get("patch") if isinstance(entity, dict) else None
    if not isinstance(patch, dict) or not set(patch) <= {"$set", "$delete"}:
        raise ElementError(400, 'Each entity must be {"patch": {"$set": {...}}}')
    changes = patch.get("$set", {})
    unknown = sorted(set(changes) - {"integrationName"})
    if unknown:
        raise ElementError(422, f"Field(s) cannot be set: {', '.join(unknown)}")
    name = changes.get("integrationName")
    if "integrationName" in changes and (not isinstance(name, str) or not name.strip()):
        raise ElementError(422, "integrationName must be a non-empty string")
    if isinstance(name, str) and len(name) > 200:
        raise ElementError(422, "integrationName must be at most 200 characters")
    # Guess: a partial update of an integration the customer has not requested yet creates it,
    # provided the customer authorised the application for that context.
    record = integrations.get(sb, info.app["clientId"], checked)
    record = record or integrations.create(sb, info.app["clientId"], checked)
    if "integrationName" in changes:
        record["integrationName"] = name
    if "integrationName" in patch.get("$delete", []):
        record["integrationName"] = None
    integrations.save(sb, record)


# Integration configurations -----------------------------------------------------------------------


def _integration_for_path(sb: Sandbox, request: Request, info: auth.TokenInfo) -> Record:
    key = path_key(request, "key", compound=True)
    try:
        checked = _check_integration_key(sb, info, key)
    except ElementError as exc:
        raise ApiError(exc.status, exc.message) from exc
    record = integrations.get(sb, info.app["clientId"], checked)
    if record is None:
        raise ApiError(404, "No such integration: the customer has not requested it")
    return record


def _config_key(record: Record, config_type: str) -> str:
    return (
        f"{integrations.storage_key(record['clientId'], integrations._key(record))}|{config_type}"
    )


def put_configurations(sb: Sandbox, request: Request) -> Response:
    """PUT .../configurations?ids=CALLBACK_URL (batch_update)."""
    require_method(request, "batch_update")
    keys = batch_keys(request, compound=False)
    info = guard(sb, request, "customer", "integrations", len(keys))
    outcome = BatchOutcome(request.protocol)
    with sb.storage.transaction():
        record = _integration_for_path(sb, request, info)
        for key, entity in batch_entities(request, keys, compound=False):
            outcome.run(key, partial(_put_config, sb, record, str(key), entity), 204)
        org = sb.org_of_context(record["integrationContext"]) or ""
        integrations.refresh_readiness(sb, info.app["clientId"], org)
    return json_response(200, outcome.body())


def _put_config(sb: Sandbox, record: Record, config_type: str, entity: Any) -> None:
    value = _config_value(record, config_type, entity)
    if config_type == "CALLBACK_URL":
        _check_callback(sb, record, value)
    sb.storage.put(
        "configuration",
        _config_key(record, config_type),
        {
            "clientId": record["clientId"],
            "integrationContext": record["integrationContext"],
            "integrationType": record["integrationType"],
            "configurationType": config_type,
            "configurationValue": {"string": value},
            "lastModifiedAt": sb.clock.now_ms(),
        },
    )


def _config_value(record: Record, config_type: str, entity: Any) -> str:
    if config_type not in CONFIGURATION_TYPES:
        raise ElementError(400, f"Unknown configuration type {config_type!r}")
    only_on = CONFIGURATION_TYPES[config_type]
    if only_on and record["integrationType"] != only_on:
        raise ElementError(400, f"{config_type} can only be set on {only_on} integrations")
    value = entity.get("configurationValue") if isinstance(entity, dict) else None
    text = value.get("string") if isinstance(value, dict) else None
    if not isinstance(text, str) or not text or set(entity) != {"configurationValue"}:
        raise ElementError(422, 'Each entity must be {"configurationValue": {"string": "..."}}')
    if config_type != "CALLBACK_URL" and text not in VIEWER_VALUES:
        raise ElementError(422, f"{config_type} must be ALL_PRODUCT_USERS or ACL_BASED")
    return text


def _check_callback(sb: Sandbox, record: Record, url: str) -> None:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    local = host in LOCAL_HOSTS or host.endswith(".localhost") or "." not in host
    # Reference: LINKEDIN.md 2.10, callbacks are HTTPS on port 80/443. The sandbox also accepts
    # plain http to local hosts (the product on a laptop or in docker compose).
    if parts.scheme == "https" and parts.port in (None, 443, 80):
        pass
    elif not (parts.scheme in ("http", "https") and local):
        raise ElementError(422, "CALLBACK_URL must be an HTTPS URL on port 443")
    org = sb.org_of_context(record["integrationContext"])
    for other in sb.storage.all(
        "configuration", lambda c: c["configurationType"] == "CALLBACK_URL"
    ):
        other_org = sb.org_of_context(other["integrationContext"])
        same_customer = other["clientId"] == record["clientId"] and other_org == org
        if other["configurationValue"]["string"] == url and not same_customer:
            raise ElementError(422, "This CALLBACK_URL is registered for another customer")


def get_configurations(sb: Sandbox, request: Request) -> Response:
    info = guard(sb, request, "customer", "integrations")
    record = _integration_for_path(sb, request, info)
    outcome = BatchOutcome(request.protocol)
    for key in batch_keys(request, compound=False):
        outcome.run(key, partial(_read_config, sb, record, str(key)), 200)
    return json_response(200, outcome.body(with_statuses=True))


def _read_config(sb: Sandbox, record: Record, config_type: str) -> dict[str, Any]:
    found = sb.storage.get("configuration", _config_key(record, config_type))
    if found is None:
        raise ElementError(404, f"{config_type} is not configured")
    return {"configurationValue": found["configurationValue"]}


def delete_configurations(sb: Sandbox, request: Request) -> Response:
    """DELETE .../configurations?ids=JOB_POSTING_VIEWERS (batch_delete)."""
    require_method(request, "batch_delete", "")
    keys = batch_keys(request, compound=False)
    info = guard(sb, request, "customer", "integrations", len(keys))
    record = _integration_for_path(sb, request, info)
    outcome = BatchOutcome(request.protocol)
    for key in keys:
        outcome.run(key, partial(_delete_config, sb, record, str(key)), 204)
    return json_response(200, outcome.body())


def _delete_config(sb: Sandbox, record: Record, config_type: str) -> None:
    if not sb.storage.delete("configuration", _config_key(record, config_type)):
        raise ElementError(404, f"{config_type} is not configured")


# Seats --------------------------------------------------------------------------------------------


def seats(sb: Sandbox, request: Request, v2: bool = False) -> Response:
    """GET /v2/seats?q=seatsByAttributes&contracts=...&active=true (also /v2/seatsV2?q=attributes).

    With a customer token the contracts are required and must be tied to the application (403
    otherwise). Guess: with a member token the finder answers that member's own seats, contracts
    optional; that is how the sandbox lets a signed-in admin choose among several contracts."""
    info = guard(sb, request, "customer_or_member", "prospect")
    finder = required_param(request, "q")
    if finder != ("attributes" if v2 else "seatsByAttributes"):
        raise ApiError(400, f"Unknown finder q={finder}")
    if v2 and request.query.get("start") is None:
        raise ApiError(400, "The start parameter is required by seatsV2")
    contracts = request.query.values("contracts")
    if info.kind == "app":
        if not contracts:
            raise ApiError(400, "Missing required query parameter: contracts")
        denied = [c for c in contracts if c not in sb.authorized_contracts(info.app)]
        if denied:
            raise ApiError(403, f"The application is not tied to {', '.join(denied)}", 100)
    found = _seat_elements(sb, request, info, contracts, v2)
    return json_response(200, page(request, found))


def _seat_elements(
    sb: Sandbox, request: Request, info: auth.TokenInfo, contracts: list[str], v2: bool
) -> list[dict[str, Any]]:
    active = request.query.get("active")
    states = request.query.values("states") if v2 else []
    person = f"urn:li:person:{info.member}" if info.kind == "member" else None
    out = []
    for seat in sb.storage.all("seat"):
        if contracts and seat["contract"] not in contracts:
            continue
        if person and seat["seatHolder"] != person:
            continue
        if active in ("true", "false") and seat["active"] != (active == "true"):
            continue
        state = "ACTIVE" if seat["active"] else "INACTIVE"
        if states and state not in states:
            continue
        contract = sb.contract(seat["contract"]) or {}
        element = {
            "id": seat["id"],
            "contract": seat["contract"],
            "seatHolder": seat["seatHolder"],
            "active": seat["active"],
            "role": seat["role"],
            # Guess: not in LINKEDIN.md; lets a product show which contract a seat is on.
            "contractName": contract.get("name"),
        }
        out.append(projection(request, element))
    return out
