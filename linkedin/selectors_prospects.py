"""Reads for the candidate's LinkedIn tab: the linked member, InMail history and notes history."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from attract.access import can_use_pools, is_admin
from attract.models import User
from candidates.models import Candidate
from linkedin import client, client_actions
from linkedin.forms_actions import InMailForm, ProjectForm
from linkedin.models_prospects import InMailEvent, ProspectNote
from linkedin.models_rsc import LinkedInAccount, RecruiterSeat
from linkedin.selectors_rsc import connection_get, linkedin_tasks_allowed
from linkedin.services_export import candidate_key


@dataclass(frozen=True)
class InMailRow:
    who: str  # the organisation's user (or the seat when no user holds it)
    direction: str
    when: datetime
    own: bool
    subject: str  # empty unless the conversation is the viewer's own
    body: str


@dataclass(frozen=True)
class NoteRow:
    who: str
    when: datetime
    text: str
    private: bool


def _seat_users(seat_urns: set[str]) -> dict[str, User | None]:
    seats = RecruiterSeat.objects.select_related("user").filter(seat_urn__in=seat_urns)
    return {seat.seat_urn: seat.user for seat in seats}


def _who(users: dict[str, User | None], seat_urn: str) -> str:
    user = users.get(seat_urn)
    return str(user) if user is not None else f"LinkedIn seat {seat_urn.rsplit(':', 1)[-1]}"


def linkedin_matches(candidate: Candidate) -> tuple[str, list[str]]:
    """LinkedIn's possible members of an unlinked candidate: (state, member URNs)."""
    if not linkedin_tasks_allowed():
        return "off", []
    connection = connection_get()
    key = candidate_key(connection, candidate.pk)
    creds = client.Credentials(connection.client_id, connection.client_secret)
    try:
        found = client.batch_get(
            creds, "/v2/atsCandidates", [key], extra="fields=matchedMembers,manualMatchedMember"
        ).get(key)
    except client.LinkedInError:
        return "off", []
    if found is None:
        return "not_synced", []
    return "matches", [str(urn) for urn in found.get("matchedMembers") or []]


def linkedin_tab(viewer: User, candidate: Candidate) -> dict:
    """What the LinkedIn tab shows a user who may see the candidate (four queries when linked,
    one more and a LinkedIn call when the viewer may act in Recruiter)."""
    urn = candidate.linkedin_member_urn
    can_link = is_admin(viewer) or can_use_pools(viewer)
    if not urn:
        state, matches = linkedin_matches(candidate)
        return {"linked": False, "can_link": can_link, "match_state": state, "matches": matches}
    own_seats = list(
        RecruiterSeat.objects.filter(user=viewer).select_related("user__linkedin_account")
    )
    events = list(InMailEvent.objects.filter(member_urn=urn))
    notes = list(
        ProspectNote.objects.filter(member_urn=urn, active=True).filter(
            Q(visibility=ProspectNote.Visibility.PUBLIC)
            | Q(seat_urn__in=[s.seat_urn for s in own_seats])
        )
    )
    users = _seat_users({e.seat_urn for e in events} | {n.seat_urn for n in notes})
    return {
        "linked": True,
        "can_link": can_link,
        "actions": recruiter_actions(viewer, own_seats),
        "inmails": [_inmail_row(e, users, viewer) for e in events],
        "notes": [
            NoteRow(
                who=_who(users, n.seat_urn),
                when=n.updated_at,
                text=n.text,
                private=n.visibility == ProspectNote.Visibility.PRIVATE,
            )
            for n in notes
        ],
    }


def _inmail_row(event: InMailEvent, users: dict[str, User | None], viewer: User) -> InMailRow:
    holder = users.get(event.seat_urn)
    own = holder is not None and holder.pk == viewer.pk
    return InMailRow(
        who=_who(users, event.seat_urn),
        direction=event.get_direction_display(),
        when=event.occurred_at,
        own=own,
        subject=event.subject if own else "",
        body=event.body if own else "",
    )


# --- Recruiter actions of the tab: who may act, with which seat, on which projects -------------


@dataclass(frozen=True)
class Actor:
    """A user who may act in LinkedIn Recruiter: their seat and member token."""

    seat_urn: str
    member_token: str = field(repr=False)


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str


ROLE_REFUSAL = Refusal(
    "role", "Only recruiters, hiring managers and administrators act in LinkedIn Recruiter."
)
CONNECT_REFUSAL = Refusal(
    "not_connected", "Connect LinkedIn in your settings to act in LinkedIn Recruiter."
)
NO_SEAT_REFUSAL = Refusal(
    "no_seat",
    "Your LinkedIn account holds no Recruiter seat of the organisation's contract: ask your "
    "Recruiter administrator for one, then connect LinkedIn again in your settings.",
)
EXPIRED_REFUSAL = Refusal(
    "token_expired",
    "Your LinkedIn connection has expired: connect LinkedIn again in your settings.",
)
OFF_REFUSAL = Refusal(
    "linkedin_off",
    "LinkedIn Recruiter is not connected for the organisation: ask an administrator.",
)


def _account(user: User, seat: RecruiterSeat | None) -> LinkedInAccount | None:
    if seat is None:
        return LinkedInAccount.objects.filter(user=user).first()
    try:
        return seat.user.linkedin_account if seat.user is not None else None
    except LinkedInAccount.DoesNotExist:
        return None


def linkedin_actor(user: User, seats: list[RecruiterSeat] | None = None) -> Actor | Refusal:
    """The user's seat and token for Recruiter actions, or why they may not act."""
    if not can_use_pools(user):
        return ROLE_REFUSAL
    if seats is None:
        seats = list(
            RecruiterSeat.objects.filter(user=user).select_related("user__linkedin_account")
        )
    seat = next((s for s in seats if s.active), None)
    account = _account(user, seat)
    if account is None or not account.access_token:
        return CONNECT_REFUSAL
    if seat is None:
        return NO_SEAT_REFUSAL
    if account.token_expires_at is not None and account.token_expires_at <= timezone.now():
        return EXPIRED_REFUSAL
    if not linkedin_tasks_allowed():
        return OFF_REFUSAL
    return Actor(seat.seat_urn, account.access_token)


def recruiter_actions(viewer: User, seats: list[RecruiterSeat]) -> dict:
    """The actions block of the tab: why not, or the seat and its projects from LinkedIn."""
    actor = linkedin_actor(viewer, seats)
    if isinstance(actor, Refusal):
        return {"ready": False, "refusal": actor}
    project_form = ProjectForm()
    forms = {"project_form": project_form, "inmail_form": InMailForm()}
    try:
        projects = client_actions.seat_projects(actor.member_token, seat=actor.seat_urn)
    except client.LinkedInError as exc:
        return {"ready": True, "projects": [], "projects_error": _listing_error(exc), **forms}
    project_form.set_projects(projects)
    return {"ready": True, "projects": projects, "projects_error": "", **forms}


def _listing_error(exc: client.LinkedInError) -> str:
    if isinstance(exc, client.LinkedInAuthError) and exc.status == 401:
        return EXPIRED_REFUSAL.message
    if isinstance(exc, client.LinkedInRateLimited | client.LinkedInTemporaryError):
        return "LinkedIn is not answering right now, so your projects cannot be listed."
    return f"LinkedIn did not list your projects ({exc.message})."
