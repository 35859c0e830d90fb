"""My settings → API tokens: create (shown once), list, revoke; and the services behind it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from attract.models import ApiToken, Event
from attract.services import MAX_ACTIVE_API_TOKENS, api_token_create, api_token_revoke
from tests.xss import PAYLOADS, assert_inert

PAGE = reverse("settings:api_tokens")


def revoke_url(token) -> str:
    return reverse("settings:api_token_revoke", args=[token.pk])


# --- Services


def test_creating_a_token_returns_it_once_and_records_an_event(recruiter):
    token, clear = api_token_create(user=recruiter, name="  HR   sync ")
    assert token.name == "HR sync"
    assert token.digest != clear and len(token.digest) == 64
    event = Event.objects.get(type="api_token.created")
    assert event.actor == recruiter
    assert clear not in str(event.parameters)


def test_token_names_are_required_unique_and_short(recruiter):
    api_token_create(user=recruiter, name="sync")
    for name in ("", "Sync", "x" * 101):
        with pytest.raises(ValidationError):
            api_token_create(user=recruiter, name=name)
    assert ApiToken.objects.count() == 1


def test_a_user_holds_a_bounded_number_of_active_tokens(recruiter):
    for i in range(MAX_ACTIVE_API_TOKENS):
        api_token_create(user=recruiter, name=f"t{i}")
    with pytest.raises(ValidationError) as caught:
        api_token_create(user=recruiter, name="one more")
    assert caught.value.code == "too_many_tokens"


def test_only_the_owner_or_an_administrator_revokes(recruiter, manager, admin_user):
    token, _ = api_token_create(user=recruiter, name="sync")
    with pytest.raises(PermissionDenied):
        api_token_revoke(token=token, by=manager)
    token.refresh_from_db()
    assert token.revoked_at is None
    api_token_revoke(token=token, by=admin_user)
    api_token_revoke(token=token, by=admin_user)  # twice changes nothing
    assert Event.objects.filter(type="api_token.revoked").count() == 1


# --- The page


def test_the_page_lists_my_tokens_only(client, recruiter, manager):
    api_token_create(user=recruiter, name="Mine")
    api_token_create(user=manager, name="Hank's")
    client.force_login(recruiter)
    html = client.get(PAGE).content.decode()
    assert "Mine" in html and "Hank" not in html
    assert 'aria-current="page"' in html and ">API tokens<" in html


def test_a_new_token_is_shown_once_with_a_copy_button(client, recruiter):
    client.force_login(recruiter)
    response = client.post(PAGE, {"name": "CI"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    token = ApiToken.objects.get()
    shown = html.split('id="new-token"')[1].split('value="')[1].split('"')[0]
    assert shown.startswith(token.prefix)
    assert 'data-copy="#new-token"' in html
    # the token works, and is never shown again
    assert APIClient(HTTP_AUTHORIZATION=f"Bearer {shown}").get("/api/v1/jobs/").status_code == 200
    assert shown not in client.get(PAGE).content.decode()


def test_a_bad_name_shows_the_error_and_creates_nothing(client, recruiter):
    client.force_login(recruiter)
    response = client.post(PAGE, {"name": ""})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.content.decode()
    api_token_create(user=recruiter, name="CI")
    response = client.post(PAGE, {"name": "ci"})
    assert "already have a token" in response.content.decode()
    assert ApiToken.objects.count() == 1


@pytest.mark.parametrize("payload", PAYLOADS)
def test_token_names_are_rendered_inert(client, recruiter, payload):
    api_token_create(user=recruiter, name=payload[:100])
    client.force_login(recruiter)
    assert_inert(client.get(PAGE).content.decode())


def test_revoking_my_token(client, recruiter):
    token, clear = api_token_create(user=recruiter, name="CI")
    client.force_login(recruiter)
    response = client.post(revoke_url(token), follow=True)
    assert "revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert APIClient(HTTP_AUTHORIZATION=f"Bearer {clear}").get("/api/v1/jobs/").status_code == 401


def test_someone_elses_token_cannot_be_revoked_from_the_page(client, recruiter, manager):
    token, _ = api_token_create(user=manager, name="Hank's")
    client.force_login(recruiter)
    assert client.post(revoke_url(token)).status_code == 404
    assert client.get(revoke_url(token)).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_page_needs_a_sign_in_and_keeps_csrf(client, recruiter):
    assert client.get(PAGE).status_code == 302
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(recruiter)
    assert strict.post(PAGE, {"name": "CI"}).status_code == 403
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("rows", [3, 20])
def test_the_token_page_costs_the_same_for_3_and_20_tokens(
    client, recruiter, rows, django_assert_num_queries
):
    for i in range(rows):
        api_token_create(user=recruiter, name=f"t{i}")
    client.force_login(recruiter)
    client.get(PAGE)
    # session, user, then what every page reads (organisation, the user's roles, unread
    # notifications count), then the tokens.
    with django_assert_num_queries(6):
        assert client.get(PAGE).status_code == 200
