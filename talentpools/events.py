"""Audit event writers for talent pools (one function per event type)."""

from attract.events import record
from attract.models import Event, User


def pool_saved(*, pool, by: User | None, created: bool) -> Event:
    return record(
        type="pool.created" if created else "pool.updated", actor=by, subject=pool, name=pool.name
    )


def pool_deleted(*, pool, by: User | None) -> Event:
    return record(type="pool.deleted", actor=by, subject=pool, name=pool.name)


def pool_shared(*, pool, by: User | None, user: User, shared: bool) -> Event:
    return record(
        type="pool.shared" if shared else "pool.unshared", actor=by, subject=pool, user_id=user.pk
    )


def pool_members_changed(*, pool, by: User | None, added: list[int], removed: list[int]) -> Event:
    return record(type="pool.members_changed", actor=by, subject=pool, added=added, removed=removed)
