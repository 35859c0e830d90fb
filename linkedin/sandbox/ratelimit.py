"""LinkedIn's throttles (LINKEDIN.md 2.11), per application per UTC day and per minute, scaled
down by `--rate-scale` / `LINKEDIN_SANDBOX_RATE_SCALE` (or the ratelimits control) for tests."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from linkedin.sandbox.core import Sandbox
from linkedin.sandbox.restli import ApiError


@dataclass(frozen=True)
class Limit:
    requests_per_day: int
    records_per_minute: int | None = None
    records_per_day: int | None = None


# Reference: LINKEDIN.md 2.11 and 2.3; the sandbox groups resources the way LinkedIn's table does.
LIMITS: dict[str, Limit] = {
    "sync": Limit(100_000, records_per_minute=10_000),
    "prospect": Limit(100_000),  # seats, conversationEvents, mailStubs, prospectNotes combined
    "integrations": Limit(5_000),
    "job_tasks": Limit(300_000),
    # Guess: the basic-job throttle is unpublished (open item 8); the premium figures are used.
    "jobs": Limit(100_000, records_per_minute=2_000, records_per_day=60_000),
    # Guess: unpublished; generous values so that only a scaled test reaches them.
    "provisioning": Limit(5_000),
    "exports": Limit(100_000),
    "profile": Limit(100_000),
}
CONVERSATION_RECORDS_PER_MEMBER_MINUTE = 12  # Reference: LINKEDIN.md 2.9 / 2.11
EXPORTS_PER_SEAT_MONTH = 300  # Reference: LINKEDIN.md 2.8


def scaled(sb: Sandbox, value: int) -> int:
    return max(1, math.floor(value * sb.rate_scale))


def _windows(sb: Sandbox) -> tuple[str, str, str]:
    now = datetime.fromtimestamp(sb.clock.now(), UTC)
    return now.strftime("%Y-%m-%d"), now.strftime("%Y-%m-%dT%H:%M"), now.strftime("%Y-%m")


def throttled(kind: str) -> ApiError:
    # Reference: LinkedIn's 429 wording; LINKEDIN.md 2.11 documents no rate-limit headers.
    return ApiError(
        429,
        f"Resource level throttle APPLICATION {kind} limit for calls to this resource is reached.",
    )


def check(sb: Sandbox, group: str, client_id: str, records: int = 1) -> None:
    """Count one call (and its records) for the application, or refuse it with 429."""
    limit = LIMITS[group]
    day, minute, _ = _windows(sb)
    store = sb.storage
    with store.transaction():
        calls_key = f"rl:{day}:{client_id}:{group}:calls"
        if store.counter(calls_key) + 1 > scaled(sb, limit.requests_per_day):
            raise throttled("DAY")
        if limit.records_per_minute is not None:
            minute_key = f"rl:{minute}:{client_id}:{group}:records"
            if store.counter(minute_key) + records > scaled(sb, limit.records_per_minute):
                raise throttled("MINUTE")
            store.incr(minute_key, records)
        if limit.records_per_day is not None:
            records_key = f"rl:{day}:{client_id}:{group}:records"
            if store.counter(records_key) + records > scaled(sb, limit.records_per_day):
                raise throttled("DAY")
            store.incr(records_key, records)
        store.incr(calls_key)


def check_member_records(sb: Sandbox, viewer: str) -> None:
    """conversationEvents: 12 records per member per minute; refused once the minute is used up."""
    _, minute, _ = _windows(sb)
    key = f"rl:{minute}:member:{viewer}:conversationEvents"
    if sb.storage.counter(key) >= scaled(sb, CONVERSATION_RECORDS_PER_MEMBER_MINUTE):
        raise ApiError(
            429,
            "Resource level throttle MEMBER MINUTE limit for calls to this resource is reached.",
        )


def add_member_records(sb: Sandbox, viewer: str, records: int) -> None:
    _, minute, _ = _windows(sb)
    sb.storage.incr(f"rl:{minute}:member:{viewer}:conversationEvents", max(records, 1))


def use_export(sb: Sandbox, seat_urn: str) -> bool:
    """One-Click Export: 300 per seat per month. False when the seat has used them all."""
    _, _, month = _windows(sb)
    key = f"rl:{month}:seat:{seat_urn}:exports"
    with sb.storage.transaction():
        if sb.storage.counter(key) >= scaled(sb, EXPORTS_PER_SEAT_MONTH):
            return False
        sb.storage.incr(key)
    return True
