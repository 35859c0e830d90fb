"""/api/v1/users/: administrators only; everyone else gets 403 on every endpoint."""

import pytest

from attract.models import SecurityRole, User
from tests.api.conftest import AUTH_QUERIES, assert_error, warm
from tests.factories import UserFactory

USERS = "/api/v1/users/"
NON_ADMINS = ["recruiter", "manager", "interviewer", "outsider", "readonly"]


@pytest.mark.parametrize("actor", NON_ADMINS)
def test_every_user_endpoint_is_refused_to_non_administrators(api, request, actor, manager):
    client = api(request.getfixturevalue(actor))
    target = f"{USERS}{manager.pk}/"
    calls = [
        client.get(USERS),
        client.get(target),
        client.post(USERS, {"username": "eve", "roles": ["administrator"]}),
        client.patch(target, {"roles": ["administrator"]}),
        client.post(f"{target}deactivate/"),
        client.post(f"{target}reactivate/"),
    ]
    for response in calls:
        assert_error(response, 403, "permission_denied")
    assert not User.objects.filter(username="eve").exists()
    manager.refresh_from_db()
    assert manager.is_active and manager.role_set == {SecurityRole.HIRING_MANAGER}


def test_an_administrator_lists_and_searches_users(api, admin_user, recruiter, manager):
    client = api(admin_user)
    assert client.get(USERS).json()["count"] == 3
    found = client.get(f"{USERS}?q=rita").json()["results"]
    assert [(u["username"], u["roles"]) for u in found] == [("rita", ["recruiter"])]
    assert client.get(f"{USERS}{recruiter.pk}/").json()["username"] == "rita"


@pytest.mark.parametrize("rows", [3, 20])
def test_the_user_list_costs_the_same_for_3_and_20_users(
    api, admin_user, rows, django_assert_num_queries
):
    for _ in range(rows - 1):
        UserFactory(roles=[SecurityRole.RECRUITER, SecurityRole.INTERVIEWER])
    client = api(admin_user)
    warm(client, USERS)
    # auth (token+user, roles), count, the page, the users' roles (one prefetch).
    with django_assert_num_queries(AUTH_QUERIES + 3):
        assert client.get(USERS).json()["count"] == rows


def test_an_administrator_creates_edits_and_deactivates_a_user(api, admin_user):
    client = api(admin_user)
    body = {
        "username": "sam",
        "email": "Sam@Example.com",
        "first_name": "Sam",
        "roles": ["recruiter", "interviewer"],
        "password": "Fjord-Lantern-42",
    }
    response = client.post(USERS, body)
    assert response.status_code == 201, response.content
    sam = User.objects.get(username="sam")
    assert sam.email == "sam@example.com" and sam.check_password("Fjord-Lantern-42")
    assert "password" not in response.json()
    response = client.patch(f"{USERS}{sam.pk}/", {"roles": ["hiring_manager"], "last_name": "Li"})
    assert response.json()["roles"] == ["hiring_manager"]
    assert response.json()["last_name"] == "Li"
    assert client.post(f"{USERS}{sam.pk}/deactivate/").json()["is_active"] is False
    assert client.post(f"{USERS}{sam.pk}/reactivate/").json()["is_active"] is True


def test_bad_user_input_and_rules_are_refused(api, admin_user, recruiter):
    client = api(admin_user)
    error = assert_error(client.post(USERS, {"username": "", "roles": ["king"]}), 400)
    assert {"username", "roles.0"} <= set(error["fields"])
    weak = {"username": "weak", "roles": [], "password": "123"}
    assert_error(client.post(USERS, weak), 400, fields=("password",))
    taken = {"username": "rita", "roles": []}
    assert_error(client.post(USERS, taken), 400, fields=("username",))
    assert_error(client.post(f"{USERS}{admin_user.pk}/deactivate/"), 400, "self")
    response = client.patch(f"{USERS}{admin_user.pk}/", {"roles": ["recruiter"]})
    assert_error(response, 400, "last_admin")
    assert_error(client.get(f"{USERS}999999/"), 404, "not_found")
    assert not User.objects.filter(username__in=["", "weak"]).exists()
    admin_user.refresh_from_db()
    assert admin_user.is_administrator
