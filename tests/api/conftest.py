"""API test helpers: clients holding a personal token, and the one error format."""

import itertools

import pytest
from rest_framework.test import APIClient

from attract.services import api_token_create


@pytest.fixture(autouse=True)
def _own_throttle_cache(settings, request):
    """Each test counts requests in its own memory cache: throttling never leaks between tests."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"api-{request.node.nodeid}",
        }
    }


NAMES = itertools.count(1)


def token_client(user) -> APIClient:
    _, clear = api_token_create(user=user, name=f"tests {next(NAMES)}")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {clear}")
    return client


@pytest.fixture
def api():
    """api(user) → an APIClient authenticated with a fresh token of that user."""
    return token_client


def assert_error(response, status: int, code: str | None = None, fields: tuple = ()) -> dict:
    """The response is the one error format with this status (and code, and field errors)."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "code", "message", "fields"}
    assert error["status"] == status
    assert error["message"]
    if code is not None:
        assert error["code"] == code, error
    for name in fields:
        assert error["fields"].get(name), error
    return error


def warm(client, url: str):
    """One request first: the token's last-used write is then not part of a pinned count."""
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response


# Every API request by token starts with these queries (named in each pinned count):
# 1. the token with its user (`ApiTokenAuthentication`), 2. the user's security roles.
AUTH_QUERIES = 2
