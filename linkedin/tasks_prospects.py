"""Celery task of the LinkedIn prospect interactions pull (InMails, notes, stubs)."""

from celery import shared_task

__all__ = ["pull_prospects"]


@shared_task(name="linkedin.prospects_pull", time_limit=55 * 60, soft_time_limit=50 * 60)
def pull_prospects(now_ms: int | None = None) -> dict:
    """Pull InMail history, notes and InMail stubs of every linked seat (a no-op while busy);
    up to `now_ms` when given (a catch-up to a known moment), else up to now."""
    from linkedin import services_prospects

    outcome = services_prospects.prospects_pull(now_ms=now_ms)
    return {"status": outcome.status, "stored": outcome.stored, "windows": outcome.windows}
