"""Reads of the Recruiter System Connect connection, users' LinkedIn accounts and seats."""

from django.db.models import QuerySet

from attract.access import require_admin
from attract.models import User
from linkedin.models_rsc import (
    AccessLevel,
    LinkedInAccount,
    RecruiterConnection,
    RecruiterSeat,
    RscStatus,
    WebhookEvent,
)

# SPEC 2.1: what each access level unlocks.
COMPANY_FEATURES = ("1-click export", "In-ATS indicator", "Profile widget")
CONTRACT_FEATURES = (
    *COMPANY_FEATURES,
    "InMail history",
    "Notes history",
    "InMail stub profiles",
)
# Shown on Disconnect: what Attract keeps, and what stops.
KEPT_AFTER_DISCONNECT = (
    "Candidates, notes, InMail history and stub profiles already imported from LinkedIn, with "
    "their LinkedIn source",
    "The LinkedIn talent pool and the links between candidates and LinkedIn members",
    "The customer application's credentials (encrypted), so that connecting again reuses it",
    "Users' own LinkedIn connections, unused until you connect again",
    "The record of LinkedIn's push notifications and the audit log",
)


def connection_get(*, for_update: bool = False) -> RecruiterConnection:
    """The organisation's connection row (created on first use); lock it with `for_update`."""
    qs = RecruiterConnection.objects.all()
    if for_update:
        qs = qs.select_for_update()
    try:
        return qs.get(pk=1)
    except RecruiterConnection.DoesNotExist:
        RecruiterConnection.objects.get_or_create(pk=1)
        return qs.get(pk=1)


def connection_for_admin(by: User) -> RecruiterConnection:
    require_admin(by)
    return connection_get()


def connection_for_callback(token: str) -> RecruiterConnection | None:
    """The connection whose callback URL carries this token (none: unknown organisation)."""
    if not token:
        return None
    return RecruiterConnection.objects.filter(callback_token=token).first()


def linkedin_tasks_allowed() -> bool:
    """Every LinkedIn task checks this first: Recruiter System Connect is on and enabled."""
    return RecruiterConnection.objects.filter(
        pk=1, tasks_enabled=True, status=RscStatus.ENABLED
    ).exists()


def user_connections_open() -> bool:
    """Users may connect their own LinkedIn account once the customer application exists."""
    return (
        RecruiterConnection.objects.filter(
            pk=1,
            status__in=[RscStatus.PARTNER_READY, RscStatus.ENABLED, RscStatus.DISABLED],
        )
        .exclude(client_id="")
        .exists()
    )


def features(access_level: str) -> tuple[str, ...]:
    if access_level == AccessLevel.CONTRACT:
        return CONTRACT_FEATURES
    if access_level == AccessLevel.COMPANY:
        return COMPANY_FEATURES
    return ()


def account_of(user: User) -> LinkedInAccount | None:
    return LinkedInAccount.objects.filter(user=user).first()


def seat_of(user: User) -> RecruiterSeat | None:
    return RecruiterSeat.objects.filter(user=user, active=True).first()


def user_for_seat(seat_urn: str) -> User | None:
    """The Attract user an InMail or a note of this seat is attributed to."""
    seat = RecruiterSeat.objects.select_related("user").filter(seat_urn=seat_urn).first()
    return seat.user if seat else None


def recent_pushes(by: User, limit: int = 10) -> QuerySet[WebhookEvent]:
    require_admin(by)
    return WebhookEvent.objects.order_by("-received_at", "-id")[:limit]
