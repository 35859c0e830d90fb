"""Writes on jobs: lifecycle, approvals, hiring team, process. Each service is one transaction."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from attract.access import Perm, is_admin, require_admin, require_job
from attract.errors import field_error
from attract.models import Counter, SecurityRole, User
from candidates.models import Application, ApplicationStatus
from jobs import events
from jobs.choices import ApprovalDecision, CloseReason, JobStatus, StageKind, TeamRole
from jobs.html import sanitise_description
from jobs.models import HiringTeamMember, Job, JobApproval, JobStage, ProcessTemplate
from jobs.process import StageSpec, validate_stages
from linkedin import outbox
from linkedin.services_feed import posting_description_refresh

# The job's own details, in form order: the web form, the API and the services share them.
JOB_DETAIL_FIELDS = (
    "title",
    "description",
    "city",
    "region",
    "country",
    "postal_code",
    "workplace_type",
    "employment_type",
    "seniority",
    "job_function",
    "industry",
    "openings",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "publish_salary",
    "expires_on",
    "internal_only",
    "hide_feedback_until_submitted",
)
EDITABLE_FIELDS = frozenset({*JOB_DETAIL_FIELDS, "poster"})
# Editing a job in these states sends it back to Draft (SPEC: approvals start over).
_BACK_TO_DRAFT = {JobStatus.PENDING_APPROVAL, JobStatus.APPROVED, JobStatus.REJECTED}
_TEAM_SECURITY_ROLE: dict[str, str] = {
    TeamRole.RECRUITER: SecurityRole.RECRUITER,
    TeamRole.HIRING_MANAGER: SecurityRole.HIRING_MANAGER,
}


def next_job_number() -> str:
    """The next J-000001-style number; the counter only grows, so numbers are never reused."""
    counter, _ = Counter.objects.select_for_update().get_or_create(name="job_number")
    Counter.objects.filter(pk=counter.pk).update(value=F("value") + 1)
    counter.refresh_from_db()
    return f"J-{counter.value:06d}"


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(f"Unknown job fields: {', '.join(sorted(unknown))}.", code="unknown")
    if "description" in fields:
        fields["description"] = sanitise_description(fields["description"] or "")
    for key in ("title", "city", "region", "postal_code"):
        if isinstance(fields.get(key), str):
            fields[key] = fields[key].strip()
    if isinstance(fields.get("country"), str):
        fields["country"] = fields["country"].strip().upper()
    return fields


def _validate_job(job: Job) -> None:
    job.full_clean(exclude=["number", "created_by"])
    if (
        job.salary_min is not None
        and job.salary_max is not None
        and job.salary_min > job.salary_max
    ):
        raise ValidationError({"salary_max": "The maximum salary must not be below the minimum."})
    has_salary = job.salary_min is not None or job.salary_max is not None
    if has_salary and (not job.salary_currency or not job.salary_period):
        raise ValidationError({"salary_currency": "A salary needs a currency and a period."})
    if job.publish_salary and not has_salary:
        raise ValidationError({"publish_salary": "There is no salary to publish."})
    if job.poster_id and not job.poster.is_active:
        raise ValidationError({"poster": "The poster must be an active user."})


def require_can_create_jobs(user: User) -> None:
    if not (
        is_admin(user) or user.role_set & {SecurityRole.RECRUITER, SecurityRole.HIRING_MANAGER}
    ):
        raise PermissionDenied("Only recruiters, hiring managers and administrators create jobs.")


@transaction.atomic
def job_create(*, by: User, template: ProcessTemplate | None = None, **fields: Any) -> Job:
    """Create a Draft job from a process template; its creator joins the hiring team."""
    require_can_create_jobs(by)
    template = template or ProcessTemplate.objects.filter(is_default=True).first()
    if template is None:
        raise ValidationError("There is no process template; an administrator must create one.")
    fields = _clean_fields(fields)
    fields.setdefault("poster", by)
    job = Job(
        **fields, template=template, requires_approval=template.requires_approval, created_by=by
    )
    _validate_job(job)
    job.number = next_job_number()
    job.save()
    JobStage.objects.bulk_create(
        JobStage(
            job=job,
            name=s.name,
            kind=s.kind,
            position=s.position,
            hiring_manager_can_add_prospects=s.hiring_manager_can_add_prospects,
        )
        for s in template.stages.all()
    )
    role = TeamRole.RECRUITER if by.has_role(SecurityRole.RECRUITER) else TeamRole.HIRING_MANAGER
    if by.role_set & {SecurityRole.RECRUITER, SecurityRole.HIRING_MANAGER}:
        HiringTeamMember.objects.create(job=job, user=by, role=role)
    events.job_created(job=job, by=by)
    outbox.job_changed(job)
    return job


def _lock(job: Job) -> Job:
    """Lock the job's row and refresh the caller's instance, so decisions use current state."""
    Job.objects.select_for_update().filter(pk=job.pk).values_list("pk", flat=True).first()
    job.refresh_from_db()
    return job


def _transition(job: Job, *, by: User | None, to: str, comment: str = "") -> None:
    before = job.status
    job.status = to
    job.save(update_fields=["status", "updated_at", "close_reason", "activated_at", "closed_at"])
    events.job_transitioned(job=job, by=by, before=before, after=to, comment=comment)
    outbox.job_changed(job)
    posting_description_refresh(job)


@transaction.atomic
def job_update(*, job: Job, by: User, **fields: Any) -> Job:
    """Edit a job's details; an approved, pending or rejected job returns to Draft."""
    _lock(job)
    require_job(by, job, Perm.EDIT_JOB)
    if job.status == JobStatus.CLOSED:
        raise ValidationError("A closed job cannot be edited.", code="closed")
    fields = _clean_fields(fields)
    changed = [k for k, v in fields.items() if getattr(job, k) != v]
    if not changed:
        return job
    for key in changed:
        setattr(job, key, fields[key])
    _validate_job(job)
    job.save()
    events.job_updated(job=job, by=by, fields=sorted(changed))
    outbox.job_changed(job)
    if job.status in _BACK_TO_DRAFT:
        _cancel_pending_approvals(job)
        # The transition saves the job again and prepares its LinkedIn description then.
        _transition(job, by=by, to=JobStatus.DRAFT, comment="Edited: approvals start over.")
    else:
        posting_description_refresh(job)
    return job


