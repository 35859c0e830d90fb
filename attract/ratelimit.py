"""A fixed-window request counter per key, kept in Django's cache.

On Redis (production, CI) `cache.add` is SET NX and `cache.incr` is INCR, so concurrent workers
count atomically; on a laptop's file cache the count is best effort, which is enough there.
"""

import re
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest

from attract.env import env_bool

_UNITS = {
    "s": 1,
    "second": 1,
    "m": 60,
    "minute": 60,
    "h": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+)\s*$")
# Behind a reverse proxy (DJANGO_BEHIND_PROXY) the client is the proxy's last X-Forwarded-For hop.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    retry_after: int


def parse_rate(text: str) -> Rate:
    """'10/hour', '5/m', '100/15m' → Rate; raises ValueError on anything else."""
    match = _RATE.match(text.lower())
    unit = match and (_UNITS.get(match.group(3)) or _UNITS.get(match.group(3).rstrip("s")))
    if not match or not unit:
        raise ValueError(f"A rate looks like '10/hour' or '5/15m', not {text!r}.")
    limit, multiple = int(match.group(1)), int(match.group(2) or 1)
    if multiple < 1:
        raise ValueError(f"A rate's window must be at least one unit: {text!r}.")
    return Rate(limit=limit, seconds=multiple * unit)


def hit(key: str, rate: Rate) -> Verdict:
    """Count one request under `key`; allowed while the window's count stays within the limit."""
    now = time.time()
    window = int(now // rate.seconds)
    retry_after = max(1, int((window + 1) * rate.seconds - now))
    cache_key = f"ratelimit:{key}:{rate.seconds}:{window}"
    cache.add(cache_key, 0, timeout=retry_after + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=retry_after + 1)
        count = 1
    # Redis keeps the key's expiry on INCR; the file cache's incr re-sets the default timeout.
    cache.touch(cache_key, retry_after + 1)
    return Verdict(allowed=count <= rate.limit, count=count, retry_after=retry_after)


def client_ip(request: HttpRequest) -> str:
    """The client's address; behind a proxy, the hop the proxy itself appended."""
    if BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "") or "unknown"
