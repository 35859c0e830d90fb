"""Reads of candidates, notes and feedback, scoped to what a user may see."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from attract.access import (
    Perm,
    applications_visible_to,
    candidates_visible_to,
    is_admin,
    job_can,
    team_roles,
)
from attract.models import User
from candidates.models import (
    Application,
    ApplicationEvent,
    Candidate,
    Document,
    InterviewFeedback,
    Note,
    NoteVisibility,
)
from jobs.choices import TeamRole


def notes_visible_to(user: User, candidate: Candidate) -> QuerySet[Note]:
    """Everyone-notes, the user's own private notes, and team notes of jobs the user is on."""
    team_jobs = applications_visible_to(user).values("job_id")
    return (
        candidate.notes.filter(
            Q(visibility=NoteVisibility.EVERYONE, application__isnull=True)
            | Q(visibility=NoteVisibility.EVERYONE, application__job__in=team_jobs)
            | Q(visibility=NoteVisibility.HIRING_TEAM, application__job__in=team_jobs)
            | Q(visibility=NoteVisibility.PRIVATE, author=user)
        )
        .select_related("author", "application__job")
        .distinct()
    )


def feedback_visible_to(user: User, application: Application) -> QuerySet[InterviewFeedback]:
    """All feedback, except for an interviewer who has not yet submitted theirs (job setting)."""
    qs = application.feedback.select_related("interviewer")
    if not job_can(user, application.job, Perm.SEE_ALL_FEEDBACK):
        return qs.none()
    if not _waits_for_own_feedback(user, application.job):
        return qs
    if qs.filter(interviewer=user).exists():
        return qs
    return qs.filter(interviewer=user)


def _waits_for_own_feedback(user: User, job) -> bool:
    """True for a mere interviewer on a job that hides feedback until one's own is in."""
    if is_admin(user) or not job.hide_feedback_until_submitted:
        return False
    return not (team_roles(user, job) - {TeamRole.INTERVIEWER})


def applications_of_candidate(user: User, candidate: Candidate) -> QuerySet[Application]:
    return applications_visible_to(user).filter(candidate=candidate).select_related("job", "stage")


def document_for_user(user: User, pk: int) -> Document:
    """A document whose candidate the user may see; application documents need the job's team."""
    try:
        document = Document.objects.select_related("application__job").get(pk=pk)
    except (ValueError, Document.DoesNotExist) as exc:
        raise Http404("No such document.") from exc
    visible = candidates_visible_to(user).filter(pk=document.candidate_id).exists()
    if document.application is not None:
        visible = visible and job_can(user, document.application.job, Perm.VIEW_APPLICANTS)
    if not visible:
        raise Http404("No such document.")
    return document


def applications_with_history(user: User, candidate: Candidate) -> QuerySet[Application]:
    """The visible applications with their stage history and the job's team (for `job_can`)."""
    history = ApplicationEvent.objects.select_related("from_stage", "to_stage", "actor")
    return (
        applications_of_candidate(user, candidate)
        .select_related("rejection_reason")
        .prefetch_related(Prefetch("history", queryset=history), "job__team")
    )


def applications_with_feedback(user: User, candidate: Candidate) -> QuerySet[Application]:
    feedback = InterviewFeedback.objects.select_related("interviewer")
    return applications_of_candidate(user, candidate).prefetch_related(
        Prefetch("feedback", queryset=feedback), "job__team"
    )


@dataclass
class FeedbackPanel:
    """What one user sees of the feedback on one application."""

    application: Application
    visible: list[InterviewFeedback]
    own: InterviewFeedback | None
    withheld: bool  # others' feedback is hidden until the user submits theirs
    hidden_count: int
    can_add: bool


