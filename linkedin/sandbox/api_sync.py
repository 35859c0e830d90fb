"""ATS → LinkedIn sync APIs (LINKEDIN.md 2.5, 2.12): atsCandidates with notes and member matches,
atsApplications with notes, interview feedback and stages, and the deletes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from linkedin.sandbox import auth, jobs
from linkedin.sandbox.api import (
    BASE,
    BatchOutcome,
    ElementError,
    batch_entities,
    batch_keys,
    check_epoch,
    check_fields,
    check_type,
    guard,
    path_key,
    projection,
    require_method,
)
from linkedin.sandbox.core import Sandbox
from linkedin.sandbox.restli import ApiError, Key, key_id
from linkedin.sandbox.web import Request, Response, Router, json_response

Validator = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class Spec:
    """One synced resource: where it is stored, its key, its fields and checks."""

    kind: str
    key_fields: tuple[str, ...] | None  # None: a simple key (sub-resources)
    allowed: frozenset[str]
    required: frozenset[str]
    validate: Validator
    children: tuple[str, ...] = ()


def _strings(entity: dict[str, Any], *names: str) -> None:
    for name in names:
        check_type(entity, name, str)


def _person(value: Any, name: str) -> None:
    if value is None:
        return
    if not isinstance(value, dict) or set(value) - {"firstName", "lastName"}:
        raise ElementError(422, f"{name} must be {{firstName, lastName}}")
    _strings(value, "firstName", "lastName")


def _validate_candidate(entity: dict[str, Any]) -> None:
    check_epoch(entity, "atsCreatedAt", required=True)
    check_epoch(entity, "atsLastModifiedAt")
    _strings(
        entity,
        "firstName",
        "lastName",
        "middleInitial",
        "prefix",
        "suffix",
        "currentCompanyName",
        "currentJobTitle",
        "externalProfileUrl",
        "linkedInProfileUrl",
    )
    addresses = entity.get("addresses")
    if not isinstance(addresses, list):
        raise ElementError(422, "addresses is required (a list, possibly empty)")
    address_fields = {
        "line1",
        "line2",
        "city",
        "geographicArea",
        "geographicAreaType",
        "postalCode",
        "country",
    }
    for address in addresses:
        if not isinstance(address, dict) or set(address) - address_fields:
            raise ElementError(
                422, f"addresses items take only {', '.join(sorted(address_fields))}"
            )
    emails = entity.get("emailAddresses", [])
    if not isinstance(emails, list) or not all(isinstance(e, str) for e in emails):
        raise ElementError(422, "emailAddresses must be a list of strings")
    phones = entity.get("phoneNumbers", [])
    if not isinstance(phones, list) or not all(
        isinstance(p, dict)
        and isinstance(p.get("number"), str)
        and not set(p) - {"number", "extension"}
        for p in phones
    ):
        raise ElementError(422, "phoneNumbers items must be {number, extension}")


def _validate_note(entity: dict[str, Any]) -> None:
    check_epoch(entity, "atsCreatedAt", required=True)
    _strings(entity, "note")
    _person(entity.get("author"), "author")


def _validate_application(entity: dict[str, Any]) -> None:
    check_epoch(entity, "atsCreatedAt", required=True)
    check_epoch(entity, "atsLastModifiedAt")
    _strings(
        entity,
        "atsCandidateId",
        "atsJobPostingId",
        "atsJobPostingName",
        "candidateEmail",
        "firstName",
        "lastName",
        "source",
        "dispositionReason",
    )


def _validate_feedback(entity: dict[str, Any]) -> None:
    check_epoch(entity, "atsCreatedAt", required=True)
    _strings(entity, "feedback")
    _person(entity.get("interviewer"), "interviewer")
    evaluations = entity.get("evaluations", [])
    if not isinstance(evaluations, list) or not all(
        isinstance(e, dict)
        and set(e) <= {"attribute", "result"}
        and all(isinstance(v, str) for v in e.values())
        for e in evaluations
    ):
        raise ElementError(422, "evaluations items must be {attribute, result} strings")


def _validate_stage(entity: dict[str, Any]) -> None:
    check_epoch(entity, "atsCreatedAt", required=True)
    _strings(entity, "stage")


NOTE_FIELDS = frozenset({"atsCreatedAt", "note", "author"})
SPECS = {
    "atsCandidates": Spec(
        "ats_candidate",
        ("atsCandidateId", "dataProvider", "integrationContext"),
        frozenset(
            {
                "addresses",
                "atsCreatedAt",
                "atsLastModifiedAt",
                "firstName",
                "lastName",
                "middleInitial",
                "prefix",
                "suffix",
                "emailAddresses",
                "phoneNumbers",
                "currentCompanyName",
                "currentJobTitle",
                "externalProfileUrl",
                "linkedInProfileUrl",
            }
        ),
        frozenset({"atsCreatedAt"}),
        _validate_candidate,
        ("notes",),
    ),
    "atsCandidates/notes": Spec(
        "ats_candidate_note", None, NOTE_FIELDS, frozenset({"atsCreatedAt", "note"}), _validate_note
    ),
    "atsApplications": Spec(
        "ats_application",
        ("atsJobApplicationId", "dataProvider", "integrationContext"),
        frozenset(
            {
                "atsCandidateId",
                "atsCreatedAt",
                "atsLastModifiedAt",
                "atsJobPostingId",
                "atsJobPostingName",
                "candidateEmail",
                "firstName",
                "lastName",
                "source",
                "dispositionReason",
            }
        ),
        frozenset({"atsCreatedAt"}),
        _validate_application,
        ("notes", "interviewFeedback", "stages"),
    ),
    "atsApplications/notes": Spec(
        "ats_application_note",
        None,
        NOTE_FIELDS,
        frozenset({"atsCreatedAt", "note"}),
        _validate_note,
    ),
    "atsApplications/interviewFeedback": Spec(
        "ats_interview_feedback",
        None,
        frozenset({"atsCreatedAt", "feedback", "evaluations", "interviewer"}),
        frozenset({"atsCreatedAt"}),
        _validate_feedback,
    ),
    "atsApplications/stages": Spec(
        "ats_application_stage",
        None,
        frozenset({"atsCreatedAt", "stage"}),
        frozenset({"atsCreatedAt", "stage"}),
        _validate_stage,
    ),
}


def register(router: Router, sb: Sandbox) -> None:
    for resource in ("atsCandidates", "atsApplications"):
        path = BASE + "/" + resource
        _routes(router, sb, path, resource)
        for child in SPECS[resource].children:
            _routes(router, sb, path + r"/(?P<parent>[^/]+)/" + child, f"{resource}/{child}")
    router.add("POST", BASE + "/atsCandidates", lambda r: match_members(sb, r))
    jobs.register(router, sb)


def _routes(router: Router, sb: Sandbox, path: str, resource: str) -> None:
    router.add("PUT", path, partial(upsert, sb, resource=resource))
    router.add("GET", path, partial(read, sb, resource=resource))
    router.add("DELETE", path, partial(delete, sb, resource=resource))


# Keys, parents and storage ------------------------------------------------------------------------


def _check_key(sb: Sandbox, token: auth.TokenInfo, spec: Spec, key: Key) -> None:
    if spec.key_fields is None:
        if not isinstance(key, str) or not key:
            raise ElementError(400, "A sub-resource key is a non-empty id")
        return
    if not isinstance(key, dict) or set(key) != set(spec.key_fields):
        raise ElementError(400, f"The key has exactly the fields {', '.join(spec.key_fields)}")
    if key["dataProvider"] != "ATS":
        raise ElementError(400, "dataProvider must be ATS")
    if not key["integrationContext"].startswith("urn:li:organization:"):
        raise ElementError(400, "integrationContext must be urn:li:organization:{id}")
    if key["integrationContext"] not in sb.authorized_orgs(token.app):
        raise ElementError(403, "The application is not authorized for this integration context")
    if not all(key.values()):
        raise ElementError(400, "Key fields must not be empty")


def _storage_key(token: auth.TokenInfo, key: Key, parent: str | None) -> str:
    own = key_id(key)
    return f"{parent}|{own}" if parent else f"{token.app['clientId']}|{own}"


def _parent(sb: Sandbox, request: Request, token: auth.TokenInfo, resource: str) -> str | None:
    """The storage key of the parent record of a sub-resource (404 when it was never synced)."""
    if "/" not in resource:
        return None
    parent_resource = resource.split("/")[0]
    spec = SPECS[parent_resource]
    key = path_key(request, "parent", compound=True)
    try:
        _check_key(sb, token, spec, key)
    except ElementError as exc:
        raise ApiError(exc.status, exc.message) from exc
    storage_key = _storage_key(token, key, None)
    if sb.storage.get(spec.kind, storage_key) is None:
        raise ApiError(404, f"The parent {parent_resource} record does not exist")
    return storage_key


# Handlers -----------------------------------------------------------------------------------------


def upsert(sb: Sandbox, request: Request, resource: str) -> Response:
    """PUT batch_update: create or replace each entity (an update resends every field)."""
    require_method(request, "batch_update")
    spec = SPECS[resource]
    keys = batch_keys(request, compound=spec.key_fields is not None)
    token = guard(sb, request, "customer", "sync", len(keys))
    parent = _parent(sb, request, token, resource)
    outcome = BatchOutcome(request.protocol)
    pairs = batch_entities(request, keys, compound=spec.key_fields is not None)
    with sb.storage.transaction():
        for key, entity in pairs:
            outcome.run(key, partial(_put, sb, token, spec, key, entity, parent), 204)
    return json_response(200, outcome.body())


def _put(
    sb: Sandbox, token: auth.TokenInfo, spec: Spec, key: Key, entity: Any, parent: str | None
) -> None:
    _check_key(sb, token, spec, key)
    check_fields(entity, set(spec.allowed), set(spec.required))
    spec.validate(entity)
    storage_key = _storage_key(token, key, parent)
    previous = sb.storage.get(spec.kind, storage_key) or {}
    record = {
        "key": key,
        "parent": parent,
        "clientId": token.app["clientId"],
        "entity": entity,
        "syncedAt": sb.clock.now_ms(),
    }
    if spec.kind == "ats_candidate":
        record["manualMatchedMember"] = previous.get("manualMatchedMember")
    sb.storage.put(spec.kind, storage_key, record)


def read(sb: Sandbox, request: Request, resource: str) -> Response:
    """GET batch get (`fields=matchedMembers,manualMatchedMember` for candidate matches)."""
    require_method(request, "", "batch_get", "get")
    spec = SPECS[resource]
    keys = batch_keys(request, compound=spec.key_fields is not None)
    token = guard(sb, request, "customer", "sync", len(keys))
    parent = _parent(sb, request, token, resource)
    outcome = BatchOutcome(request.protocol)
    for key in keys:
        outcome.run(key, partial(_get, sb, request, token, spec, key, parent), 200)
    return json_response(200, outcome.body(with_statuses=True))


def _get(
    sb: Sandbox, request: Request, token: auth.TokenInfo, spec: Spec, key: Key, parent: str | None
) -> dict[str, Any]:
    _check_key(sb, token, spec, key)
    record = sb.storage.get(spec.kind, _storage_key(token, key, parent))
    if record is None:
        raise ElementError(404, "Not found")
    out = dict(record["entity"])
    if spec.kind == "ats_candidate":
        out["matchedMembers"] = algorithmic_matches(sb, record["entity"])
        if record.get("manualMatchedMember"):
            out["manualMatchedMember"] = record["manualMatchedMember"]
    return projection(request, out)


def delete(sb: Sandbox, request: Request, resource: str) -> Response:
    """DELETE batch_delete; a candidate takes its notes along, an application its notes,
    interview feedback and stages (LINKEDIN.md 2.12)."""
    require_method(request, "", "batch_delete")
    spec = SPECS[resource]
    keys = batch_keys(request, compound=spec.key_fields is not None)
    token = guard(sb, request, "customer", "sync", len(keys))
    parent = _parent(sb, request, token, resource)
    outcome = BatchOutcome(request.protocol)
    with sb.storage.transaction():
        for key in keys:
            outcome.run(key, partial(_delete, sb, token, spec, resource, key, parent), 204)
    return json_response(200, outcome.body())


def _delete(
    sb: Sandbox, token: auth.TokenInfo, spec: Spec, resource: str, key: Key, parent: str | None
) -> None:
    _check_key(sb, token, spec, key)
    storage_key = _storage_key(token, key, parent)
    if not sb.storage.delete(spec.kind, storage_key):
        raise ElementError(404, "Not found")
    for child in spec.children:
        child_kind = SPECS[f"{resource}/{child}"].kind
        for child_key in sb.storage.keys(child_kind):
            if child_key.startswith(storage_key + "|"):
                sb.storage.delete(child_kind, child_key)


# Member matches -----------------------------------------------------------------------------------


def algorithmic_matches(sb: Sandbox, entity: dict[str, Any]) -> list[str]:
    """Members whose email or profile URL equals the candidate's, else whose full name does.

    Guess: LinkedIn's matching is unpublished; this stands in for it."""
    emails = {e.lower() for e in entity.get("emailAddresses", [])}
    profile = (entity.get("linkedInProfileUrl") or "").rstrip("/").lower()
    name = (entity.get("firstName", "").lower(), entity.get("lastName", "").lower())
    strong, by_name = [], []
    for member in sb.storage.all("member"):
        if member["email"].lower() in emails or (
            profile and member["publicProfileUrl"].lower() == profile
        ):
            strong.append(member["urn"])
        elif all(name) and (member["firstName"].lower(), member["lastName"].lower()) == name:
            by_name.append(member["urn"])
    return strong or by_name


