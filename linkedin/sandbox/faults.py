"""Fault switches set through `POST /_sandbox/faults` (the contract in the LinkedIn shared brief).

`{"mode": "5xx"|"429"|"timeout"|"slow"|"malformed"|"off", "rate": 1.0, "count": N,
  "retry_after": seconds, "delay": seconds, "path_prefix": "/v2/...", "status": 503}`
`count` limits how many of the next matching requests are affected (absent = all), `rate` is the
share of matching requests affected. Control paths (`/_sandbox/...`) are never affected.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from typing import Any

from linkedin.sandbox.restli import ApiError
from linkedin.sandbox.storage import Storage

MODES = ("5xx", "429", "timeout", "slow", "malformed", "off")
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
        )
    except (TypeError, ValueError) as exc:
        raise ApiError(400, f"Invalid fault value: {exc}") from exc
    if not 0.0 <= fault.rate <= 1.0 or (fault.count is not None and fault.count < 0):
        raise ApiError(400, "rate must be within 0..1 and count must not be negative")
    if mode == "5xx" and not 500 <= fault.status <= 599:
        raise ApiError(400, "status must be a 5xx code")
    return fault


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
        if fault.rate < 1.0 and random.random() >= fault.rate:
            return None
        fault.applied += 1
        storage.set_meta("fault", fault.as_dict())
        return fault


def corrupt(body: bytes) -> bytes:
    """A body that announces JSON but does not parse."""
    cut = body[: max(1, len(body) // 2)]
    return cut + b'\x00<html><body>Bad Gateway</body></html> {"unterminated": '
