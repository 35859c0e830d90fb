"""Reads for the candidate's LinkedIn tab: the linked member, InMail history and notes history."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from attract.access import can_use_pools, is_admin
from attract.models import User
from candidates.models import Candidate
from linkedin import client
from linkedin.models_prospects import InMailEvent, ProspectNote
from linkedin.models_rsc import RecruiterSeat
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
    """What the LinkedIn tab shows a user who may see the candidate (three queries when linked)."""
    urn = candidate.linkedin_member_urn
    can_link = is_admin(viewer) or can_use_pools(viewer)
    if not urn:
        state, matches = linkedin_matches(candidate)
        return {"linked": False, "can_link": can_link, "match_state": state, "matches": matches}
    own_seats = RecruiterSeat.objects.filter(user=viewer).values("seat_urn")
    events = list(InMailEvent.objects.filter(member_urn=urn))
    notes = list(
        ProspectNote.objects.filter(member_urn=urn, active=True).filter(
            Q(visibility=ProspectNote.Visibility.PUBLIC) | Q(seat_urn__in=own_seats)
        )
    )
    users = _seat_users({e.seat_urn for e in events} | {n.seat_urn for n in notes})
    return {
        "linked": True,
        "can_link": can_link,
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
