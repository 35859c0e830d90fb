"""Writes on applications: create, move, reject, withdraw, hire, reopen, delete."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from attract.access import Perm, require_job
from attract.errors import field_error
from attract.models import User
from candidates import events
from candidates.models import (
    Application,
    ApplicationEvent,
    ApplicationEventKind,
    ApplicationStatus,
    Candidate,
    CandidateSource,
    RejectionReason,
)
from jobs.choices import JobStatus, StageKind
from jobs.models import Job, JobStage
from linkedin import outbox


def _entry_stage(job: Job, prospect: bool) -> JobStage:
    kind = StageKind.PROSPECT if prospect else StageKind.APPLICATION
    stage = job.stages.filter(kind=kind).first()
    if stage is None:
        raise ValidationError(
            f"{job.number} has no {StageKind(kind).label} stage.", code="no_stage"
        )
    return stage


def _history(
    application: Application,
    *,
    kind: str,
    by: User | None,
    before: JobStage | None,
    after: JobStage | None,
    at,
    reason: str = "",
) -> None:
    ApplicationEvent.objects.create(
        application=application,
        kind=kind,
        from_stage=before,
        to_stage=after,
        reason=reason,
        actor=by,
        at=at,
    )


@transaction.atomic
def application_create(
    *,
    candidate: Candidate,
    job: Job,
    by: User | None,
    source: str = "",
    stage: JobStage | None = None,
    prospect: bool = False,
) -> Application:
    """Put a candidate on a job, in the Application stage (or Prospect for prospects)."""
    if stage is not None:
        prospect = stage.kind == StageKind.PROSPECT
    if by is not None:
        require_job(by, job, Perm.ADD_PROSPECT if prospect else Perm.ADD_APPLICANT)
    if job.status != JobStatus.ACTIVE:
        raise ValidationError("Only an active job takes candidates.", code="job_not_active")
    if stage is not None and stage.job_id != job.pk:
        raise field_error("stage", "That stage belongs to another job.", "unknown_stage")
    if Application.objects.filter(candidate=candidate, job=job).exists():
        raise ValidationError(
            f"{candidate.full_name} is already on {job.number}.", code="duplicate_application"
        )
    source = source or candidate.source
    if source not in CandidateSource.values:
        raise ValidationError({"source": f"Unknown source {source!r}."})
    stage = stage or _entry_stage(job, prospect)
    now = timezone.now()
    application = Application.objects.create(
        candidate=candidate,
        job=job,
        stage=stage,
        source=source,
        stage_entered_at=now,
        created_by=by,
    )
    _history(
        application, kind=ApplicationEventKind.CREATED, by=by, before=None, after=stage, at=now
    )
    events.application_created(application=application, by=by)
    outbox.application_changed(application)
    return application


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update()
        .select_related("job", "stage", "candidate")
        .get(pk=application.pk)
    )


def _require_active(application: Application, doing: str) -> None:
    if application.status != ApplicationStatus.ACTIVE:
        raise ValidationError(
            f"A {application.get_status_display().lower()} application cannot be {doing}.",
            code="illegal_transition",
        )
    if application.job.status != JobStatus.ACTIVE:
        raise ValidationError(
            f"Applications on a {application.job.get_status_display().lower()} "
            f"job cannot be {doing}.",
            code="job_not_active",
        )


@transaction.atomic
def application_move(*, application: Application, stage: JobStage, by: User) -> Application:
    """Move an active application to another stage of its job (the Hired stage hires)."""
    application = _lock(application)
    require_job(by, application.job, Perm.ADVANCE_APPLICATION)
    _require_active(application, "moved")
    if stage.job_id != application.job_id:
        raise field_error("stage", "That stage belongs to another job.", "unknown_stage")
    if stage.pk == application.stage_id:
        raise field_error("stage", f"Already in {stage.name}.", "same_stage")
    if stage.kind == StageKind.HIRED:
        return _hire(application, by=by)
    return _set_stage(application, stage, by=by, kind=ApplicationEventKind.MOVED)


def _set_stage(
    application: Application,
    stage: JobStage,
    *,
    by: User | None,
    kind: str,
    status: str | None = None,
    reason: str = "",
) -> Application:
    before, now = application.stage, timezone.now()
    application.stage = stage
    if stage.pk != before.pk:
        application.stage_entered_at = now
    application.status = status or application.status
    application.save()
    _history(application, kind=kind, by=by, before=before, after=stage, at=now, reason=reason)
    events.application_changed(
        application=application,
        by=by,
        kind=kind,
        before=before.name,
        after=stage.name,
        reason=reason,
    )
    outbox.application_changed(application)
    return application


@transaction.atomic
def application_reject(
    *, application: Application, by: User, reason: RejectionReason, comment: str = ""
) -> Application:
    """Reject an active application with a reason from the admin-managed list."""
    application = _lock(application)
    require_job(by, application.job, Perm.REJECT_APPLICATION)
    _require_active(application, "rejected")
    if reason is None or not reason.is_active:
        raise field_error("reason", "Choose a rejection reason.", "reason_required")
    application.rejection_reason, application.status_comment = reason, comment.strip()
    return _set_stage(
        application,
        application.stage,
        by=by,
        kind=ApplicationEventKind.REJECTED,
        status=ApplicationStatus.REJECTED,
        reason=reason.name,
    )


@transaction.atomic
def application_withdraw(*, application: Application, by: User, comment: str = "") -> Application:
    """Record that the candidate withdrew."""
    application = _lock(application)
    require_job(by, application.job, Perm.ADVANCE_APPLICATION)
    _require_active(application, "withdrawn")
    application.status_comment = comment.strip()
    return _set_stage(
        application,
        application.stage,
        by=by,
        kind=ApplicationEventKind.WITHDRAWN,
        status=ApplicationStatus.WITHDRAWN,
        reason=comment.strip(),
    )


@transaction.atomic
def application_hire(*, application: Application, by: User) -> Application:
    """Hire an applicant: status Hired, moved to the Hired stage when the process has one."""
    application = _lock(application)
    require_job(by, application.job, Perm.ADVANCE_APPLICATION)
    _require_active(application, "hired")
    return _hire(application, by=by)


def _hire(application: Application, *, by: User) -> Application:
    if application.stage.kind == StageKind.PROSPECT:
        raise ValidationError("A prospect must apply before being hired.", code="prospect")
    hired_stage = application.job.stages.filter(kind=StageKind.HIRED).first()
    return _set_stage(
        application,
        hired_stage or application.stage,
        by=by,
        kind=ApplicationEventKind.HIRED,
        status=ApplicationStatus.HIRED,
    )


@transaction.atomic
def application_reopen(*, application: Application, by: User) -> Application:
    """Undo a rejection or withdrawal: the application is active again in its stage."""
    application = _lock(application)
    require_job(by, application.job, Perm.REJECT_APPLICATION)
    if application.status not in (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN):
        raise ValidationError(
            "Only a rejected or withdrawn application can be reopened.", code="illegal_transition"
        )
    if application.job.status != JobStatus.ACTIVE:
        raise ValidationError("The job is not active.", code="job_not_active")
    application.rejection_reason, application.status_comment = None, ""
    return _set_stage(
        application,
        application.stage,
        by=by,
        kind=ApplicationEventKind.REOPENED,
        status=ApplicationStatus.ACTIVE,
    )


@transaction.atomic
def application_delete(*, application: Application, by: User) -> None:
    """Remove a candidate from a job altogether (recruiters only)."""
    require_job(by, application.job, Perm.DELETE_APPLICATION)
    events.application_deleted(application=application, by=by)
    outbox.application_deleted(application)
    application.delete()


class BulkActionFailed(ValidationError):
    """A bulk action stopped at one application; nothing of the batch was changed."""

    def __init__(self, application: Application, error: ValidationError):
        super().__init__(f"{application.candidate.full_name}: {' '.join(error.messages)}")
        self.application = application


@transaction.atomic
def applications_move(
    *, applications: Iterable[Application], stage: JobStage, by: User
) -> list[Application]:
    """Move several applications at once: all of them, or none if one is refused."""
    moved = []
    for application in applications:
        if application.stage_id == stage.pk:
            continue  # already where the user wants it
        try:
            moved.append(application_move(application=application, stage=stage, by=by))
        except ValidationError as exc:
            raise BulkActionFailed(application, exc) from exc
    return moved


@transaction.atomic
def applications_reject(
    *, applications: Iterable[Application], by: User, reason: RejectionReason, comment: str = ""
) -> list[Application]:
    """Reject several applications with one reason: all of them, or none."""
    rejected = []
    for application in applications:
        try:
            rejected.append(
                application_reject(application=application, by=by, reason=reason, comment=comment)
            )
        except ValidationError as exc:
            raise BulkActionFailed(application, exc) from exc
    return rejected


@transaction.atomic
def candidate_add_to_job(
    *,
    job: Job,
    by: User,
    first_name: str,
    last_name: str,
    email: str = "",
    phones: Iterable[str] = (),
    prospect: bool = False,
) -> tuple[Application, bool]:
    """Find (by email) or create a person and put them on the job; (application, created)."""
    from candidates.services.candidates import candidate_create

    candidate, created = candidate_create(
        by=by, first_name=first_name, last_name=last_name, email=email, phones=phones
    )
    return application_create(candidate=candidate, job=job, by=by, prospect=prospect), created
