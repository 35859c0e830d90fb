"""Celery tasks of the LinkedIn data flows: 1-click export imports."""

from celery import shared_task

from linkedin import client, services_export

__all__ = ["check_job_tasks", "drain_outbox", "handle_export"]

TEMPORARY = client.TEMPORARY_ERRORS


@shared_task(
    bind=True, name="linkedin.export_handle", max_retries=8, time_limit=120, soft_time_limit=100
)
def handle_export(self, event_id: int) -> None:
    """Import one 1-click export push (idempotent on its request id) and match it on LinkedIn."""
    try:
        services_export.export_handle(event_id=event_id)
    except TEMPORARY as exc:
        raise self.retry(
            exc=exc, countdown=client.retry_countdown(exc, self.request.retries)
        ) from exc


@shared_task(name="linkedin.outbox_drain", time_limit=900, soft_time_limit=840)
def drain_outbox() -> dict:
    """Send the outbox's due rows to LinkedIn (a no-op while another drain runs)."""
    from linkedin import services_outbox

    result = services_outbox.outbox_drain()
    if result is None:
        return {"status": "skipped"}  # another drain holds the lock, or LinkedIn tasks are off
    return {
        "status": "ok",
        "sent": result.sent,
        "parked": result.parked,
        "retried": result.retried,
        "skipped": result.skipped,
    }


@shared_task(name="linkedin.job_tasks_check", time_limit=600, soft_time_limit=540)
def check_job_tasks() -> dict:
    """Read back LinkedIn's answers for the jobs sent (a no-op while another check runs)."""
    from dataclasses import asdict

    from linkedin import services_job_tasks

    result = services_job_tasks.job_tasks_check()
    if result is None:
        return {"status": "skipped"}  # another check holds the lock, or LinkedIn tasks are off
    return {"status": "ok", **asdict(result)}
