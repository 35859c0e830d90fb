"""Fault switches set through `POST /_sandbox/faults` (the contract in the LinkedIn shared brief).

`{"mode": "5xx"|"429"|"timeout"|"slow"|"malformed"|"off", "rate": 1.0, "count": N,
  "retry_after": seconds, "delay": seconds, "path_prefix": "/v2/...", "status": 503, "after": N}`
`count` limits how many of the next matching requests are affected (absent = all), `rate` is the
share of matching requests affected, `after` lets that many matching requests through first.
Control paths (`/_sandbox/...`) are never affected.

`{"mode": "mix", "faults": [{"mode": "5xx", "rate": 0.2}, {"mode": "429", "rate": 0.05,
  "retry_after": 1}, {"mode": "timeout", "rate": 0.05, "delay": 2}], ...}` draws one of several
faults per matching request, each with its own share (the shares add up to at most 1); `tally`
counts what each mode hit.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from typing import Any

from linkedin.sandbox.restli import ApiError
from linkedin.sandbox.storage import Storage

MODES = ("5xx", "429", "timeout", "slow", "malformed", "off", "mix")
MIXABLE = ("5xx", "429", "timeout", "slow", "malformed")
MIX_FIELDS = {"mode", "rate", "retry_after", "delay", "status"}
DEFAULT_TIMEOUT_DELAY = 25.0  # longer than the product's LINKEDIN_REQUEST_TIMEOUT (20 s)
DEFAULT_SLOW_DELAY = 2.0


@dataclass
class Fault:
    mode: str
    rate: float = 1.0
    count: int | None = None
    retry_after: float | None = None
    delay: float | None = None
    path_prefix: str = "/"
    status: int = 500
    applied: int = 0
    after: int = 0
    matched: int = 0
    faults: list[dict[str, Any]] | None = None  # the parts of a "mix"
    tally: dict[str, int] | None = None  # a mix's hits by mode

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def wait(self) -> float:
        if self.delay is not None:
            return self.delay
        return DEFAULT_TIMEOUT_DELAY if self.mode == "timeout" else DEFAULT_SLOW_DELAY


def parse_fault(payload: Any) -> Fault:
    """Validate a control payload into a fault (400 on anything unexpected)."""
    if not isinstance(payload, dict):
        raise ApiError(400, "The fault must be a JSON object")
    unknown = set(payload) - {
        "mode",
        "rate",
        "count",
        "retry_after",
        "delay",
        "path_prefix",
        "status",
        "after",
        "faults",
    }
    if unknown:
        raise ApiError(400, f"Unknown fault fields: {', '.join(sorted(unknown))}")
    mode = payload.get("mode")
    if mode not in MODES:
        raise ApiError(400, f"mode must be one of {', '.join(MODES)}")
    try:
        fault = Fault(
            mode=mode,
            rate=float(payload.get("rate", 1.0)),
            count=None if payload.get("count") is None else int(payload["count"]),
            retry_after=_optional_float(payload.get("retry_after")),
            delay=_optional_float(payload.get("delay")),
            path_prefix=str(payload.get("path_prefix") or "/"),
            status=int(payload.get("status", 500)),
            after=int(payload.get("after") or 0),
        )
    except (TypeError, ValueError) as exc:
        raise ApiError(400, f"Invalid fault value: {exc}") from exc
    if not 0.0 <= fault.rate <= 1.0 or (fault.count is not None and fault.count < 0):
        raise ApiError(400, "rate must be within 0..1 and count must not be negative")
    if fault.after < 0:
        raise ApiError(400, "after must not be negative")
    if mode == "5xx" and not 500 <= fault.status <= 599:
        raise ApiError(400, "status must be a 5xx code")
    if mode == "mix":
        fault.faults = _parse_mix(payload.get("faults"))
        fault.tally = dict.fromkeys((part["mode"] for part in fault.faults), 0)
    elif "faults" in payload:
        raise ApiError(400, "faults is only for the mix mode")
    return fault


def _parse_mix(parts: Any) -> list[dict[str, Any]]:
    """The parts of a mix: each a fault of its own with a share of the requests."""
    if not isinstance(parts, list) or not parts:
        raise ApiError(400, "A mix needs faults: a non-empty list of faults")
    parsed: list[dict[str, Any]] = []
    for part in parts:
        if not isinstance(part, dict) or set(part) - MIX_FIELDS:
            raise ApiError(400, f"Each mixed fault takes only {', '.join(sorted(MIX_FIELDS))}")
        if part.get("mode") not in MIXABLE:
            raise ApiError(400, f"A mixed fault's mode is one of {', '.join(MIXABLE)}")
        fault = parse_fault(part)
        parsed.append(
            {
                "mode": fault.mode,
                "rate": fault.rate,
                "retry_after": fault.retry_after,
                "delay": fault.delay,
                "status": fault.status,
            }
        )
    if sum(part["rate"] for part in parsed) > 1.0 + 1e-9:
        raise ApiError(400, "The shares of a mix add up to at most 1")
    return parsed


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


def set_fault(storage: Storage, fault: Fault) -> None:
    storage.set_meta("fault", None if fault.mode == "off" else fault.as_dict())


def current(storage: Storage) -> Fault | None:
    raw = storage.meta("fault")
    return Fault(**raw) if raw else None


def draw(storage: Storage, path: str) -> Fault | None:
    """The fault that hits this request, if any (consumes one of `count`)."""
    if path.startswith("/_sandbox"):
        return None
    with storage.transaction():
        fault = current(storage)
        if fault is None or not path.startswith(fault.path_prefix):
            return None
        if fault.count is not None and fault.applied >= fault.count:
            return None
        if fault.after:
            fault.matched += 1
            storage.set_meta("fault", fault.as_dict())
            if fault.matched <= fault.after:
                return None
        if fault.mode == "mix":
            return _draw_mix(storage, fault)
        if fault.rate < 1.0 and random.random() >= fault.rate:
            return None
        fault.applied += 1
        storage.set_meta("fault", fault.as_dict())
        return fault


def _draw_mix(storage: Storage, fault: Fault) -> Fault | None:
    """One draw for the whole mix: each part takes its share of the requests."""
    point = random.random()
    for part in fault.faults or []:
        point -= part["rate"]
        if point < 0:
            fault.applied += 1
            tally = fault.tally or {}
            tally[part["mode"]] = tally.get(part["mode"], 0) + 1
            fault.tally = tally
            storage.set_meta("fault", fault.as_dict())
            return Fault(**part, path_prefix=fault.path_prefix)
    return None


def corrupt(body: bytes) -> bytes:
    """A body that announces JSON but does not parse."""
    cut = body[: max(1, len(body) // 2)]
    return cut + b'\x00<html><body>Bad Gateway</body></html> {"unterminated": '
