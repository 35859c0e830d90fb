"""Run locks of the LinkedIn flows: one run at a time across every worker, freed when the holder
dies. On PostgreSQL a session advisory lock, which goes with the connection of a killed worker
at once, so the next beat tick (or "Run now") resumes; elsewhere (a laptop on SQLite) a cache lock
that expires after `seconds`."""

import contextlib
import hashlib
import secrets
from collections.abc import Iterator

from django.core.cache import cache
from django.db import DatabaseError, connection

__all__ = ["lock_id", "run_lock"]


def lock_id(name: str) -> int:
    """A stable signed 64-bit advisory lock number for the name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextlib.contextmanager
def run_lock(name: str, seconds: int) -> Iterator[bool]:
    """Try to take the lock without waiting; yields whether this run holds it."""
    if connection.vendor == "postgresql":
        number = lock_id(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [number])
            held = bool(cursor.fetchone()[0])
        try:
            yield held
        finally:
            if held:
                # A broken connection has released the lock already.
                with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [number])
        return
    token = secrets.token_hex(8)
    held = cache.add(name, token, seconds)
    try:
        yield held
    finally:
        if held and cache.get(name) == token:
            cache.delete(name)
