"""Reads of users and organisation settings."""

from django.db.models import QuerySet

from attract.models import Organisation, User


def organisation_get() -> Organisation:
    """The organisation's settings row, created with defaults on first use."""
    organisation, _ = Organisation.objects.get_or_create(pk=1)
    return organisation


def users_with_role(role: str) -> QuerySet[User]:
    return User.objects.with_role(role)