def feedback_panel(user: User, application: Application) -> FeedbackPanel:
    """`feedback_visible_to` on an application from `applications_with_feedback`, no queries."""
    entries = list(application.feedback.all())
    for entry in entries:
        # A list, not the dict: a rating named "items" would shadow dict.items in templates.
        entry.rating_rows = list(entry.ratings.items())  # type: ignore[attr-defined]
    own = next((f for f in entries if f.interviewer_id == user.pk), None)
    job = application.job
    withheld = own is None and _waits_for_own_feedback(user, job)
    visible = entries if job_can(user, job, Perm.SEE_ALL_FEEDBACK) and not withheld else []
    return FeedbackPanel(
        application=application,
        visible=visible,
        own=own,
        withheld=withheld,
        hidden_count=len(entries) if withheld else 0,
        can_add=job_can(user, job, Perm.ADD_FEEDBACK),
    )


def documents_visible_to(user: User, candidate: Candidate) -> QuerySet[Document]:
    """The candidate's own documents and those of applications on the user's jobs."""
    return (
        candidate.documents.filter(
            Q(application__isnull=True)
            | Q(application__in=applications_visible_to(user).values("pk"))
        )
        .select_related("application__job", "uploaded_by")
        .order_by("-created_at", "-id")
    )


def candidate_lookup(user: User, text: str) -> Candidate | None:
    """A candidate the user may see, by id ("123", "#123") or by one of their emails."""
    from candidates.services.candidates import normalise_email

    value = (text or "").strip().removeprefix("#")
    visible = candidates_visible_to(user)
    if value.isdigit():
        return visible.filter(pk=int(value)).first()
    try:
        email = normalise_email(value)
    except ValidationError:
        return None
    return visible.filter(emails__email=email).first()


MERGE_FIELDS = [
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("current_title", "Current title"),
    ("current_company", "Current company"),
    ("city", "City"),
    ("region", "Region"),
    ("country", "Country"),
    ("linkedin_url", "LinkedIn profile"),
    ("linkedin_member_urn", "LinkedIn member id"),
]


@dataclass
class MergeRow:
    """One line of the merge confirmation, as text: each record's value and the kept one."""

    label: str
    primary: str
    duplicate: str
    kept: str


def merge_preview(primary: Candidate, duplicate: Candidate) -> list[MergeRow]:
    """What `candidate_merge` keeps, field by field (its rules, computed without writing)."""
    rows = [
        (label, getattr(primary, name), getattr(duplicate, name)) for name, label in MERGE_FIELDS
    ]
    kept = [(label, a, b, a or b) for label, a, b in rows]
    emails = [[e.email for e in c.emails.all()] for c in (primary, duplicate)]
    tags = [[t.name for t in c.tags.all()] for c in (primary, duplicate)]
    consents = (primary.consent_given_at, duplicate.consent_given_at)
    newer = consents[1] and (not consents[0] or consents[1] > consents[0])
    dates = [d for d in (primary.retention_until, duplicate.retention_until) if d]
    kept += [
        ("Emails", emails[0], emails[1], [*emails[0], *emails[1]]),
        ("Phones", primary.phones, duplicate.phones, _union(primary.phones, duplicate.phones)),
        ("Tags", tags[0], tags[1], _union(tags[0], tags[1])),
        ("Consent given", *consents, consents[1] if newer else consents[0]),
        (
            "Keep data until",
            primary.retention_until,
            duplicate.retention_until,
            max(dates, default=None),
        ),
    ]
    return [MergeRow(label, *(_as_text(v) for v in values)) for label, *values in kept]


def _as_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value) if value else "—"


def _union(first: list, second: list) -> list:
    return list(dict.fromkeys([*first, *second]))


def merge_counts(user: User, candidate: Candidate) -> dict[str, int]:
    """The applications, notes and documents of a record the user may see (all of them move)."""
    return {
        "applications": applications_of_candidate(user, candidate).count(),
        "notes": notes_visible_to(user, candidate).count(),
        "documents": documents_visible_to(user, candidate).count(),
    }


def applications_for_notes(user: User, candidate: Candidate) -> list[Application]:
    """The visible applications on which the user may add notes and documents (EDIT_NOTES)."""
    applications = applications_of_candidate(user, candidate).prefetch_related("job__team")
    return [a for a in applications if job_can(user, a.job, Perm.EDIT_NOTES)]
