"""Audit event writers for users and organisation settings (one function per event type)."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from attract.models import Event, User


def record(
    *,
    type: str,
    actor: User | None,
    subject: models.Model,
    job: Any = None,
    **parameters: Any,
) -> Event:
    """Write one audit event; the building block of every app's events module."""
    return Event.objects.create(
        type=type,
        actor=actor if actor is not None and actor.pk else None,
        subject_type=ContentType.objects.get_for_model(subject, for_concrete_model=False),
        subject_id=str(subject.pk),
        job=job,
        parameters=parameters,
    )


def user_created(*, user: User, by: User | None) -> Event:
    return record(type="user.created", actor=by, subject=user, roles=sorted(user.role_set))


def user_roles_changed(
    *, user: User, by: User | None, before: list[str], after: list[str]
) -> Event:
    return record(type="user.roles_changed", actor=by, subject=user, before=before, after=after)


def user_deactivated(*, user: User, by: User | None) -> Event:
    return record(type="user.deactivated", actor=by, subject=user)


def organisation_updated(*, organisation: Any, by: User | None, fields: list[str]) -> Event:
    return record(type="organisation.updated", actor=by, subject=organisation, fields=fields)


def user_reactivated(*, user: User, by: User | None) -> Event:
    return record(type="user.reactivated", actor=by, subject=user)


def user_updated(*, user: User, by: User | None, fields: list[str]) -> Event:
    return record(type="user.updated", actor=by, subject=user, fields=fields)


def user_profile_updated(*, user: User, fields: list[str]) -> Event:
    return record(type="user.profile_updated", actor=user, subject=user, fields=fields)


def user_password_changed(*, user: User) -> Event:
    return record(type="user.password_changed", actor=user, subject=user)


def api_token_created(*, token: Any, by: User) -> Event:
    return record(
        type="api_token.created", actor=by, subject=token, name=token.name, prefix=token.prefix
    )


def api_token_revoked(*, token: Any, by: User) -> Event:
    return record(
        type="api_token.revoked",
        actor=by,
        subject=token,
        name=token.name,
        prefix=token.prefix,
        owner_id=token.user_id,
    )
