"""LinkedIn's throttles as the client keeps to them (LINKEDIN.md 2.11): windows per application
per clock minute and UTC day, counted in Redis so that every process shares them, records paced
evenly through the minute, and member-level limits (conversationEvents).
"""

import hashlib
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import redis
from django.conf import settings
from django.core.cache import cache

from attract.env import setting_or_env

log = logging.getLogger("linkedin.client")

DAY = 86_400
MINUTE = 60


@dataclass(frozen=True)
class Window:
    """`limit` requests (or records) per clock minute, or per UTC day (LinkedIn resets at 00:00)."""

    seconds: int
    limit: int
    unit: str = "requests"  # or "records": a batch of 100 counts 100
    # Paced: besides the window, calls are spaced so that records flow evenly at a little under
    # the limit (`paced_cap` a window), never in a burst at the start of the window.
    paced: bool = field(default=False, compare=False)


def paced_cap(limit: int) -> int:
    """The records a paced window lets through per window: 2 % (at least one batch of 100, at
    most a tenth) is kept back, so a call counted at the end of our window and at the start of
    LinkedIn's next one never takes LinkedIn's over the limit."""
    return max(1, limit - max(-(-limit // 50), min(100, limit // 10)))


# Reference: https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/rate-limits
# (LINKEDIN.md 2.11). Limits are per application, so each child application has its own budget.
LIMITS: dict[str, tuple[Window, ...]] = {
    # atsCandidates, atsApplications (+ notes, feedback, stages) and the ACLs: 100,000 requests
    # a day and 10,000 records a minute, paced through the minute.
    "sync": (Window(DAY, 100_000), Window(MINUTE, 10_000, "records", paced=True)),
    # seats, conversationEvents, mailStubs and prospectNotes share 100,000 calls a day.
    "prospect": (Window(DAY, 100_000),),
    "integrations": (Window(DAY, 5_000),),
    # Guess: the premium job sync figures (the basic-job throttle is [UNCONFIRMED]).
    "jobs": (
        Window(DAY, 100_000),
        Window(MINUTE, 2_000, "records"),
        Window(DAY, 60_000, "records"),
    ),
    "job-tasks": (Window(DAY, 300_000),),
    # Guess: not published; the same budget as atsIntegrations for provisioning.
    "provisioning": (Window(DAY, 5_000),),
    # Guess: anything else (tokens, /v2/me, exportedCandidates) gets the sync budget per day.
    "default": (Window(DAY, 100_000),),
}
# Member-level throttles, counted per application and member: conversationEvents gives
# 12 records per member per minute (LINKEDIN.md 2.9); the viewer seat stands for its member.
# LinkedIn counts the records a page held, so a call goes while the member's minute (paced) has
# room, asks for a page no larger than the minute's budget, and its records are counted after.
MEMBER_LIMITS: dict[str, Window] = {
    "conversationEvents": Window(MINUTE, 12, "records", paced=True),
}


def rate_scale() -> float:
    """LINKEDIN_RATE_SCALE multiplies every limit above: 1 is LinkedIn's documented limits
    (production); a partner agreement that raises them, or a test run against a sandbox scaled
    the same way, sets another factor."""
    return setting_or_env("LINKEDIN_RATE_SCALE", 1.0)


def _scaled(window: Window) -> Window:
    scale = rate_scale()
    if scale == 1:
        return window
    return replace(window, limit=max(1, int(window.limit * scale)) if window.limit else 0)


def member_limit(resource: str) -> Window | None:
    window = MEMBER_LIMITS.get(resource)
    return _scaled(window) if window else None


BUCKETS = {
    "atsCandidates": "sync",
    "atsApplications": "sync",
    "atsEntityAcls": "sync",
    "atsEntityAclAssignees": "sync",
    "seats": "prospect",
    "conversationEvents": "prospect",
    "mailStubs": "prospect",
    "prospectNotes": "prospect",
    "atsIntegrations": "integrations",
    "integrations": "integrations",
    "integrationConfigurations": "integrations",
    "simpleJobPostings": "jobs",
    "simpleJobPostingTasks": "job-tasks",
    "provisionedApplications": "provisioning",
}

# Checks every window of a bucket and takes from all of them, or from none: atomic in Redis.
_ACQUIRE_LUA = """
for i = 1, #KEYS do
  local used = tonumber(redis.call('GET', KEYS[i]) or '0')
  if used + tonumber(ARGV[i * 3 - 1]) > tonumber(ARGV[i * 3 - 2]) then return {i, used} end
end
for i = 1, #KEYS do
  redis.call('INCRBY', KEYS[i], ARGV[i * 3 - 1])
  redis.call('EXPIRE', KEYS[i], ARGV[i * 3])
end
return {0, 0}
"""
# Pacing (GCRA): a call of n records may go once the key's time has come; it moves the key n
# record-intervals on. With ARGV[4] = 1 the records are added whatever the time (counted after).
_PACE_LUA = """
local now = tonumber(ARGV[1])
local due = tonumber(redis.call('GET', KEYS[1]) or '0')
if due > now and ARGV[4] ~= '1' then return tostring(due - now) end
if due < now then due = now end
redis.call('SET', KEYS[1], tostring(due + tonumber(ARGV[2])), 'EX', ARGV[3])
return '0'
"""


def bucket_for(path: str) -> str:
    """`/v2/atsCandidates/…` → "sync"; the first path part after the API version names it."""
    parts = [p for p in path.split("/") if p]
    resource = parts[1] if len(parts) > 1 and parts[0] in {"v2", "rest"} else ""
    return BUCKETS.get(resource, "default")


class RateLimiter:
    """Fixed windows (clock minute, UTC day) counted in Redis, or in Django's cache without it.

    Every process builds its own instance; they share the counters, so together they never go
    past the limits. Without Redis (a laptop) the cache's counters are not atomic across
    processes, which one laptop worker does not need.
    """

    def __init__(
        self,
        *,
        redis_url: str = "",
        limits: Mapping[str, tuple[Window, ...]] | None = None,
        prefix: str = "attract:linkedin:rl",
    ) -> None:
        self._limits = limits  # None: the module's LIMITS, read at each call
        self.prefix = prefix
        self._redis = redis.Redis.from_url(redis_url, socket_timeout=2) if redis_url else None
        self._script = self._redis.register_script(_ACQUIRE_LUA) if self._redis else None
        self._pace_script = self._redis.register_script(_PACE_LUA) if self._redis else None

    def try_acquire(self, bucket: str, app: str, *, records: int = 1) -> float:
        """0 when the call may go now (and is counted), else the seconds to wait."""
        return self._acquire(bucket, app, self._windows(bucket), records)

    def try_acquire_member(self, resource: str, app: str, member: str) -> float:
        """0 when a call may read the member-level throttled `resource` now (it counts one
        record), else the seconds to wait; what the page held is counted by `count_member`."""
        window = member_limit(resource)
        if window is None:
            return 0.0
        return self._acquire(resource, f"{app}|{member}", (window,), 1)

    def count_member(
        self, resource: str, app: str, member: str, *, records: int, at: float
    ) -> None:
        """Count `records` more in the window of a call let go at `at` (its page's records)."""
        window = member_limit(resource)
        if window is None or records <= 0:
            return
        key, _, _, ttl = self._plan(resource, f"{app}|{member}", window, at, 0)
        try:
            self._pace(resource, f"{app}|{member}", window, records, force=True)
            if self._redis is not None:
                self._redis.incrby(key, records)
            elif not cache.add(key, records, timeout=ttl):
                cache.incr(key, records)
        except (redis.RedisError, ValueError) as exc:
            log.warning("LinkedIn rate limiter: records not counted (%s)", type(exc).__name__)

    def _acquire(self, bucket: str, app: str, windows: tuple[Window, ...], records: int) -> float:
        now = time.time()
        plan = [self._plan(bucket, app, window, now, records) for window in windows]
        try:
            for window in windows:
                if window.paced:
                    wait = self._pace(bucket, app, window, records)
                    if wait > 0:
                        return wait
            blocked = self._take_redis(plan) if self._script else self._take_cache(plan)
        except redis.RedisError as exc:
            # Failing open: without Redis the Celery broker is down too, and LinkedIn's own 429
            # still stops us; failing closed would stop every integration on a Redis blip.
            log.warning(
                "LinkedIn rate limiter unavailable (%s); call not counted", type(exc).__name__
            )
            return 0.0
        if blocked is None:
            return 0.0
        return _seconds_left(windows[blocked[0]], now)

    def _pace(
        self, bucket: str, app: str, window: Window, records: int, *, force: bool = False
    ) -> float:
        """0 when `records` may go now by the pace of `window` (and they are counted), else the
        seconds until they may (LinkedIn's documented limits say per minute, not how: even
        spacing keeps every minute, however it is aligned, within them)."""
        app_hash = hashlib.sha256(app.encode()).hexdigest()[:16]
        key = f"{self.prefix}:{bucket}:{app_hash}:{window.seconds}:pace"
        step = max(1, records) * window.seconds / paced_cap(window.limit)
        now = time.time()
        if self._pace_script is not None:
            args: list[str | int] = [
                repr(now),
                repr(step),
                window.seconds * 2,
                "1" if force else "0",
            ]
            return float(self._pace_script(keys=[key], args=args))
        due = float(cache.get(key) or 0.0)
        if due > now and not force:
            return due - now
        cache.set(key, max(due, now) + step, timeout=window.seconds * 2)
        return 0.0

    def used(self, bucket: str, app: str) -> list[int]:
        """What each window of the bucket has counted so far (for the admin page and tests)."""
        windows = self._windows(bucket)
        keys = [self._plan(bucket, app, w, time.time(), 0)[0] for w in windows]
        if self._redis is not None:
            return [int(v or 0) for v in self._redis.mget(keys)]
        return [int(cache.get(k) or 0) for k in keys]

    def _windows(self, bucket: str) -> tuple[Window, ...]:
        if self._limits is not None:
            return self._limits.get(bucket) or self._limits["default"]
        return tuple(_scaled(w) for w in LIMITS.get(bucket) or LIMITS["default"])

    def _plan(
        self, bucket: str, app: str, window: Window, now: float, records: int
    ) -> tuple[str, int, int, int]:
        slot = int(now // window.seconds)
        app_hash = hashlib.sha256(app.encode()).hexdigest()[:16]
        key = f"{self.prefix}:{bucket}:{app_hash}:{window.seconds}:{window.unit}:{slot}"
        amount = records if window.unit == "records" else 1
        # A batch larger than a whole window still goes, alone in it.
        amount = max(1, min(amount, window.limit)) if amount else 0
        return key, window.limit, amount, window.seconds + 60

    def _take_redis(self, plan: list[tuple[str, int, int, int]]) -> tuple[int, int] | None:
        assert self._script is not None
        args = [value for _, *rest in plan for value in rest]
        blocked, used = self._script(keys=[key for key, *_ in plan], args=args)
        return (int(blocked) - 1, int(used)) if int(blocked) else None

    def _take_cache(self, plan: list[tuple[str, int, int, int]]) -> tuple[int, int] | None:
        taken: list[tuple[str, int]] = []
        for index, (key, limit, amount, ttl) in enumerate(plan):
            cache.add(key, 0, timeout=ttl)
            try:
                value = cache.incr(key, amount)
            except ValueError:  # expired between add and incr
                cache.set(key, amount, timeout=ttl)
                value = amount
            taken.append((key, amount))
            if value > limit:
                for taken_key, taken_amount in taken:
                    cache.decr(taken_key, taken_amount)
                return index, value - amount
        return None


def _seconds_left(window: Window, now: float) -> float:
    # Windows are aligned on the epoch, so the day window ends at midnight UTC.
    return window.seconds - (now % window.seconds) + 0.01


_limiters: dict[str, RateLimiter] = {}


def shared_limiter() -> RateLimiter:
    """This process's limiter on `settings.REDIS_URL` (the counters are shared, not the object)."""
    url = settings.REDIS_URL
    if url not in _limiters:
        _limiters[url] = RateLimiter(redis_url=url)
    return _limiters[url]
