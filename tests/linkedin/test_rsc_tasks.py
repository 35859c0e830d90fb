"""Celery tasks of Recruiter System Connect: thin, idempotent, retried on LinkedIn outages."""

import uuid

import pytest
from django.test import Client

from linkedin import services_rsc, tasks_rsc
from linkedin.models_rsc import RecruiterConnection, RscStatus, WebhookEvent
from linkedin.selectors_rsc import linkedin_tasks_allowed
from tests.linkedin.test_rsc_views import connect_partner_ready


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": uuid.uuid4().hex,
        }
    }
    settings.LINKEDIN_BACKOFF_BASE = 0.01
    settings.LINKEDIN_BACKOFF_MAX = 0.02


@pytest.fixture
def status_push(admin_user, linkedin_sandbox) -> WebhookEvent:
    """A recorded INTEGRATION_STATUS_CHANGE for an organisation that is "Partner ready"."""
    admin = Client()
    admin.force_login(admin_user)
    connection = connect_partner_ready(admin, linkedin_sandbox)
    [push] = linkedin_sandbox.enable_integration(deliver=False)["pushes"]
    event, _ = services_rsc.push_record(
        connection=connection, raw=push["body"].encode(), payload=push["payload"]
    )
    return event


def test_the_push_task_retries_while_linkedin_fails(status_push, linkedin_sandbox):
    # LinkedIn fails five times in a row: one task run (four attempts) and a retry
    linkedin_sandbox.control({"mode": "5xx", "count": 5, "path_prefix": "/v2/atsIntegrations"})
    tasks_rsc.handle_push.delay(status_push.pk)
    status_push.refresh_from_db()
    assert status_push.status == WebhookEvent.Status.PROCESSED
    assert RecruiterConnection.objects.get().status == RscStatus.ENABLED
    assert linkedin_tasks_allowed()


def test_the_push_task_is_idempotent(status_push, linkedin_sandbox):
    tasks_rsc.handle_push.delay(status_push.pk)
    linkedin_sandbox.control({"mode": "5xx", "path_prefix": "/v2/atsIntegrations"})
    tasks_rsc.handle_push.delay(status_push.pk)  # processed already: LinkedIn is not called
    status_push.refresh_from_db()
    assert (status_push.status, status_push.attempts) == (WebhookEvent.Status.PROCESSED, 1)


def test_a_forgotten_request_falls_back_to_reading_every_status(status_push, linkedin_sandbox):
    WebhookEvent.objects.filter(pk=status_push.pk).update(request_id="unknown-to-linkedin")
    tasks_rsc.handle_push.delay(status_push.pk)
    assert RecruiterConnection.objects.get().status == RscStatus.ENABLED


def test_the_refresh_task_reads_the_statuses(status_push, linkedin_sandbox):
    tasks_rsc.refresh_status.delay()
    connection = RecruiterConnection.objects.get()
    assert (connection.status, connection.access_level) == (RscStatus.ENABLED, "contract")


def test_turning_access_off_in_linkedin_stops_the_tasks(status_push, linkedin_sandbox):
    tasks_rsc.handle_push.delay(status_push.pk)
    assert linkedin_tasks_allowed()
    connection = RecruiterConnection.objects.get()
    [push] = linkedin_sandbox.disable_integration(deliver=False)["pushes"]
    off, _ = services_rsc.push_record(
        connection=connection, raw=push["body"].encode(), payload=push["payload"]
    )
    tasks_rsc.handle_push.delay(off.pk)
    connection.refresh_from_db()
    assert (connection.status, connection.access_level) == (RscStatus.DISABLED, "")
    assert not connection.tasks_enabled and not linkedin_tasks_allowed()
