"""The candidate LinkedIn tab's Recruiter actions (SPEC 2.4, LINKEDIN.md 4.4): save the linked
member to a LinkedIn Recruiter project, send them an InMail, and "keep me updated" (an alert on
their profile changes). Each is done in LinkedIn Recruiter with the acting user's own LinkedIn
connection: their member token and Recruiter seat.

Refusals are ValidationErrors with a code. LinkedIn is called first, outside any transaction;
the audit event is written only once LinkedIn took the action, so a refused or failed call
leaves nothing behind on either side.
"""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from attract.models import User
from candidates.models import Candidate
from linkedin import client, client_actions, events
from linkedin.client_actions import BODY_MAX, SUBJECT_MAX
from linkedin.selectors_prospects import EXPIRED_REFUSAL, Actor, Refusal, linkedin_actor

CONFLICT = 409


@dataclass(frozen=True)
class Done:
    """What LinkedIn did: `already` when the member was already saved or followed."""

    urn: str
    already: bool = False
    name: str = ""


def _actor(by: User, candidate: Candidate) -> tuple[Actor, str]:
    actor = linkedin_actor(by)
    if isinstance(actor, Refusal):
        raise ValidationError(actor.message, code=actor.code)
    if not candidate.linkedin_member_urn:
        raise ValidationError("Link the candidate to a LinkedIn member first.", code="not_linked")
    return actor, candidate.linkedin_member_urn


@contextmanager
def _linkedin(action: str, *, conflict_ok: bool = False) -> Iterator[None]:
    """LinkedIn's refusals and outages as a ValidationError the tab can show; with
    `conflict_ok` a 409 (already done) goes through to the caller as it is."""
    try:
        yield
    except client.LinkedInRateLimited as exc:
        raise ValidationError(
            f"{action}: LinkedIn asks us to slow down; try again in {int(exc.retry_after)} s. "
            "Nothing was sent.",
            code="rate_limited",
        ) from exc
    except client.LinkedInTemporaryError as exc:
        # A 5xx is a refusal; no answer (or an unreadable one) leaves it open whether LinkedIn
        # acted. Either way a repeat is safe: each action is done at most once.
        refused = exc.status is not None and exc.status >= 500
        outcome = "Nothing was sent" if refused else "LinkedIn may have done it"
        raise ValidationError(
            f"{action}: LinkedIn is not answering ({exc.message}). {outcome}; trying again "
            "later is safe, it is never done twice.",
            code="linkedin_down",
        ) from exc
    except client.LinkedInAuthError as exc:
        if exc.status == 401:
            raise ValidationError(EXPIRED_REFUSAL.message, code=EXPIRED_REFUSAL.code) from exc
        raise ValidationError(
            f"{action}: LinkedIn refused ({exc.message}).", code="linkedin_refused"
        ) from exc
    except client.LinkedInError as exc:
        if conflict_ok and exc.status == CONFLICT:
            raise
        raise ValidationError(
            f"{action}: LinkedIn refused ({exc.message}).", code="linkedin_refused"
        ) from exc


def candidate_save_to_project(*, by: User, candidate: Candidate, project_urn: str) -> Done:
    """Save the candidate's LinkedIn member to one of the user's Recruiter projects."""
    actor, member = _actor(by, candidate)
    action = "Saving to the LinkedIn Recruiter project"
    with _linkedin(action):
        projects = client_actions.seat_projects(actor.member_token, seat=actor.seat_urn)
    project = next((p for p in projects if p.urn == project_urn.strip()), None)
    if project is None:
        raise ValidationError(
            {"project": "Choose one of your LinkedIn Recruiter projects."}, code="unknown_project"
        )
    try:
        with _linkedin(action, conflict_ok=True):
            urn = client_actions.save_to_project(
                actor.member_token, seat=actor.seat_urn, project=project.urn, member=member
            )
    except client.LinkedInError:  # 409: already in the project
        return Done(project.urn, already=True, name=project.name)
    events.recruiter_project_saved(
        candidate=candidate, by=by, seat_urn=actor.seat_urn, project_urn=project.urn, urn=urn
    )
    return Done(urn, name=project.name)


def _check_inmail(subject: str, body: str) -> None:
    errors: dict[str, str] = {}
    if not subject:
        errors["subject"] = "Write a subject."
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = f"Keep the subject to {SUBJECT_MAX} characters (it has {len(subject)})."
    if not body:
        errors["body"] = "Write a message."
    elif len(body) > BODY_MAX:
        errors["body"] = f"Keep the message to {BODY_MAX} characters (it has {len(body)})."
    if errors:
        raise ValidationError(errors, code="invalid_inmail")


def _tracking_id(seat: str, member: str, subject: str, body: str) -> str:
    # The same message resent (a retry after a timeout, a double click) is sent only once.
    text = "\x1f".join((seat, member, subject, body))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def candidate_send_inmail(*, by: User, candidate: Candidate, subject: str, body: str) -> Done:
    """Send the candidate's LinkedIn member an InMail from the user's Recruiter seat."""
    subject, body = subject.strip(), body.strip()
    _check_inmail(subject, body)
    actor, member = _actor(by, candidate)
    with _linkedin("Sending the InMail"):
        urn = client_actions.send_inmail(
            actor.member_token,
            seat=actor.seat_urn,
            member=member,
            subject=subject,
            body=body,
            tracking_id=_tracking_id(actor.seat_urn, member, subject, body),
        )
    events.recruiter_inmail_sent(candidate=candidate, by=by, seat_urn=actor.seat_urn, urn=urn)
    return Done(urn)


def candidate_keep_updated(*, by: User, candidate: Candidate) -> Done:
    """Alert the user's Recruiter seat when the candidate's LinkedIn profile changes."""
    actor, member = _actor(by, candidate)
    try:
        with _linkedin("Setting the profile alert", conflict_ok=True):
            urn = client_actions.create_alert(
                actor.member_token, seat=actor.seat_urn, member=member
            )
    except client.LinkedInError:  # 409: the seat already follows the member
        return Done("", already=True)
    events.recruiter_alert_created(candidate=candidate, by=by, seat_urn=actor.seat_urn, urn=urn)
    return Done(urn)
