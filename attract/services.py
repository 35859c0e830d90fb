"""Writes on users, security roles and organisation settings (administrators only)."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from attract import events
from attract.access import require_admin
from attract.models import Organisation, SecurityRole, User, UserRole
from attract.selectors import organisation_get


def _clean_roles(roles: Iterable[str]) -> list[str]:
    roles = sorted(set(roles))
    unknown = [r for r in roles if r not in SecurityRole.values]
    if unknown:
        raise ValidationError({"roles": f"Unknown security roles: {', '.join(unknown)}."})
    return roles


@transaction.atomic
def user_create(
    *,
    by: User | None,
    username: str,
    email: str,
    roles: Iterable[str],
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create a user with security roles; `by` None is a management command."""
    if by is not None:
        require_admin(by)
    roles = _clean_roles(roles)
    user = User(
        username=username.strip(),
        email=email.strip().lower(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.is_staff = SecurityRole.ADMINISTRATOR in roles  # the Django admin is for administrators
    user.full_clean()
    user.save()
    UserRole.objects.bulk_create(UserRole(user=user, role=r) for r in roles)
    events.user_created(user=user, by=by)
    return user


@transaction.atomic
def user_set_roles(*, user: User, by: User, roles: Iterable[str]) -> User:
    """Replace a user's security roles; the last administrator keeps theirs."""
    require_admin(by)
    roles = _clean_roles(roles)
    before = sorted(user.security_roles.values_list("role", flat=True))
    if SecurityRole.ADMINISTRATOR in before and SecurityRole.ADMINISTRATOR not in roles:
        _require_other_admin(user)
    user.security_roles.exclude(role__in=roles).delete()
    UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in roles if r not in before])
    user.__dict__.pop("_role_set", None)
    user.is_staff = SecurityRole.ADMINISTRATOR in roles
    user.save(update_fields=["is_staff"])
    events.user_roles_changed(user=user, by=by, before=before, after=roles)
    return user


def _require_other_admin(user: User) -> None:
    others = User.objects.with_role(SecurityRole.ADMINISTRATOR).exclude(pk=user.pk)
    if not others.exists():
        raise ValidationError(
            "The organisation must keep at least one active administrator.", code="last_admin"
        )


@transaction.atomic
def user_deactivate(*, user: User, by: User) -> User:
    """Deactivate a user: they can no longer sign in; their history stays."""
    require_admin(by)
    if user.pk == by.pk:
        raise ValidationError("You cannot deactivate yourself.", code="self")
    if user.has_role(SecurityRole.ADMINISTRATOR):
        _require_other_admin(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    events.user_deactivated(user=user, by=by)
    return user


ORGANISATION_FIELDS = frozenset(
    {"company_name", "logo", "public_site_url", "privacy_notice", "retention_days"}
)


@transaction.atomic
def organisation_update(*, by: User, **fields: Any) -> Organisation:
    """Change the organisation settings."""
    require_admin(by)
    unknown = set(fields) - ORGANISATION_FIELDS
    if unknown:
        raise ValidationError(f"Unknown settings: {', '.join(sorted(unknown))}.")
    organisation = organisation_get()
    for key, value in fields.items():
        setattr(organisation, key, value)
    organisation.full_clean()
    organisation.save()
    events.organisation_updated(organisation=organisation, by=by, fields=sorted(fields))
    return organisation
