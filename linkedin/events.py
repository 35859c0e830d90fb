"""Audit event writers of the LinkedIn integration (one function per event type).

Parameters never hold a secret or a token: only URNs, statuses and names.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from attract.events import record
from attract.models import Event, User

# --- Recruiter System Connect (administrators) ---


def rsc_signed_in(*, connection: Any, by: User, member_urn: str, contracts: list[str]) -> Event:
    return record(
        type="linkedin.rsc_signed_in",
        actor=by,
        subject=connection,
        member=member_urn,
        contracts=contracts,
    )


def rsc_contract_chosen(*, connection: Any, by: User, contract_urn: str) -> Event:
    return record(
        type="linkedin.rsc_contract_chosen", actor=by, subject=connection, contract=contract_urn
    )


def rsc_requested(*, connection: Any, by: User | None, application_urn: str, status: str) -> Event:
    return record(
        type="linkedin.rsc_requested",
        actor=by,
        subject=connection,
        application=application_urn,
        status=status,
    )


def rsc_status_changed(
    *, connection: Any, by: User | None, before: str, after: str, access_level: str, source: str
) -> Event:
    return record(
        type="linkedin.rsc_status_changed",
        actor=by,
        subject=connection,
        before=before,
        after=after,
        access_level=access_level,
        source=source,
    )


def rsc_disconnected(*, connection: Any, by: User) -> Event:
    return record(type="linkedin.rsc_disconnected", actor=by, subject=connection)


def rsc_secret_rotated(*, connection: Any, by: User | None) -> Event:
    return record(type="linkedin.rsc_secret_rotated", actor=by, subject=connection)


# --- Users' own LinkedIn accounts ---


def account_connected(*, account: Any, user: User, seat_urn: str) -> Event:
    return record(
        type="linkedin.account_connected",
        actor=user,
        subject=user,
        member=account.member_urn,
        seat=seat_urn,
    )


def account_disconnected(*, user: User, member_urn: str) -> Event:
    return record(type="linkedin.account_disconnected", actor=user, subject=user, member=member_urn)


# --- Pushes ---


def push_received(*, event: Any) -> Event:
    return record(
        type="linkedin.push_received",
        actor=None,
        subject=event,
        kind=event.kind,
        request_id=event.request_id,
    )


def posting_settings_updated(*, settings_row: Any, by: User, enabled: bool) -> Event:
    return record(
        type="linkedin.posting_settings_updated",
        actor=by,
        subject=settings_row,
        company_id=settings_row.company_id,
        enabled=enabled,
    )


def feed_token_rotated(*, settings_row: Any, by: User) -> Event:
    return record(type="linkedin.feed_token_rotated", actor=by, subject=settings_row)


def job_posting_changed(*, posting: Any, by: User, kind: str) -> Event:
    """kind: posted, reposted or unposted."""
    return record(type=f"linkedin.job_{kind}", actor=by, subject=posting, job=posting.job)


# --- Recruiter actions from the candidate's LinkedIn tab ---


def recruiter_project_saved(
    *, candidate: Any, by: User, seat_urn: str, project_urn: str, urn: str
) -> Event:
    return record(
        type="linkedin.recruiter_project_saved",
        actor=by,
        subject=candidate,
        member=candidate.linkedin_member_urn,
        seat=seat_urn,
        project=project_urn,
        membership=urn,
    )


def recruiter_inmail_sent(*, candidate: Any, by: User, seat_urn: str, urn: str) -> Event:
    """The message itself stays in LinkedIn: only who sent an InMail to whom, and its URN."""
    return record(
        type="linkedin.recruiter_inmail_sent",
        actor=by,
        subject=candidate,
        member=candidate.linkedin_member_urn,
        seat=seat_urn,
        inmail=urn,
    )


def recruiter_alert_created(*, candidate: Any, by: User, seat_urn: str, urn: str) -> Event:
    return record(
        type="linkedin.recruiter_alert_created",
        actor=by,
        subject=candidate,
        member=candidate.linkedin_member_urn,
        seat=seat_urn,
        alert=urn,
    )


# --- In-ATS sync (the sync dashboard) ---


def sync_history_requested(*, settings_row: Any, by: User | None) -> Event:
    """The full history was asked for again."""
    return record(type="linkedin.sync_history_requested", actor=by, subject=settings_row)


def sync_history_queued(*, settings_row: Any, rows: dict[str, int]) -> Event:
    """The full history became outbox rows (counts per kind of record)."""
    return record(
        type="linkedin.sync_history_queued",
        actor=None,
        subject=settings_row,
        rows=rows,
        first_row=settings_row.history_first_row,
        last_row=settings_row.history_last_row,
    )


def outbox_rows_retried(
    *, settings_row: Any, by: User, rows: Sequence[Mapping[str, Any]], count: int
) -> Event:
    """Parked outbox rows were set to be sent again (the first ones named with their error)."""
    return record(
        type="linkedin.outbox_rows_retried", actor=by, subject=settings_row, rows=rows, count=count
    )