def _cancel_pending_approvals(job: Job) -> None:
    job.approvals.filter(round=job.approval_round, decision=ApprovalDecision.PENDING).delete()


def _default_approvers(job: Job) -> list[User]:
    return [
        m.user
        for m in job.team.filter(role=TeamRole.HIRING_MANAGER, delegate_of=None).select_related(
            "user"
        )
        if m.user.is_active
    ]


@transaction.atomic
def job_submit_for_approval(
    *, job: Job, by: User, approvers: Iterable[User] | None = None
) -> list[JobApproval]:
    """Draft (or Rejected) → Pending approval; approvers decide in parallel."""
    _lock(job)
    require_job(by, job, Perm.EDIT_JOB)
    if not job.requires_approval:
        raise ValidationError(
            "This job needs no approval: activate it directly.", code="no_approval"
        )
    if job.status not in (JobStatus.DRAFT, JobStatus.REJECTED):
        raise ValidationError(
            f"Only a draft or rejected job can be submitted, not a {job.get_status_display()} one.",
            code="illegal_transition",
        )
    chosen = list({u.pk: u for u in (approvers or _default_approvers(job))}.values())
    if not chosen:
        raise ValidationError(
            "Name at least one approver, or add a hiring manager to the team.", code="no_approvers"
        )
    if any(not u.is_active for u in chosen):
        raise ValidationError("Approvers must be active users.", code="inactive_approver")
    job.approval_round += 1
    job.save(update_fields=["approval_round"])
    approvals = JobApproval.objects.bulk_create(
        JobApproval(job=job, approver=u, round=job.approval_round) for u in chosen
    )
    _transition(job, by=by, to=JobStatus.PENDING_APPROVAL)
    return approvals


@transaction.atomic
def job_decide_approval(*, job: Job, by: User, approve: bool, comment: str = "") -> JobApproval:
    """Record one approver's decision: one rejection rejects, all approvals approve."""
    _lock(job)
    if job.status != JobStatus.PENDING_APPROVAL:
        raise ValidationError("This job is not waiting for approval.", code="illegal_transition")
    approval = job.approvals.filter(
        round=job.approval_round, approver=by, decision=ApprovalDecision.PENDING
    ).first()
    if approval is None:
        raise PermissionDenied("You have no pending approval on this job.")
    comment = comment.strip()
    if not approve and not comment:
        raise field_error("comment", "Say why you reject the job.", "comment_required")
    approval.decision = ApprovalDecision.APPROVED if approve else ApprovalDecision.REJECTED
    approval.comment, approval.decided_at = comment, timezone.now()
    approval.save()
    events.job_approval_decided(
        approval=approval, by=by, decision=approval.decision, comment=comment
    )
    if not approve:
        _transition(job, by=by, to=JobStatus.REJECTED, comment=comment)
    elif (
        not job.approvals.filter(round=job.approval_round)
        .exclude(decision=ApprovalDecision.APPROVED)
        .exists()
    ):
        _transition(job, by=by, to=JobStatus.APPROVED)
    return approval


