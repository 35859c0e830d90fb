"""Reads of candidates, notes and feedback, scoped to what a user may see."""

from django.db.models import Q, QuerySet
from django.http import Http404

from attract.access import (
    Perm,
    applications_visible_to,
    candidates_visible_to,
    is_admin,
    job_can,
)
from attract.models import User
from candidates.models import (
    Application,
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
    if is_admin(user) or not application.job.hide_feedback_until_submitted:
        return qs
    roles = set(application.job.team.filter(user=user).values_list("role", flat=True))
    if roles - {TeamRole.INTERVIEWER}:
        return qs
    if qs.filter(interviewer=user).exists():
        return qs
    return qs.filter(interviewer=user)


def applications_of_candidate(user: User, candidate: Candidate) -> QuerySet[Application]:
    return applications_visible_to(user).filter(candidate=candidate).select_related("job", "stage")


def document_for_user(user: User, pk: int) -> Document:
    """A document whose candidate the user may see; application documents need the job's team."""
    try:
        document = Document.objects.select_related("application__job").get(pk=pk)
    except (ValueError, Document.DoesNotExist) as exc:
        raise Http404("No such document.") from exc
    visible = candidates_visible_to(user).filter(pk=document.candidate_id).exists()
    if document.application_id is not None:
        visible = visible and job_can(user, document.application.job, Perm.VIEW_APPLICANTS)
    if not visible:
        raise Http404("No such document.")
    return document
