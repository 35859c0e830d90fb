"""Celery task of the In-ATS sync's full history (queued on the first enablement or on request)."""

from celery import shared_task

__all__ = ["queue_history"]


@shared_task(name="linkedin.history_queue", time_limit=30 * 60, soft_time_limit=29 * 60)
def queue_history() -> dict:
    """Write the full history as outbox rows, once per request (a no-op otherwise)."""
    from linkedin import services_history

    outcome = services_history.history_queue()
    return {"status": "skipped"} if outcome is None else {"status": "ok", "rows": outcome.rows}