@transaction.atomic
def job_activate(*, job: Job, by: User) -> Job:
    """Approved (or Draft when no approval is needed) → Active: the job takes applicants."""
    _lock(job)
    require_job(by, job, Perm.ACTIVATE_JOB)
    allowed = {JobStatus.APPROVED} | (set() if job.requires_approval else {JobStatus.DRAFT})
    if job.status not in allowed:
        needs = " It needs approval first." if job.requires_approval else ""
        raise ValidationError(
            f"A {job.get_status_display().lower()} job cannot be activated.{needs}",
            code="illegal_transition",
        )
    validate_stages([StageSpec(s.name, s.kind) for s in job.stages.all()])
    job.activated_at = job.activated_at or timezone.now()
    _transition(job, by=by, to=JobStatus.ACTIVE)
    return job


@transaction.atomic
def job_close(*, job: Job, by: User, reason: str, comment: str = "") -> Job:
    """Active → Closed, as cancelled or as filled (which needs a hired applicant)."""
    _lock(job)
    require_job(by, job, Perm.CLOSE_JOB)
    if job.status != JobStatus.ACTIVE:
        raise ValidationError("Only an active job can be closed.", code="illegal_transition")
    if reason not in CloseReason.values:
        raise field_error("reason", "Choose cancelled or position filled.", "invalid")
    if (
        reason == CloseReason.FILLED
        and not job.applications.filter(status=ApplicationStatus.HIRED).exists()
    ):
        raise ValidationError(
            "A job is filled only when an applicant is hired: hire them first.", code="nobody_hired"
        )
    job.close_reason, job.closed_at = reason, timezone.now()
    _transition(job, by=by, to=JobStatus.CLOSED, comment=comment)
    return job


@transaction.atomic
def job_close_filled(*, job: Job, by: User, application: Application, comment: str = "") -> Job:
    """Close as filled by the chosen applicant, hiring them first if they are still active."""
    from candidates.services import application_hire

    require_job(by, job, Perm.CLOSE_JOB)
    if job.status != JobStatus.ACTIVE:
        raise ValidationError("Only an active job can be closed.", code="illegal_transition")
    if application.job_id != job.pk:
        raise field_error(
            "application", "That applicant is not on this job.", "unknown_application"
        )
    if application.status == ApplicationStatus.ACTIVE:
        application_hire(application=application, by=by)
    elif application.status != ApplicationStatus.HIRED:
        raise field_error(
            "application",
            f"A {application.get_status_display().lower()} applicant cannot fill the job.",
            "not_hireable",
        )
    return job_close(job=job, by=by, reason=CloseReason.FILLED, comment=comment)


@transaction.atomic
def job_delete(*, job: Job, by: User) -> None:
    """Delete a job (hiring managers only while it has no applicants)."""
    require_job(by, job, Perm.DELETE_JOB)
    events.job_deleted(job=job, by=by)
    outbox.job_deleted(job)
    # Applications first: a stage that holds candidates is protected from deletion on its own.
    job.applications.all().delete()
    job.delete()


# --- Hiring team


def _check_team_role(user: User, role: str) -> None:
    if role not in TeamRole.values:
        raise field_error("role", f"Unknown team role {role!r}.", "invalid")
    if not user.is_active:
        raise ValidationError({"user": "Inactive users cannot join a hiring team."})
    needed = _TEAM_SECURITY_ROLE.get(role)
    if needed and not user.has_role(needed):
        raise field_error(
            "user",
            f"{user} does not have the {SecurityRole(needed).label} security role.",
            "role_not_held",
        )


@transaction.atomic
def team_member_add(*, job: Job, by: User, user: User, role: str) -> HiringTeamMember:
    """Add someone to the job's hiring team in a role their security roles allow."""
    require_job(by, job, Perm.EDIT_JOB)
    _check_team_role(user, role)
    if job.team.filter(user=user, role=role).exists():
        raise ValidationError({"user": f"{user} is already on the team in that role."})
    member = HiringTeamMember.objects.create(job=job, user=user, role=role)
    events.team_member_added(member=member, by=by)
    outbox.job_team_changed(job)
    return member


@transaction.atomic
def team_delegate_add(
    *, job: Job, by: User, delegate: User, principal: HiringTeamMember | None = None
) -> HiringTeamMember:
    """A recruiter or hiring manager names a delegate for themselves on this job."""
    principal = (
        principal
        or job.team.filter(user=by, delegate_of=None, role__in=list(_TEAM_SECURITY_ROLE)).first()
    )
    if principal is None or principal.job_id != job.pk or principal.role not in _TEAM_SECURITY_ROLE:
        raise PermissionDenied("Only the job's recruiters and hiring managers name delegates.")
    if principal.user_id != by.pk and not is_admin(by):
        raise PermissionDenied("Delegates are named by the team member for themselves.")
    if principal.delegate_of_id:
        raise ValidationError("A delegate cannot name delegates.", code="invalid")
    _check_team_role(delegate, principal.role)
    if job.team.filter(user=delegate, role=principal.role).exists():
        raise ValidationError({"delegate": f"{delegate} already has that role on this job."})
    member = HiringTeamMember.objects.create(
        job=job, user=delegate, role=principal.role, delegate_of=principal
    )
    events.team_member_added(member=member, by=by)
    outbox.job_team_changed(job)
    return member


