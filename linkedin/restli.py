"""Rest.li conventions of LinkedIn's unversioned /v2 API: keys, batch bodies and batch results.

Reference: https://learn.microsoft.com/en-us/linkedin/talent/middleware-platform/sync-candidates
LINKEDIN.md 2.4: compound keys go in the query as `ids[0].field=value&ids[1]...` and as the entity
map key `field1=v1&field2=v2` in the body; sub-resources put the key in the path; URNs are
URL-encoded in query strings; batch writes go in groups of at most 100 records, one at a time.
"""

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import quote, unquote

T = TypeVar("T")
Key = Mapping[str, str]

BATCH_SIZE = 100  # LINKEDIN.md 2.4: batch writes of at most 100 records
MAX_QUERY_BYTES = 4 * 1024  # LINKEDIN.md 2.4: longer query strings get HTTP 414
MAX_URL_BYTES = 8 * 1024


def encode(value: Any) -> str:
    """A value for a query string: URNs keep nothing unescaped (`urn%3Ali%3A...`)."""
    return quote(str(value), safe="")


def urn(kind: str, value: Any) -> str:
    """`urn("organization", 42)` → `urn:li:organization:42`."""
    return f"urn:li:{kind}:{value}"


def urn_id(value: str) -> str:
    """The last part of a URN (`urn:li:seat:7` → `7`); a bare id is returned as it is."""
    return value.rsplit(":", 1)[-1]


def key_string(key: Key) -> str:
    """A compound key as the entity-map key of a batch body (`a=v1&b=v2`, values unescaped)."""
    return "&".join(f"{name}={value}" for name, value in key.items())


def key_path(key: Key) -> str:
    """A compound key as a path segment; `&`, `=` and `/` inside values are escaped."""
    return "&".join(f"{name}={quote(str(value), safe=':')}" for name, value in key.items())


def parse_key(text: str) -> dict[str, str]:
    """A compound key read back from a response map key, escaped or not."""
    pairs = (part.partition("=") for part in text.split("&") if part)
    return {unquote(name): unquote(value) for name, _, value in pairs}


def same_key(a: Key | str, b: Key | str) -> bool:
    as_dict = [parse_key(k) if isinstance(k, str) else dict(k) for k in (a, b)]
    return as_dict[0] == as_dict[1]


def ids_query(keys: Sequence[Key]) -> str:
    """Compound keys of a batch call: `ids[0].a=…&ids[0].b=…&ids[1].a=…`.

    The brackets go out percent-encoded (`ids%5B0%5D.a`), as urllib3 would send them anyway:
    the length we measure against LinkedIn's 4 KB is then the length on the wire.
    """
    return "&".join(_single_query(key, index) for index, key in enumerate(keys))


def simple_ids_query(ids: Sequence[Any]) -> str:
    """Simple keys of a batch call: `ids=a&ids=b`."""
    return "&".join(f"ids={encode(value)}" for value in ids)


def query(params: Mapping[str, Any]) -> str:
    """Finder parameters; a list value repeats its name (`owners=a&owners=b`)."""
    parts: list[str] = []
    for name, value in params.items():
        values = value if isinstance(value, list | tuple) else [value]
        parts.extend(f"{name}={encode(v)}" for v in values if v is not None)
    return "&".join(parts)


def chunks(items: Sequence[T], size: int = BATCH_SIZE) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def key_chunks(keys: Sequence[Key], size: int = BATCH_SIZE) -> Iterator[Sequence[Key]]:
    """Keys in groups of at most `size` whose `ids[...]` query stays under LinkedIn's 4 KB."""
    yield from grouped(keys, lambda key: key, size)


def grouped(
    items: Sequence[T], key_of: Callable[[T], Key], size: int = BATCH_SIZE
) -> Iterator[list[T]]:
    """Items in request-sized groups: at most `size`, and a query of their keys under 4 KB.

    With compound keys 100 records do not fit in 4 KB (the sandbox answers 414, as LinkedIn
    documents), so a batch write of 100 candidates goes out in three or four requests.
    """
    group: list[T] = []
    length = 0
    for item in items:
        key = key_of(item)
        part = len(_single_query(key, len(group))) + 1
        if group and (len(group) >= size or length + part > MAX_QUERY_BYTES):
            yield group
            group, length = [], 0
            part = len(_single_query(key, 0)) + 1
        group.append(item)
        length += part
    if group:
        yield group


def _single_query(key: Key, index: int) -> str:
    if list(key) == ["id"]:
        return f"ids={encode(key['id'])}"
    return "&".join(f"ids%5B{index}%5D.{name}={encode(value)}" for name, value in key.items())


def patch_set(fields: Mapping[str, Any]) -> dict:
    """The body of one partial update: `{"patch": {"$set": {...}}}`."""
    return {"patch": {"$set": dict(fields)}}


@dataclass(frozen=True)
class ElementError:
    """One element of a batch LinkedIn refused (e.g. a 422 for a bad enum)."""

    key: str
    status: int
    message: str
    service_error_code: int | None = None


@dataclass
class BatchResult:
    """What a batch call answered: entities or statuses by key, and the per-element errors."""

    results: dict[str, Any] = field(default_factory=dict)
    errors: list[ElementError] = field(default_factory=list)
    elements: list[Any] = field(default_factory=list)  # batch_create answers in request order

    def merge(self, other: "BatchResult") -> "BatchResult":
        self.results.update(other.results)
        self.errors.extend(other.errors)
        self.elements.extend(other.elements)
        return self

    def get(self, key: Key | str) -> Any:
        for text, value in self.results.items():
            if same_key(text, key):
                return value
        return None

    @property
    def ok(self) -> bool:
        return not self.errors


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _element_error(key: str, body: Mapping[str, Any]) -> ElementError:
    inner = body.get("error")
    error: Mapping[str, Any] = inner if isinstance(inner, Mapping) else body
    return ElementError(
        key=key,
        status=_int(body.get("status")) or _int(error.get("status")) or 422,
        message=str(error.get("message") or "Rejected by LinkedIn."),
        service_error_code=error.get("serviceErrorCode"),
    )


def _failed(value: Mapping[str, Any]) -> bool:
    # An HTTP status per element is a number; entities may have a `status` field of their own
    # (e.g. an integration's "ENABLED").
    status = value.get("status")
    return isinstance(status, int) and not isinstance(status, bool) and status >= 400


def parse_batch(body: Mapping[str, Any]) -> BatchResult:
    """Read `results`/`errors` maps (batch get/update) or `elements` (batch create)."""
    out = BatchResult()
    for key, value in (body.get("results") or {}).items():
        if isinstance(value, Mapping) and _failed(value):
            out.errors.append(_element_error(key, value))
        else:
            out.results[key] = value
    for key, value in (body.get("errors") or {}).items():
        out.errors.append(_element_error(key, value if isinstance(value, Mapping) else {}))
    for index, element in enumerate(body.get("elements") or []):
        out.elements.append(element)
        if isinstance(element, Mapping) and _failed(element):
            out.errors.append(_element_error(str(index), element))
    return out
