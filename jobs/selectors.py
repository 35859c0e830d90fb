"""Reads of jobs, scoped to the user."""

from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from attract.access import Perm, job_can, jobs_visible_to
from attract.models import Event, SecurityRole, User
from candidates.models import Application, ApplicationStatus
from jobs.choices import ApprovalDecision, JobStatus, StageKind, TeamRole
from jobs.models import HiringTeamMember, Job, JobApproval, JobStage

OPEN_STATUSES = [s for s in JobStatus.values if s != JobStatus.CLOSED]
LEADER_ROLES: dict[str, str] = {
    TeamRole.RECRUITER: SecurityRole.RECRUITER,
    TeamRole.HIRING_MANAGER: SecurityRole.HIRING_MANAGER,
}


def open_jobs_of(user: User) -> QuerySet[Job]:
    """Jobs not yet closed where the user is on the hiring team, with their applicant counts."""
    return (
        Job.objects.filter(team__user=user, status__in=OPEN_STATUSES)
        .distinct()
        .annotate(
            applicant_count=Count(
                "applications",
                filter=Q(applications__status=ApplicationStatus.ACTIVE)
                & ~Q(applications__stage__kind=StageKind.PROSPECT),
                distinct=True,
            )
        )
        .order_by("-updated_at")
    )


def approvals_waiting_for(user: User) -> QuerySet[JobApproval]:
    return (
        JobApproval.objects.filter(
            approver=user,
            decision=ApprovalDecision.PENDING,
            job__status=JobStatus.PENDING_APPROVAL,
            round=F("job__approval_round"),
        )
        .select_related("job")
        .order_by("requested_at")
    )


# --- The job list


def job_list_for(
    user: User,
    *,
    status: str = "",
    mine: bool = False,
    country: str = "",
    city: str = "",
    search: str = "",
) -> QuerySet[Job]:
    """Jobs the user may see, filtered, each with its count of active applicants."""
    qs = jobs_visible_to(user)
    if status:
        qs = qs.filter(status=status)  # job_status_public_idx
    if mine:
        # team_user_job_idx: the user's memberships, then their jobs.
        qs = qs.filter(Exists(HiringTeamMember.objects.filter(job=OuterRef("pk"), user=user)))
    if country:
        qs = qs.filter(country=country.upper())  # job_location_idx (country, city)
    if city.strip():
        qs = qs.filter(city__iexact=city.strip())
    for word in search.split():
        qs = qs.filter(Q(title__icontains=word) | Q(number__icontains=word))
    return qs.annotate(applicant_count=_applicant_count()).order_by("-updated_at", "-id")


def _applicant_count() -> Coalesce:
    """Active applications past the Prospect stage: prospects are not applicants."""
    applicants = (
        Application.objects.filter(job=OuterRef("pk"), status=ApplicationStatus.ACTIVE)
        .exclude(stage__kind=StageKind.PROSPECT)
        .order_by()
        .values("job")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(applicants), 0)


# --- The job page


@dataclass(frozen=True)
class JobActions:
    """What the user may do on the job page: every control shown is one they may use."""

    see_applicants: bool
    edit: bool
    edit_postings: bool
    submit: bool
    decide: bool
    activate: bool
    close: bool
    delete: bool


def with_team(job: Job) -> Job:
    """Load the hiring team (and its users) once: `job_can` reads it from the prefetch."""
    team = HiringTeamMember.objects.select_related("user").order_by("id")
    prefetch_related_objects([job], Prefetch("team", queryset=team))
    return job


def job_actions(user: User, job: Job) -> JobActions:
    with_team(job)
    status = job.status
    activatable = {JobStatus.APPROVED} | (set() if job.requires_approval else {JobStatus.DRAFT})
    return JobActions(
        see_applicants=job_can(user, job, Perm.VIEW_APPLICANTS),
        edit=status != JobStatus.CLOSED and job_can(user, job, Perm.EDIT_JOB),
        edit_postings=job_can(user, job, Perm.EDIT_POSTINGS),
        submit=job.requires_approval
        and status in (JobStatus.DRAFT, JobStatus.REJECTED)
        and job_can(user, job, Perm.EDIT_JOB),
        decide=pending_approval_of(user, job) is not None,
        activate=status in activatable and job_can(user, job, Perm.ACTIVATE_JOB),
        close=status == JobStatus.ACTIVE and job_can(user, job, Perm.CLOSE_JOB),
        delete=job_can(user, job, Perm.DELETE_JOB),
    )