@transaction.atomic
def team_member_remove(*, member: HiringTeamMember, by: User) -> None:
    """Remove a member (and their delegates); a job keeps at least one recruiter or manager."""
    job = member.job
    require_job(by, job, Perm.EDIT_JOB)
    leaders = job.team.filter(role__in=list(_TEAM_SECURITY_ROLE), delegate_of=None)
    is_leader = member.delegate_of_id is None and member.role in _TEAM_SECURITY_ROLE
    if is_leader and not leaders.exclude(pk=member.pk).exists():
        raise ValidationError(
            "A job keeps at least one recruiter or hiring manager.", code="last_leader"
        )
    events.team_member_removed(member=member, by=by)
    member.delete()
    outbox.job_team_changed(job)


# --- Process (the job's own stages)


@transaction.atomic
def job_process_set(*, job: Job, by: User, stages: Sequence[StageSpec]) -> list[JobStage]:
    """Replace the job's stages (rename, add, reorder, remove); only until the job is activated."""
    require_job(by, job, Perm.EDIT_JOB)
    if job.activated_at is not None or job.status in (JobStatus.ACTIVE, JobStatus.CLOSED):
        raise ValidationError(
            "The process is fixed once the job has been activated.", code="locked"
        )
    validate_stages(stages)
    _lock(job)
    existing = {s.pk: s for s in job.stages.all()}
    unknown = {s.id for s in stages if s.id is not None} - set(existing)
    if unknown:
        raise ValidationError("A stage does not belong to this job.", code="unknown_stage")
    removed = set(existing) - {s.id for s in stages}
    if JobStage.objects.filter(pk__in=removed, applications__isnull=False).exists():
        raise ValidationError("A stage that holds candidates cannot be removed.", code="in_use")
    JobStage.objects.filter(pk__in=removed).delete()
    # Shift positions out of the way first: (job, position) is unique.
    job.stages.update(position=F("position") + 1000)
    result = [_save_stage(job, spec, index, existing) for index, spec in enumerate(stages)]
    events.job_process_changed(job=job, by=by, stages=[s.name for s in result])
    if job.status in _BACK_TO_DRAFT:
        _cancel_pending_approvals(job)
        _transition(
            job, by=by, to=JobStatus.DRAFT, comment="Process changed: approvals start over."
        )
    return result


def _save_stage(job: Job, spec: StageSpec, index: int, existing: dict[int, JobStage]) -> JobStage:
    stage = existing.get(spec.id) if spec.id else None
    stage = stage or JobStage(job=job)
    if stage.pk and stage.kind != spec.kind and stage.applications.exists():
        raise ValidationError(
            "The kind of a stage holding candidates cannot change.", code="in_use"
        )
    stage.name, stage.kind, stage.position = spec.name.strip(), spec.kind, index
    stage.hiring_manager_can_add_prospects = (
        spec.kind == StageKind.PROSPECT and spec.hiring_manager_can_add_prospects
    )
    stage.save()
    return stage


# --- Process templates (administrators)


@transaction.atomic
def template_save(
    *,
    by: User,
    name: str,
    stages: Sequence[StageSpec],
    template: ProcessTemplate | None = None,
    requires_approval: bool = False,
    is_default: bool = False,
    description: str = "",
) -> ProcessTemplate:
    """Create or update a process template; running jobs keep their own copies."""
    require_admin(by)
    validate_stages(stages)
    created = template is None
    template = template or ProcessTemplate()
    if template.is_default and not is_default:
        raise ValidationError("Make another template the default instead.", code="default_needed")
    template.name, template.description = name.strip(), description
    template.requires_approval = requires_approval
    template.full_clean(exclude=["is_default"])
    if is_default:
        ProcessTemplate.objects.filter(is_default=True).exclude(pk=template.pk).update(
            is_default=False
        )
    template.is_default = is_default
    template.save()
    template.stages.all().delete()
    template.stages.model.objects.bulk_create(
        template.stages.model(
            template=template,
            name=s.name.strip(),
            kind=s.kind,
            position=i,
            hiring_manager_can_add_prospects=s.kind == StageKind.PROSPECT
            and s.hiring_manager_can_add_prospects,
        )
        for i, s in enumerate(stages)
    )
    events.template_saved(template=template, by=by, created=created)
    return template
