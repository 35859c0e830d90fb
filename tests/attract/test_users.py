"""SPEC 1 "Roles": only administrators manage users, security roles and organisation settings.

ada is the administrator; rita a recruiter. A refused call raises a named error and leaves the
users, their roles and the settings as they were; every accepted one leaves an audit event.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from attract.models import Event, SecurityRole, User, UserRole
from attract.selectors import organisation_get
from attract.services import organisation_update, user_create, user_deactivate, user_set_roles
from tests.factories import UserFactory

R = SecurityRole


def codes_of(error: ValidationError) -> set:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def state_of(user: User) -> dict:
    user.refresh_from_db()
    return {
        "active": user.is_active,
        "staff": user.is_staff,
        "roles": sorted(UserRole.objects.filter(user=user).values_list("role", flat=True)),
    }


def organisation_state() -> dict:
    organisation = organisation_get()
    return {
        "company_name": organisation.company_name,
        "retention_days": organisation.retention_days,
        "updated_at": organisation.updated_at,
    }


def test_an_administrator_creates_a_user_with_roles(admin_user):
    user = user_create(
        by=admin_user,
        username=" sam ",
        email=" Sam@Example.COM ",
        roles=[R.RECRUITER, R.INTERVIEWER],
        password="correct-horse-battery-9",
    )

    user.refresh_from_db()
    assert (user.username, user.email) == ("sam", "sam@example.com")
    assert user.check_password("correct-horse-battery-9")
    assert state_of(user) == {"active": True, "staff": False, "roles": ["interviewer", "recruiter"]}
    event = Event.objects.get(type="user.created")
    assert (event.actor, event.subject, event.parameters) == (
        admin_user,
        user,
        {"roles": ["interviewer", "recruiter"]},
    )


@pytest.mark.parametrize("who", ["recruiter", "manager", "readonly"])
def test_only_administrators_create_users(db, request, who):
    actor = request.getfixturevalue(who)
    users = User.objects.count()

    with pytest.raises(PermissionDenied):
        user_create(by=actor, username="sam", email="", roles=[R.RECRUITER])

    assert User.objects.count() == users
    assert not Event.objects.filter(type="user.created").exists()


def test_an_unknown_role_is_refused(admin_user):
    users = User.objects.count()

    with pytest.raises(ValidationError) as refused:
        user_create(by=admin_user, username="sam", email="", roles=[R.RECRUITER, "superhero"])

    assert "roles" in refused.value.message_dict
    assert User.objects.count() == users


def test_a_weak_password_is_refused(admin_user):
    with pytest.raises(ValidationError):
        user_create(by=admin_user, username="sam", email="", roles=[], password="123")

    assert not User.objects.filter(username="sam").exists()


def test_a_second_user_with_the_same_email_is_refused(admin_user, recruiter):
    with pytest.raises(ValidationError):
        user_create(by=admin_user, username="rita2", email=recruiter.email.upper(), roles=[])

    assert not User.objects.filter(username="rita2").exists()


@pytest.mark.parametrize(
    ("roles", "staff"),
    [
        ([R.ADMINISTRATOR], True),
        ([R.ADMINISTRATOR, R.RECRUITER], True),
        ([R.RECRUITER, R.HIRING_MANAGER], False),
        ([R.INTERVIEWER], False),
        ([], False),
    ],
)
def test_only_administrators_reach_the_django_admin(admin_user, roles, staff):
    user = user_create(by=admin_user, username="sam", email="", roles=roles)

    assert User.objects.get(pk=user.pk).is_staff is staff


def test_granting_and_removing_the_administrator_role_moves_the_django_admin(admin_user, recruiter):
    user_set_roles(user=recruiter, by=admin_user, roles=[R.RECRUITER, R.ADMINISTRATOR])
    assert state_of(recruiter) == {
        "active": True,
        "staff": True,
        "roles": ["administrator", "recruiter"],
    }

    user_set_roles(user=recruiter, by=admin_user, roles=[R.RECRUITER])
    assert state_of(recruiter) == {"active": True, "staff": False, "roles": ["recruiter"]}

    changes = Event.objects.filter(type="user.roles_changed").order_by("id")
    assert [(e.actor, e.parameters["before"], e.parameters["after"]) for e in changes] == [
        (admin_user, ["recruiter"], ["administrator", "recruiter"]),
        (admin_user, ["administrator", "recruiter"], ["recruiter"]),
    ]


def test_the_last_administrator_keeps_the_role(admin_user):
    before = state_of(admin_user)

    with pytest.raises(ValidationError) as refused:
        user_set_roles(user=admin_user, by=admin_user, roles=[R.RECRUITER])

    assert codes_of(refused.value) == {"last_admin"}
    assert state_of(admin_user) == before
    assert not Event.objects.filter(type="user.roles_changed").exists()


def test_a_deactivated_administrator_does_not_count(admin_user):
    # given a second administrator who was deactivated
    former = UserFactory(roles=[R.ADMINISTRATOR])
    user_deactivate(user=former, by=admin_user)
    before = state_of(admin_user)

    with pytest.raises(ValidationError) as refused:
        user_set_roles(user=admin_user, by=admin_user, roles=[])

    assert codes_of(refused.value) == {"last_admin"}
    assert state_of(admin_user) == before


def test_an_administrator_steps_down_when_another_remains(admin_user):
    UserFactory(roles=[R.ADMINISTRATOR])

    user_set_roles(user=admin_user, by=admin_user, roles=[R.RECRUITER])

    assert state_of(admin_user) == {"active": True, "staff": False, "roles": ["recruiter"]}


def test_unknown_roles_are_not_set(admin_user, recruiter):
    before = state_of(recruiter)

    with pytest.raises(ValidationError):
        user_set_roles(user=recruiter, by=admin_user, roles=[R.RECRUITER, "owner"])

    assert state_of(recruiter) == before


def test_only_administrators_set_roles(recruiter, manager):
    before = state_of(manager)

    with pytest.raises(PermissionDenied):
        user_set_roles(user=manager, by=recruiter, roles=[R.ADMINISTRATOR])

    assert state_of(manager) == before


def test_an_administrator_deactivates_a_user(admin_user, recruiter):
    user_deactivate(user=recruiter, by=admin_user)

    assert state_of(recruiter)["active"] is False
    event = Event.objects.get(type="user.deactivated")
    assert (event.actor, event.subject) == (admin_user, recruiter)


def test_nobody_deactivates_themselves(admin_user):
    UserFactory(roles=[R.ADMINISTRATOR])  # not the last administrator: the rule is about oneself
    before = state_of(admin_user)

    with pytest.raises(ValidationError) as refused:
        user_deactivate(user=admin_user, by=admin_user)

    assert codes_of(refused.value) == {"self"}
    assert state_of(admin_user) == before
    assert not Event.objects.filter(type="user.deactivated").exists()


def test_only_administrators_deactivate(recruiter, manager):
    before = state_of(manager)

    with pytest.raises(PermissionDenied):
        user_deactivate(user=manager, by=recruiter)

    assert state_of(manager) == before


def test_an_administrator_updates_the_organisation(admin_user):
    organisation_update(by=admin_user, company_name="Fjord Robotics", retention_days=365)

    organisation = organisation_get()
    assert (organisation.company_name, organisation.retention_days) == ("Fjord Robotics", 365)
    event = Event.objects.get(type="organisation.updated")
    assert (event.actor, event.parameters["fields"]) == (
        admin_user,
        ["company_name", "retention_days"],
    )


@pytest.mark.parametrize("who", ["recruiter", "manager", "interviewer", "readonly"])
def test_only_administrators_update_the_organisation(db, request, who):
    before = organisation_state()

    with pytest.raises(PermissionDenied):
        organisation_update(by=request.getfixturevalue(who), company_name="Hijacked Inc")

    assert organisation_state() == before
    assert not Event.objects.filter(type="organisation.updated").exists()


@pytest.mark.parametrize(
    "fields",
    [{"owner": "rita"}, {"company_name": ""}, {"company_name": "x" * 201}],
    ids=["unknown-setting", "blank-name", "long-name"],
)
def test_invalid_organisation_settings_are_refused(admin_user, fields):
    before = organisation_state()

    with pytest.raises(ValidationError):
        organisation_update(by=admin_user, **fields)

    assert organisation_state() == before
