"""Celery tasks of Recruiter System Connect: thin, idempotent, retried on temporary errors."""

from celery import shared_task

from linkedin import client, services_rsc

__all__ = ["handle_push", "refresh_status"]

TEMPORARY = client.TEMPORARY_ERRORS


@shared_task(
    bind=True, name="linkedin.rsc_handle_push", max_retries=6, time_limit=120, soft_time_limit=100
)
def handle_push(self, event_id: int) -> None:
    """Act on one recorded LinkedIn push (INTEGRATION_STATUS_CHANGE updates the status)."""
    try:
        services_rsc.push_handle(event_id=event_id)
    except TEMPORARY as exc:
        raise self.retry(
            exc=exc, countdown=client.retry_countdown(exc, self.request.retries)
        ) from exc


@shared_task(
    bind=True,
    name="linkedin.rsc_refresh_status",
    max_retries=3,
    time_limit=120,
    soft_time_limit=100,
)
def refresh_status(self) -> None:
    """Read the integrations' statuses again (used after a push LinkedIn could not explain)."""
    try:
        services_rsc.rsc_status_sync()
    except TEMPORARY as exc:
        raise self.retry(
            exc=exc, countdown=client.retry_countdown(exc, self.request.retries)
        ) from exc
