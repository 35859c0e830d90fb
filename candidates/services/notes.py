"""Writes on notes and interview feedback."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from attract.access import Perm, candidates_visible_to, is_admin, require_job
from attract.errors import field_error
from attract.models import User
from candidates import events
from candidates.models import (
    Application,
    Candidate,
    InterviewFeedback,
    Note,
    NoteVisibility,
    Recommendation,
)
from candidates.tasks import enqueue_search_refresh
from linkedin import outbox

MAX_RATINGS = 20


def _require_note_access(by: User, candidate: Candidate, application: Application | None) -> None:
    if application is not None:
        if application.candidate_id != candidate.pk:
            raise ValidationError("That application belongs to another candidate.")
        require_job(by, application.job, Perm.EDIT_NOTES)
    elif not candidates_visible_to(by).filter(pk=candidate.pk).exists():
        raise PermissionDenied("You cannot see this candidate.")


def _clean_note(body: str, visibility: str, application: Application | None) -> str:
    body = (body or "").strip()
    if not body:
        raise field_error("body", "A note needs some text.", "required")
    if len(body) > 20_000:
        raise field_error("body", "A note has at most 20,000 characters.", "max_length")
    if visibility not in NoteVisibility.values:
        raise field_error("visibility", "Choose who may see the note.", "invalid")
    if visibility == NoteVisibility.HIRING_TEAM and application is None:
        raise ValidationError(
            {"visibility": "Only a note on an application can be limited to its hiring team."}
        )
    return body


@transaction.atomic
def note_add(
    *,
    candidate: Candidate,
    by: User,
    body: str,
    visibility: str = NoteVisibility.EVERYONE,
    application: Application | None = None,
) -> Note:
    """Add a note on a candidate, optionally tied to one of their applications."""
    _require_note_access(by, candidate, application)
    body = _clean_note(body, visibility, application)
    note = Note.objects.create(
        candidate=candidate, application=application, author=by, body=body, visibility=visibility
    )
    events.note_saved(note=note, by=by, created=True)
    outbox.note_changed(note)
    enqueue_search_refresh(candidate.pk)
    return note


@transaction.atomic
def note_edit(*, note: Note, by: User, body: str, visibility: str | None = None) -> Note:
    """Authors edit their own notes."""
    if note.author_id != by.pk:
        raise PermissionDenied("You can only edit your own notes.")
    visibility = visibility or note.visibility
    _require_note_access(by, note.candidate, note.application)
    note.body = _clean_note(body, visibility, note.application)
    note.visibility = visibility
    note.save()
    events.note_saved(note=note, by=by, created=False)
    outbox.note_changed(note)
    enqueue_search_refresh(note.candidate_id)
    return note


@transaction.atomic
def note_delete(*, note: Note, by: User) -> None:
    if note.author_id != by.pk and not is_admin(by):
        raise PermissionDenied("You can only delete your own notes.")
    events.note_deleted(note=note, by=by)
    outbox.note_deleted(note)
    note.delete()
    enqueue_search_refresh(note.candidate_id)


def _clean_ratings(ratings: dict[str, Any]) -> dict[str, int]:
    if not isinstance(ratings, dict) or len(ratings) > MAX_RATINGS:
        raise ValidationError({"ratings": f"At most {MAX_RATINGS} rated attributes."})
    cleaned = {}
    for name, value in ratings.items():
        label = str(name).strip()
        if not label or len(label) > 60:
            raise ValidationError(
                {"ratings": "Each attribute needs a name of at most 60 characters."}
            )
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise ValidationError({"ratings": f"Rate {label} from 1 to 5."})
        cleaned[label] = value
    return cleaned


@transaction.atomic
def feedback_submit(
    *,
    application: Application,
    by: User,
    recommendation: int,
    ratings: dict | None = None,
    strengths: str = "",
    concerns: str = "",
    comments: str = "",
) -> InterviewFeedback:
    """Submit (or revise) one's interview feedback on an application."""
    require_job(by, application.job, Perm.ADD_FEEDBACK)
    if recommendation not in Recommendation.values:
        raise ValidationError(
            {"recommendation": "Choose a recommendation from strong no to strong yes."}
        )
    texts = {"strengths": strengths, "concerns": concerns, "comments": comments}
    for key, value in texts.items():
        if len(value or "") > 10_000:
            raise ValidationError({key: "At most 10,000 characters."})
    feedback, created = InterviewFeedback.objects.update_or_create(
        application=application,
        interviewer=by,
        defaults={
            "recommendation": recommendation,
            "ratings": _clean_ratings(ratings or {}),
            "submitted_at": timezone.now(),
            **{k: (v or "").strip() for k, v in texts.items()},
        },
    )
    events.feedback_submitted(feedback=feedback, by=by, created=created)
    outbox.feedback_changed(feedback)
    return feedback
