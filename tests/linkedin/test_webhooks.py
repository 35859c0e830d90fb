"""The callback endpoint `/linkedin/callback/<organisation token>/` (LINKEDIN.md 2.10)."""

import hashlib
import hmac
import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from attract.models import Event
from linkedin import services_rsc
from linkedin.models_rsc import RecruiterConnection, RscStatus, WebhookEvent
from tests.linkedin.test_rsc_views import connect_partner_ready


@pytest.fixture(autouse=True)
def _own_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": uuid.uuid4().hex,
        }
    }


@pytest.fixture
def rsc(admin_user, linkedin_sandbox) -> RecruiterConnection:
    """Recruiter System Connect requested by ada: "Partner ready", the callback registered."""
    admin = Client()
    admin.force_login(admin_user)
    return connect_partner_ready(admin, linkedin_sandbox)


@pytest.fixture
def linkedin(client):
    """LinkedIn's side of the call: no session, no CSRF token."""
    return Client(enforce_csrf_checks=True)


def url(connection: RecruiterConnection) -> str:
    return reverse("linkedin:callback", args=[connection.callback_token])


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), b"hmacsha256=" + body, hashlib.sha256).hexdigest()


def post(linkedin, connection, body: bytes, signature: str | None):
    headers = {} if signature is None else {"HTTP_X_LI_SIGNATURE": signature}
    return linkedin.post(url(connection), data=body, content_type="application/json", **headers)


def sandbox_push(sandbox, level: str = "contract") -> tuple[bytes, str]:
    """The signed INTEGRATION_STATUS_CHANGE the sandbox makes when access is switched on."""
    [push] = sandbox.enable_integration(level=level, deliver=False)["pushes"]
    return push["body"].encode(), push["headers"]["X-LI-Signature"]


def ours(connection: RecruiterConnection, **fields) -> bytes:
    payload = {
        "type": "EXPORT_CANDIDATE_PROFILE",
        "requestId": "req-1",
        "integrationContext": connection.organization_urn,
        **fields,
    }
    return json.dumps(payload).encode()


