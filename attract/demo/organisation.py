"""Demo users, organisation settings and the second process template."""

from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from attract.demo.data import (
    COMPANY_NAME,
    DEMO_DOMAIN,
    ENGINEERING_TEMPLATE,
    PUBLIC_SITE_URL,
    USERS,
    DemoUser,
)
from attract.models import User
from attract.services import organisation_update, user_create, user_set_roles
from jobs.choices import StageKind as K
from jobs.models import ProcessTemplate
from jobs.process import StageSpec
from jobs.services import template_save

ENGINEERING_STAGES = (
    StageSpec("Prospect", K.PROSPECT),
    StageSpec("Application", K.APPLICATION),
    StageSpec("Phone screen", K.SCREENING),
    StageSpec("Technical assessment", K.ASSESSMENT),
    StageSpec("Onsite interview", K.INTERVIEW),
    StageSpec("Offer", K.OFFER),
    StageSpec("Hired", K.HIRED),
)


@dataclass
class DemoUsers:
    by_key: dict[str, User]
    # Same username, but not made by the demo (e.g. `createsuperuser admin`): password kept.
    foreign: list[str]


def ensure_users(password: str) -> DemoUsers:
    """The demo users, created when missing; the demo's own get the demo password back."""
    users = DemoUsers({}, [])
    for spec in USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = create_demo_user(spec, password)
        elif user.email.endswith(f"@{DEMO_DOMAIN}"):
            _reset_password(user, password)
        else:
            users.foreign.append(user.username)
        users.by_key[spec.key] = user
    for spec in USERS:
        _ensure_roles(users.by_key[spec.key], spec, admin=users.by_key["admin"])
    return users


def _email(spec: DemoUser) -> str:
    local = f"{spec.first_name}.{spec.last_name}".lower().replace(" ", "")
    return f"{local}@{DEMO_DOMAIN}"


def create_demo_user(spec: DemoUser, password: str) -> User:
    """Create one demo user through `user_create`, with the demo password even if it is weak."""
    fields = {
        "username": spec.username,
        "email": _email(spec),
        "first_name": spec.first_name,
        "last_name": spec.last_name,
    }
    if _password_valid(password, User(**fields)):
        return user_create(by=None, roles=spec.roles, password=password, **fields)
    # DEMO_PASSWORD is the operator's choice for a laptop: a weak one is still honoured.
    user = user_create(by=None, roles=spec.roles, **fields)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def _password_valid(password: str, user: User) -> bool:
    try:
        validate_password(password, user)
    except ValidationError:
        return False
    return True


def _reset_password(user: User, password: str) -> None:
    if not user.check_password(password) or not user.is_active:
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])


def _ensure_roles(user: User, spec: DemoUser, *, admin: User) -> None:
    held = set(user.security_roles.values_list("role", flat=True))
    if set(spec.roles) <= held:
        return
    if not admin.is_administrator:
        raise CommandError(
            f"A user named {admin.username!r} exists but is not an administrator: rename it or "
            "give it the Administrator role, then run seed_demo again."
        )
    user_set_roles(user=user, by=admin, roles=held | set(spec.roles))


def configure_organisation(admin: User) -> ProcessTemplate:
    """Company settings and the engineering template (the default one comes from a migration)."""
    organisation_update(by=admin, company_name=COMPANY_NAME, public_site_url=PUBLIC_SITE_URL)
    existing = ProcessTemplate.objects.filter(name=ENGINEERING_TEMPLATE).first()
    if existing is not None:
        return existing
    return template_save(
        by=admin,
        name=ENGINEERING_TEMPLATE,
        stages=ENGINEERING_STAGES,
        requires_approval=True,
        description="Engineering roles: a technical assessment and approval before posting.",
    )