def match_members(sb: Sandbox, request: Request) -> Response:
    """POST batch_partial_update `{"patch": {"$set": {"manualMatchedMember": urn}}}` (or
    `{"patch": {"$delete": ["manualMatchedMember"]}}` to unlink)."""
    require_method(request, "batch_partial_update")
    spec = SPECS["atsCandidates"]
    keys = batch_keys(request, compound=True)
    token = guard(sb, request, "customer", "sync", len(keys))
    outcome = BatchOutcome(request.protocol)
    with sb.storage.transaction():
        for key, entity in batch_entities(request, keys, compound=True):
            outcome.run(key, partial(_set_match, sb, token, spec, key, entity), 204)
    return json_response(200, outcome.body())


def _set_match(sb: Sandbox, token: auth.TokenInfo, spec: Spec, key: Key, entity: Any) -> None:
    _check_key(sb, token, spec, key)
    patch = entity.get("patch") if isinstance(entity, dict) else None
    if not isinstance(patch, dict) or not set(patch) <= {"$set", "$delete"} or not patch:
        raise ElementError(400, 'Each entity must be {"patch": {"$set": {...}}}')
    changes = patch.get("$set", {})
    removed = patch.get("$delete", [])
    if set(changes) - {"manualMatchedMember"} or set(removed) - {"manualMatchedMember"}:
        raise ElementError(422, "Only manualMatchedMember can be patched")
    storage_key = _storage_key(token, key, None)
    record = sb.storage.get(spec.kind, storage_key)
    if record is None:
        raise ElementError(404, "Not found: sync the candidate first")
    if "manualMatchedMember" in changes:
        urn = changes["manualMatchedMember"]
        if not isinstance(urn, str) or sb.member_by_urn(urn) is None:
            raise ElementError(422, "manualMatchedMember must be the urn:li:person of a member")
        record["manualMatchedMember"] = urn
    if "manualMatchedMember" in removed:
        record["manualMatchedMember"] = None
    sb.storage.put(spec.kind, storage_key, record)