def pending_approval_of(user: User, job: Job) -> JobApproval | None:
    """The user's undecided approval in the job's current round, if the job waits for it."""
    if job.status != JobStatus.PENDING_APPROVAL or not user.is_authenticated:
        return None
    return job.approvals.filter(
        round=job.approval_round, approver=user, decision=ApprovalDecision.PENDING
    ).first()


def current_approvals(job: Job) -> list[JobApproval]:
    if not job.approval_round:
        return []
    return list(
        job.approvals.filter(round=job.approval_round)
        .select_related("approver")
        .order_by("approver__first_name", "approver__last_name", "id")
    )


@dataclass(frozen=True)
class Transition:
    actor: User | None
    at: object
    before: str
    after: str
    comment: str


def job_transitions(job: Job) -> list[Transition]:
    """The job's lifecycle from the audit log: who, when, from, to, comment (oldest first)."""
    events = (
        Event.objects.filter(job=job, type="job.transitioned")
        .select_related("actor")
        .order_by("created_at", "id")
    )
    return [
        Transition(
            actor=e.actor,
            at=e.created_at,
            before=_status_label(e.parameters.get("before", "")),
            after=_status_label(e.parameters.get("after", "")),
            comment=e.parameters.get("comment", ""),
        )
        for e in events
    ]


def _status_label(value: str) -> str:
    return JobStatus(value).label if value in JobStatus.values else value


# --- Hiring team


@dataclass
class TeamEntry:
    member: HiringTeamMember
    delegates: list[HiringTeamMember]


def team_by_role(job: Job) -> list[tuple[str, str, list[TeamEntry]]]:
    """(role, label, members) in the order recruiter, hiring manager, interviewer; delegates
    listed under their principal."""
    members = list(with_team(job).team.all())
    delegates: dict[int, list[HiringTeamMember]] = {}
    for m in members:
        if m.delegate_of_id:
            delegates.setdefault(m.delegate_of_id, []).append(m)
    return [
        (
            role.value,
            role.label,
            [
                TeamEntry(m, delegates.get(m.pk, []))
                for m in members
                if m.role == role and m.delegate_of_id is None
            ],
        )
        for role in TeamRole
    ]


def team_member_of(job: Job, pk: int) -> HiringTeamMember:
    try:
        return job.team.select_related("job", "user").get(pk=pk)
    except (ValueError, HiringTeamMember.DoesNotExist) as exc:
        raise Http404("No such team member.") from exc


def staff_users() -> QuerySet[User]:
    """Active users holding at least one security role: who may sit on a team or approve."""
    return User.objects.filter(is_active=True, security_roles__isnull=False).distinct()


def users_for_team_role(job: Job, role: str) -> QuerySet[User]:
    """Users who may join the job in this role and are not yet in it."""
    needed = LEADER_ROLES.get(role)
    users = User.objects.with_role(needed) if needed else staff_users()
    in_role = HiringTeamMember.objects.filter(job=job, role=role, user=OuterRef("pk"))
    return users.exclude(Exists(in_role))


def my_principal_memberships(user: User, job: Job) -> list[HiringTeamMember]:
    """The user's own recruiter or hiring manager places on the job: who may name a delegate."""
    return [
        m
        for m in with_team(job).team.all()
        if m.user_id == user.pk and m.delegate_of_id is None and m.role in LEADER_ROLES
    ]


def default_approvers(job: Job) -> list[User]:
    return [
        m.user
        for m in with_team(job).team.all()
        if m.role == TeamRole.HIRING_MANAGER and m.delegate_of_id is None and m.user.is_active
    ]


# --- Process, closing, postings


def job_stages(job: Job) -> list[JobStage]:
    return list(job.stages.order_by("position"))


def process_locked(job: Job) -> bool:
    return job.activated_at is not None or job.status in (JobStatus.ACTIVE, JobStatus.CLOSED)


def applications_to_fill_with(job: Job) -> QuerySet[Application]:
    """Who can fill the job: its hired applicants, and active applicants (who get hired)."""
    return (
        job.applications.filter(
            Q(status=ApplicationStatus.HIRED)
            | Q(status=ApplicationStatus.ACTIVE) & ~Q(stage__kind=StageKind.PROSPECT)
        )
        .select_related("candidate", "stage")
        .order_by("-status", "candidate__last_name", "candidate__first_name", "pk")
    )


def career_site_listing(job: Job) -> tuple[bool, str]:
    """Whether the job is on the career site, and if not, why."""
    if job.internal_only:
        return False, "Internal-only jobs are never listed on the career site."
    if job.status != JobStatus.ACTIVE:
        return False, (
            f"Only active jobs are listed; this job is {job.get_status_display().lower()}."
        )
    return True, ""
