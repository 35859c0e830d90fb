"""Rest.li key and parameter encodings, protocol 1.0 and 2.0, as LinkedIn's APIs use them.

Protocol 1.0 (no `X-Restli-Protocol-Version` header): compound keys are `a=x&b=y` in paths and
entity maps and `ids[0].a=x&ids[0].b=y` in queries; simple batch keys repeat `ids=k1&ids=k2`.
Protocol 2.0 (`X-Restli-Protocol-Version: 2.0.0`): compound keys are `(a:x,b:y)`, batch keys are
`ids=List(k1,k2)` and leaf values are percent-encoded (`urn%3Ali%3Aorganization%3A1`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

PROTOCOL_1 = "1.0.0"
PROTOCOL_2 = "2.0.0"

Key = str | dict[str, str]


class RestliError(ValueError):
    """A key or parameter that does not follow the Rest.li encoding."""


class ApiError(Exception):
    """An error answered with LinkedIn's body `{status, serviceErrorCode, message}`."""

    def __init__(
        self,
        status: int,
        message: str,
        service_code: int | None = None,
        headers: dict[str, str] | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.service_code = service_code
        self.headers = headers or {}
        self.code = code

    def body(self) -> dict[str, Any]:
        return error_body(self.status, self.message, self.service_code, self.code)


# Guess: LinkedIn documents serviceErrorCode 65600/65602 (401) and 100 (403); for other statuses the
# sandbox reuses the HTTP status as serviceErrorCode. Kept here so it is easy to correct.
SERVICE_CODES = {401: 65600, 403: 100}


def error_body(
    status: int, message: str, service_code: int | None = None, code: str | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "status": status,
        "serviceErrorCode": service_code
        if service_code is not None
        else SERVICE_CODES.get(status, status),
        "message": message,
    }
    if code:
        body["code"] = code
    return body


# Leaf encoding ---------------------------------------------------------------------------------

_SAFE_2 = "-_.~"  # Rest.li 2.0 escapes every reserved character inside a leaf, including ( ) , :


def encode_leaf(value: str, protocol: str) -> str:
    if protocol == PROTOCOL_2:
        return quote(value, safe=_SAFE_2)
    return quote(value, safe=":/@-_.~ ")


def encode_key(key: Key, protocol: str) -> str:
    """The string form of a key as it appears in paths, entity maps and result maps."""
    if isinstance(key, str):
        return encode_leaf(key, protocol) if protocol == PROTOCOL_2 else key
    if protocol == PROTOCOL_2:
        return "(" + ",".join(f"{k}:{encode_leaf(v, protocol)}" for k, v in key.items()) + ")"
    return "&".join(f"{k}={quote(v, safe=':/@-_.~ ')}" for k, v in key.items())


def decode_key(raw: str, protocol: str, compound: bool) -> Key:
    """Parse a key from a path segment or an entity-map key."""
    if not raw:
        raise RestliError("empty key")
    if protocol == PROTOCOL_2:
        value = parse_value(raw)
        if compound and not isinstance(value, dict):
            raise RestliError(f"expected a compound key (a:x,b:y), got {raw!r}")
        if not compound and not isinstance(value, str):
            raise RestliError(f"expected a simple key, got {raw!r}")
        return value
    if not compound:
        return unquote(raw)
    parts: dict[str, str] = {}
    for piece in raw.split("&"):
        name, sep, value = piece.partition("=")
        if not sep or not name:
            raise RestliError(f"malformed compound key {raw!r}: expected field=value&field=value")
        parts[unquote(name)] = unquote(value)
    return parts


def same_key(a: Key, b: Key) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a == b  # field order does not matter
    return a == b


def key_id(key: Key) -> str:
    """A canonical, order-independent identity for storage."""
    if isinstance(key, str):
        return key
    return "&".join(f"{k}={key[k]}" for k in sorted(key))


# Protocol 2.0 value grammar: List(v,...) | (k:v,...) | leaf ---------------------------------------


def parse_value(raw: str) -> Any:
    value, end = _parse(raw, 0)
    if end != len(raw):
        raise RestliError(f"unexpected {raw[end:]!r} in Rest.li 2.0 value {raw!r}")
    return value


def _parse(raw: str, i: int) -> tuple[Any, int]:
    if raw.startswith("List(", i):
        return _parse_list(raw, i + 5)
    if raw.startswith("(", i):
        return _parse_object(raw, i + 1)
    end = i
    while end < len(raw) and raw[end] not in "(),:":
        end += 1
    return unquote(raw[i:end]), end


def _parse_list(raw: str, i: int) -> tuple[list[Any], int]:
    items: list[Any] = []
    if raw.startswith(")", i):
        return items, i + 1
    while True:
        item, i = _parse(raw, i)
        items.append(item)
        if raw.startswith(",", i):
            i += 1
        elif raw.startswith(")", i):
            return items, i + 1
        else:
            raise RestliError(f"unterminated List( in {raw!r}")


def _parse_object(raw: str, i: int) -> tuple[dict[str, Any], int]:
    fields: dict[str, Any] = {}
    if raw.startswith(")", i):
        return fields, i + 1
    while True:
        name, i = _parse(raw, i)
        if not isinstance(name, str) or not raw.startswith(":", i):
            raise RestliError(f"expected field:value in {raw!r}")
        fields[name], i = _parse(raw, i + 1)
        if raw.startswith(",", i):
            i += 1
        elif raw.startswith(")", i):
            return fields, i + 1
        else:
            raise RestliError(f"unterminated ( in {raw!r}")


def encode_value(value: Any) -> str:
    """Rest.li 2.0 form of a list, object or leaf (the inverse of parse_value)."""
    if isinstance(value, list):
        return "List(" + ",".join(encode_value(v) for v in value) + ")"
    if isinstance(value, dict):
        return "(" + ",".join(f"{k}:{encode_value(v)}" for k, v in value.items()) + ")"
    if isinstance(value, bool):
        return "true" if value else "false"
    return encode_leaf(str(value), PROTOCOL_2)


# Query strings ---------------------------------------------------------------------------------


@dataclass
class Query:
    """Query parameters kept raw so that Rest.li 2.0 structure survives decoding."""

    raw: list[tuple[str, str]]
    protocol: str

    @classmethod
    def parse(cls, query_string: str, protocol: str) -> Query:
        pairs: list[tuple[str, str]] = []
        for piece in query_string.split("&"):
            if not piece:
                continue
            name, _, value = piece.partition("=")
            pairs.append((unquote(name.replace("+", " ")), value))
        return cls(pairs, protocol)

    def _decoded(self, raw: str) -> Any:
        if self.protocol == PROTOCOL_2 and (raw.startswith("List(") or raw.startswith("(")):
            return parse_value(raw)
        return unquote(raw.replace("+", " "))

    def get(self, name: str, default: str | None = None) -> str | None:
        for key, value in self.raw:
            if key == name:
                decoded = self._decoded(value)
                if not isinstance(decoded, str):
                    raise RestliError(f"parameter {name} must be a single value")
                return decoded
        return default

    def values(self, name: str) -> list[str]:
        """A multi-valued parameter: `x=a&x=b`, `x[0]=a` or (2.0) `x=List(a,b)`."""
        out: list[str] = []
        for key, value in self.raw:
            if key == name or (key.startswith(name + "[") and key.endswith("]")):
                decoded = self._decoded(value)
                if isinstance(decoded, list):
                    out.extend(str(v) for v in decoded)
                elif isinstance(decoded, dict):
                    raise RestliError(f"parameter {name} must be a list of values")
                else:
                    out.append(decoded)
        return out

    def record(self, name: str) -> dict[str, str]:
        """A record: 1.0 `timeRange.start=1&timeRange.end=2`, 2.0 `timeRange=(start:1,end:2)`."""
        out: dict[str, str] = {}
        for key, value in self.raw:
            if key == name:
                decoded = self._decoded(value)
                if not isinstance(decoded, dict):
                    raise RestliError(f"parameter {name} must be a record")
                out.update({k: str(v) for k, v in decoded.items()})
            elif key.startswith(name + "."):
                out[key[len(name) + 1 :]] = unquote(value)
        return out

    def names(self) -> set[str]:
        return {key.split("[")[0].split(".")[0] for key, _ in self.raw}

    def batch_ids(self, compound: bool) -> list[Key]:
        """The `ids` of a batch request, in the order given."""
        if self.protocol == PROTOCOL_2:
            return self._batch_ids_2(compound)
        if compound:
            return self._batch_ids_1_compound()
        if any(key.startswith("ids[") for key, _ in self.raw):
            return [unquote(v) for k, v in self.raw if k.startswith("ids[")]
        return [unquote(v) for k, v in self.raw if k == "ids"]

    def _batch_ids_2(self, compound: bool) -> list[Key]:
        raws = [value for key, value in self.raw if key == "ids"]
        if any(key.startswith("ids[") for key, _ in self.raw) or len(raws) > 1:
            raise RestliError("with X-Restli-Protocol-Version 2.0.0 give ids as ids=List(...)")
        if not raws:
            return []
        if not raws[0].startswith("List("):
            raise RestliError(
                "ids must be ids=List(...) with unencoded List( , ) and percent-encoded values"
            )
        items = parse_value(raws[0])
        keys: list[Key] = []
        for item in items:
            if compound != isinstance(item, dict):
                kind = "compound keys (a:x,b:y)" if compound else "simple keys"
                raise RestliError(f"ids must hold {kind}")
            keys.append({k: str(v) for k, v in item.items()} if isinstance(item, dict) else item)
        return keys

    def _batch_ids_1_compound(self) -> list[Key]:
        by_index: dict[int, dict[str, str]] = {}
        for key, value in self.raw:
            if key == "ids" or (key.startswith("ids") and not key.startswith("ids[")):
                raise RestliError("compound batch keys are given as ids[0].field=value")
            if not key.startswith("ids["):
                continue
            index, _, field = key[4:].partition("].")
            if not index.isdigit() or not field:
                raise RestliError(f"malformed batch key parameter {key!r}")
            by_index.setdefault(int(index), {})[field] = unquote(value)
        if by_index and sorted(by_index) != list(range(len(by_index))):
            raise RestliError("batch key indexes must run 0, 1, 2, ... without gaps")
        return [by_index[i] for i in sorted(by_index)]


def ids_query(keys: list[Key], protocol: str) -> str:
    """Encode batch keys for a query string (used by tests and the pages)."""
    if protocol == PROTOCOL_2:
        return "ids=" + encode_value(list(keys))
    parts: list[str] = []
    for index, key in enumerate(keys):
        if isinstance(key, str):
            parts.append("ids=" + quote(key, safe=""))
        else:
            parts.extend(f"ids[{index}].{k}={quote(v, safe='')}" for k, v in key.items())
    return "&".join(parts)