def test_a_status_change_push_enables_the_integration(
    linkedin, rsc, linkedin_sandbox, django_capture_on_commit_callbacks
):
    body, signature = sandbox_push(linkedin_sandbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(linkedin, rsc, body, signature)
    assert response.status_code == 200
    assert response.json()["duplicate"] is False
    event = WebhookEvent.objects.get()
    assert (event.kind, event.status) == ("INTEGRATION_STATUS_CHANGE", "processed")
    rsc.refresh_from_db()
    assert (rsc.status, rsc.access_level) == (RscStatus.ENABLED, "contract")
    change = Event.objects.filter(type="linkedin.rsc_status_changed").latest("id")
    assert change.parameters["source"] == "push" and change.parameters["after"] == "enabled"


def test_the_push_is_answered_before_the_work_is_done(
    linkedin, rsc, linkedin_sandbox, django_capture_on_commit_callbacks
):
    body, signature = sandbox_push(linkedin_sandbox, level="company")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert post(linkedin, rsc, body, signature).status_code == 200
    # the answer went out with the work still queued for Celery
    assert len(queued) == 1
    rsc.refresh_from_db()
    assert rsc.status == RscStatus.PARTNER_READY
    queued[0]()
    rsc.refresh_from_db()
    assert (rsc.status, rsc.access_level) == (RscStatus.ENABLED, "company")


def test_a_replayed_push_is_a_no_op(
    linkedin, rsc, linkedin_sandbox, django_capture_on_commit_callbacks
):
    body, signature = sandbox_push(linkedin_sandbox)
    with django_capture_on_commit_callbacks(execute=True) as first:
        post(linkedin, rsc, body, signature)
    with django_capture_on_commit_callbacks(execute=True) as second:
        again = post(linkedin, rsc, body, signature)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    # the first: the push's handler, then the full history its enablement queues (first time)
    assert (len(first), len(second)) == (2, 0)
    assert WebhookEvent.objects.count() == 1
    assert Event.objects.filter(type="linkedin.push_received").count() == 1


def test_a_forged_signature_is_refused_with_no_side_effect(linkedin, rsc, linkedin_sandbox):
    body, signature = sandbox_push(linkedin_sandbox)
    forged = sign("not-the-secret", body)
    events = Event.objects.count()
    response = post(linkedin, rsc, body, forged)
    assert response.status_code == 401
    assert not WebhookEvent.objects.exists() and Event.objects.count() == events
    # a signature of another body does not pass either
    assert post(linkedin, rsc, body + b" ", signature).status_code == 401


def test_a_missing_signature_is_refused(linkedin, rsc, linkedin_sandbox):
    body, _ = sandbox_push(linkedin_sandbox)
    assert post(linkedin, rsc, body, None).status_code == 401
    assert post(linkedin, rsc, body, "").status_code == 401
    assert not WebhookEvent.objects.exists()


def test_a_push_signed_for_another_organisation_is_refused(linkedin, rsc, linkedin_sandbox):
    other = linkedin_sandbox.provision_customer(foreign_id="another-customer", callback_url=None)
    body = ours(rsc)
    assert post(linkedin, rsc, body, sign(other["client_secret"], body)).status_code == 401
    # signed with our secret, but about another organisation
    elsewhere = ours(rsc, integrationContext="urn:li:organization:999")
    assert post(linkedin, rsc, elsewhere, sign(rsc.client_secret, elsewhere)).status_code == 401
    assert not WebhookEvent.objects.exists()


def test_an_unknown_callback_token_is_not_found(linkedin, rsc):
    body = ours(rsc)
    response = linkedin.post(
        reverse("linkedin:callback", args=["no-such-organisation"]),
        data=body,
        content_type="application/json",
        HTTP_X_LI_SIGNATURE=sign(rsc.client_secret, body),
    )
    assert response.status_code == 404
    assert not WebhookEvent.objects.exists()


def test_both_secrets_pass_while_one_is_rotated(linkedin, rsc, admin_user):
    old = rsc.client_secret
    services_rsc.rsc_rotate_secret(by=admin_user, client_secret="the-new-secret-0001")
    first, second, third = (ours(rsc, requestId=f"r{n}") for n in range(3))
    assert post(linkedin, rsc, first, sign(old, first)).status_code == 200
    assert post(linkedin, rsc, second, sign("the-new-secret-0001", second)).status_code == 200
    assert post(linkedin, rsc, third, sign("yet-another-secret", third)).status_code == 401
    assert WebhookEvent.objects.count() == 2


def test_an_export_push_is_stored_for_its_handler(
    linkedin, rsc, django_capture_on_commit_callbacks
):
    body = ours(rsc)
    with django_capture_on_commit_callbacks(execute=True):
        assert post(linkedin, rsc, body, sign(rsc.client_secret, body)).status_code == 200
    event = WebhookEvent.objects.get()
    assert (event.kind, event.request_id, event.status) == (
        "EXPORT_CANDIDATE_PROFILE",
        "req-1",
        WebhookEvent.Status.RECEIVED,
    )
    assert json.loads(event.raw) == event.payload


def test_a_signed_body_that_is_no_notification_is_a_bad_request(linkedin, rsc):
    for body in (b"not json", b'{"type": "X"}', b"[]"):
        assert post(linkedin, rsc, body, sign(rsc.client_secret, body)).status_code == 400
    assert not WebhookEvent.objects.exists()


def test_an_oversized_body_is_refused(linkedin, rsc):
    body = ours(rsc, padding="x" * 70_000)
    assert post(linkedin, rsc, body, sign(rsc.client_secret, body)).status_code == 413
    assert not WebhookEvent.objects.exists()


def test_pushes_after_disconnect_are_acknowledged_and_ignored(
    linkedin, rsc, admin_user, linkedin_sandbox, django_capture_on_commit_callbacks
):
    services_rsc.rsc_disconnect(by=admin_user)
    body, signature = sandbox_push(linkedin_sandbox)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert post(linkedin, rsc, body, signature).status_code == 200
    assert not queued
    assert WebhookEvent.objects.get().status == WebhookEvent.Status.IGNORED
    assert RecruiterConnection.objects.get().status == RscStatus.DISCONNECTED


def test_only_post_is_accepted(linkedin, rsc):
    assert linkedin.get(url(rsc)).status_code == 405
    assert linkedin.put(url(rsc), data=b"{}").status_code == 405
