"""Celery tasks of the candidates app: thin, idempotent, enqueued after commit."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from celery import shared_task
from django.db import transaction

log = logging.getLogger(__name__)


_deferred: ContextVar[bool] = ContextVar("search_refresh_deferred", default=False)


@contextmanager
def search_refresh_deferred() -> Iterator[None]:
    """Bulk writers (demo data, imports) refresh search documents themselves afterwards."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def enqueue_search_refresh(candidate_id: int) -> None:
    if not _deferred.get():
        transaction.on_commit(lambda: refresh_candidate_search.delay(candidate_id))


@shared_task(name="candidates.refresh_candidate_search", time_limit=120, soft_time_limit=100)
def refresh_candidate_search(candidate_id: int) -> bool:
    from candidates.services import candidate_refresh_search

    return candidate_refresh_search(candidate_id=candidate_id)


@shared_task(name="candidates.refresh_stale_search_documents", time_limit=900, soft_time_limit=840)
def refresh_stale_search_documents(limit: int = 5000) -> int:
    """Catch-up for refreshes lost while no worker ran: candidates changed since their refresh."""
    from django.db.models import F, Q

    from candidates.models import Candidate
    from candidates.services import candidate_refresh_search

    stale = Candidate.objects.filter(
        Q(search_refreshed_at__isnull=True) | Q(search_refreshed_at__lt=F("updated_at"))
    ).values_list("pk", flat=True)[:limit]
    return sum(candidate_refresh_search(candidate_id=pk) for pk in stale)


@shared_task(name="candidates.sweep_orphan_documents", time_limit=1800, soft_time_limit=1740)
def sweep_orphan_documents() -> int:
    """Remove files of uploads whose transaction rolled back (no Document row points at them)."""
    from candidates.services import documents_sweep_orphans

    return len(documents_sweep_orphans())


@shared_task(
    name="candidates.erase_candidates_past_retention", time_limit=1800, soft_time_limit=1740
)
def erase_candidates_past_retention() -> int:
    """Erase people whose retention date has passed and who have no active application."""
    from candidates.models import Candidate
    from candidates.services import candidate_erase, candidates_past_retention

    erased = 0
    for pk in candidates_past_retention():
        candidate = Candidate.objects.filter(pk=pk).first()
        if candidate is not None:
            candidate_erase(candidate=candidate, by=None, reason="retention period ended")
            erased += 1
    log.info("retention sweep erased %d candidates", erased)
    return erased
