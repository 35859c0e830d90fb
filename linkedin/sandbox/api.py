"""Shared pieces of the API handlers: guards, Rest.li batch plumbing, paging and validation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from linkedin.sandbox import auth, ratelimit
from linkedin.sandbox.core import Sandbox
from linkedin.sandbox.restli import ApiError, Key, RestliError, decode_key, encode_key, error_body
from linkedin.sandbox.web import Request

MAX_BATCH = 100  # Reference: LINKEDIN.md 2.4, batches of at most 100 records
BASE = r"(?P<base>/v2)"
VERSIONED_BASE = r"(?P<base>/v2|/rest)"


def guard(
    sb: Sandbox, request: Request, token: str, group: str, records: int = 1
) -> auth.TokenInfo:
    """Authenticate (401/403) and count the call against the rate limits (429)."""
    info = auth.require(sb, request, token)
    ratelimit.check(sb, group, info.app["clientId"], records)
    return info


def require_method(request: Request, *expected: str) -> str:
    """The x-restli-method header, checked against what this endpoint accepts."""
    method = request.restli_method
    if method not in expected:
        wanted = " or ".join(e or "(none)" for e in expected)
        raise ApiError(
            400,
            f"Header x-restli-method must be {wanted} for this request, got {method or 'none'!r}",
        )
    return method


def path_key(request: Request, name: str, compound: bool) -> Key:
    try:
        return decode_key(request.params[name], request.protocol, compound)
    except RestliError as exc:
        raise ApiError(400, f"Invalid resource key: {exc}") from exc


def batch_keys(request: Request, compound: bool, required: bool = True) -> list[Key]:
    try:
        keys = request.query.batch_ids(compound)
    except RestliError as exc:
        raise ApiError(400, f"Invalid batch key: {exc}") from exc
    if required and not keys:
        raise ApiError(400, "The ids parameter is required for a batch request")
    if len(keys) > MAX_BATCH:
        raise ApiError(400, f"A batch may hold at most {MAX_BATCH} keys, got {len(keys)}")
    return keys


def batch_entities(request: Request, keys: list[Key], compound: bool) -> list[tuple[Key, Any]]:
    """The body's `entities` map, whose keys must be exactly the query's ids."""
    body = request.json()
    entities = body.get("entities") if isinstance(body, dict) else None
    if not isinstance(entities, dict):
        raise ApiError(400, 'The request body must be {"entities": {key: entity}}')
    if len(entities) > MAX_BATCH:
        raise ApiError(400, f"A batch may hold at most {MAX_BATCH} entities, got {len(entities)}")
    pairs: list[tuple[Key, Any]] = []
    for raw, entity in entities.items():
        try:
            key = decode_key(raw, request.protocol, compound)
        except RestliError as exc:
            raise ApiError(400, f"Invalid batch key {raw!r}: {exc}") from exc
        pairs.append((key, entity))
    if not _same_key_sets([k for k, _ in pairs], keys):
        raise ApiError(400, "Batch request mismatch: the entity keys differ from the ids parameter")
    return pairs


def _same_key_sets(a: list[Key], b: list[Key]) -> bool:
    def norm(k: Key) -> str:
        return k if isinstance(k, str) else repr(sorted(k.items()))

    return len(a) == len(b) and sorted(map(norm, a)) == sorted(map(norm, b))


class ElementError(Exception):
    """One element of a batch failed; the rest go on."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class BatchOutcome:
    """`results` and `errors` maps keyed by the encoded key, as Rest.li batch responses are."""

    protocol: str
    results: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, Any] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)

    def run(self, key: Key, action: Callable[[], Any], ok_status: int) -> None:
        encoded = encode_key(key, self.protocol)
        try:
            value = action()
        except ElementError as exc:
            self.errors[encoded] = error_body(exc.status, exc.message)
            self.statuses[encoded] = exc.status
            return
        self.results[encoded] = {"status": ok_status} if value is None else value
        self.statuses[encoded] = ok_status

    def body(self, with_statuses: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"results": self.results, "errors": self.errors}
        if with_statuses:
            out["statuses"] = self.statuses
        return out


def page(request: Request, items: list[Any], default_count: int = 10) -> dict[str, Any]:
    """`start`/`count` paging with LinkedIn's `paging` block."""
    start, count = page_bounds(request, default_count)
    return paged(items[start : start + count], start, count, len(items))


def page_bounds(request: Request, default_count: int = 10) -> tuple[int, int]:
    """The request's `start` and `count` (at most 100), validated."""
    query = request.query
    try:
        start = int(query.get("start") or 0)
        count = int(query.get("count") or default_count)
    except ValueError as exc:
        raise ApiError(400, "start and count must be integers") from exc
    if start < 0 or count < 0:
        raise ApiError(400, "start and count must not be negative")
    return start, min(count, 100)


def paged(elements: list[Any], start: int, count: int, total: int) -> dict[str, Any]:
    return {
        "elements": elements,
        "paging": {"start": start, "count": count, "total": total, "links": []},
    }


def required_param(request: Request, name: str) -> str:
    try:
        value = request.query.get(name)
    except RestliError as exc:
        raise ApiError(400, str(exc)) from exc
    if not value:
        raise ApiError(400, f"Missing required query parameter: {name}")
    return value


def int_param(request: Request, name: str, required: bool = True) -> int | None:
    raw = required_param(request, name) if required else request.query.get(name)
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError as exc:
        raise ApiError(
            400, f"Query parameter {name} must be an integer (epoch milliseconds)"
        ) from exc


def check_fields(entity: Any, allowed: set[str], required: set[str]) -> dict[str, Any]:
    """A dict entity with no unknown and no missing fields (422 per element otherwise)."""
    if not isinstance(entity, dict):
        raise ElementError(400, "The entity must be a JSON object")
    unknown = sorted(set(entity) - allowed)
    if unknown:
        raise ElementError(422, f"Unrecognized field(s): {', '.join(unknown)}")
    missing = sorted(name for name in required if entity.get(name) in (None, ""))
    if missing:
        raise ElementError(422, f"Missing required field(s): {', '.join(missing)}")
    return entity


def check_type(entity: dict[str, Any], name: str, kind: type | tuple[type, ...]) -> None:
    value = entity.get(name)
    if value is None:
        return
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
        raise ElementError(422, f"Field {name} has the wrong type")


def check_epoch(entity: dict[str, Any], name: str, required: bool = False) -> None:
    value = entity.get(name)
    if value is None:
        if required:
            raise ElementError(422, f"Missing required field(s): {name}")
        return
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ElementError(422, f"Field {name} must be epoch milliseconds greater than 0")


def check_enum(entity: dict[str, Any], name: str, values: set[str]) -> None:
    value = entity.get(name)
    if value is not None and value not in values:
        raise ElementError(422, f"Field {name} has an invalid value {value!r}")


def projection(request: Request, record: dict[str, Any]) -> dict[str, Any]:
    """`fields=a,b` keeps only those top-level fields."""
    raw = request.query.get("fields")
    if not raw:
        return record
    wanted = {f.strip() for f in raw.strip("()").split(",") if f.strip()}
    return {k: v for k, v in record.items() if k in wanted}
