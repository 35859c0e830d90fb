"""Writes on users, security roles and organisation settings (administrators only)."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from PIL import Image

from attract import events
from attract.access import is_admin, require_admin
from attract.api_auth import new_token, token_digest
from attract.errors import field_error
from attract.models import ApiToken, Organisation, SecurityRole, User, UserRole
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
        _validate_password(password, user)
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


def _validate_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}, code="weak_password") from exc


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


@transaction.atomic
def user_reactivate(*, user: User, by: User) -> User:
    """Let a deactivated user sign in again."""
    require_admin(by)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        events.user_reactivated(user=user, by=by)
    return user


@transaction.atomic
def user_update(
    *,
    user: User,
    by: User,
    first_name: str,
    last_name: str,
    email: str,
    roles: Iterable[str] | None = None,
) -> User:
    """Change a user's names and email and, when given, their security roles."""
    require_admin(by)
    changed = _set_contact(user, first_name=first_name, last_name=last_name, email=email)
    if changed:
        events.user_updated(user=user, by=by, fields=changed)
    if roles is not None and sorted(set(roles)) != sorted(user.role_set):
        user_set_roles(user=user, by=by, roles=roles)
    return user


@transaction.atomic
def user_update_profile(*, user: User, first_name: str, last_name: str, email: str) -> User:
    """A signed-in user changes their own names and email."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied("Sign in to change your profile.")
    changed = _set_contact(user, first_name=first_name, last_name=last_name, email=email)
    if changed:
        events.user_profile_updated(user=user, fields=changed)
    return user


def _set_contact(user: User, **values: str) -> list[str]:
    values = {key: (value or "").strip() for key, value in values.items()}
    values["email"] = values["email"].lower()
    changed = sorted(key for key, value in values.items() if getattr(user, key) != value)
    if not changed:
        return changed
    before = {key: getattr(user, key) for key in changed}
    for key in changed:
        setattr(user, key, values[key])
    try:
        user.full_clean(exclude=["password", "username"])
    except ValidationError:
        for key, value in before.items():  # the caller's object stays as stored
            setattr(user, key, value)
        raise
    user.save(update_fields=changed)
    return changed


@transaction.atomic
def user_change_password(*, user: User, old_password: str, new_password: str) -> User:
    """A user replaces their own password, proving they know the current one."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied("Sign in to change your password.")
    if not user.check_password(old_password):
        raise ValidationError(
            {"old_password": "Your current password is not correct."}, code="wrong_password"
        )
    _validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    events.user_password_changed(user=user)
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
    if "logo" in fields:
        fields["logo"] = _clean_logo(fields["logo"])
    organisation = organisation_get()
    for key, value in fields.items():
        setattr(organisation, key, value)
    organisation.full_clean()
    organisation.save()
    events.organisation_updated(organisation=organisation, by=by, fields=sorted(fields))
    return organisation


LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}


def _clean_logo(upload: Any) -> Any:
    """An uploaded logo checked by Pillow and renamed after its real format; falsy clears it."""
    if not upload:
        return ""
    if upload.size > LOGO_MAX_BYTES:
        raise field_error("logo", "The logo must be at most 2 MB.", "too_large")
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except Exception as exc:  # Pillow raises many types for broken or hostile files
        raise ValidationError(
            {"logo": "Upload a PNG, JPEG, GIF or WebP image."}, code="not_an_image"
        ) from exc
    if image_format not in LOGO_FORMATS:
        raise field_error("logo", "Upload a PNG, JPEG, GIF or WebP image.", "format")
    upload.seek(0)
    upload.name = f"logo.{LOGO_FORMATS[image_format]}"
    return upload


# --- Personal API tokens

MAX_ACTIVE_API_TOKENS = 20


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a named API token; the clear token is returned once, only its digest is stored."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied("Sign in to create API tokens.")
    name = " ".join((name or "").split())
    if not name:
        raise field_error("name", "Give the token a name.", "required")
    if len(name) > 100:
        raise field_error("name", "A token name has at most 100 characters.", "too_long")
    active = user.api_tokens.filter(revoked_at__isnull=True)
    if active.filter(name__iexact=name).exists():
        raise field_error("name", f"You already have a token named “{name}”.", "duplicate")
    if active.count() >= MAX_ACTIVE_API_TOKENS:
        raise ValidationError(
            f"You have {MAX_ACTIVE_API_TOKENS} active tokens: revoke one first.",
            code="too_many_tokens",
        )
    clear = new_token()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=clear[:12], digest=token_digest(clear)
    )
    events.api_token_created(token=token, by=user)
    return token, clear


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke a token at once (its owner, or an administrator); revoking twice changes nothing."""
    if token.user_id != by.pk and not is_admin(by):
        raise PermissionDenied("You can only revoke your own API tokens.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        events.api_token_revoked(token=token, by=by)
    return token
