"""Who may do what: SPEC 1 "Roles", in one place for views, the API and the services.

`job_can(user, job, perm)` answers a question; `require_job(user, job, perm)` raises
PermissionDenied. The `*_for_user` helpers return an object the user may see or raise Http404,
and the `*_visible_to` selectors scope querysets the same way.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from attract.models import SecurityRole, User
from jobs.choices import StageKind, TeamRole


class Perm(StrEnum):
    VIEW_JOB = "view_job"
    EDIT_JOB = "edit_job"  # details, hiring team, process
    EDIT_POSTINGS = "edit_postings"
    VIEW_APPLICANTS = "view_applicants"
    ADD_APPLICANT = "add_applicant"
    ADD_PROSPECT = "add_prospect"
    ACTIVATE_JOB = "activate_job"
    CLOSE_JOB = "close_job"
    DELETE_JOB = "delete_job"
    ADVANCE_APPLICATION = "advance_application"
    REJECT_APPLICATION = "reject_application"
    DELETE_APPLICATION = "delete_application"
    EDIT_NOTES = "edit_notes"  # application notes and documents
    ADD_FEEDBACK = "add_feedback"
    SEE_ALL_FEEDBACK = "see_all_feedback"


_COMMON = {Perm.VIEW_JOB, Perm.VIEW_APPLICANTS, Perm.ADD_FEEDBACK}
# Cells marked "only if ..." in the SPEC are granted here and narrowed in `job_can`.
MATRIX: dict[str, frozenset[Perm]] = {
    TeamRole.RECRUITER: frozenset(_COMMON | set(Perm)),
    TeamRole.HIRING_MANAGER: frozenset(
        _COMMON
        | {
            Perm.EDIT_JOB,
            Perm.ADD_APPLICANT,
            Perm.ADD_PROSPECT,
            Perm.ACTIVATE_JOB,
            Perm.DELETE_JOB,
            Perm.ADVANCE_APPLICATION,
            Perm.EDIT_NOTES,
            Perm.SEE_ALL_FEEDBACK,
        }
    ),
    TeamRole.INTERVIEWER: frozenset(_COMMON | {Perm.SEE_ALL_FEEDBACK}),
}
STAFF_ROLES = frozenset(SecurityRole.values)


def is_admin(user: User) -> bool:
    return bool(user.is_authenticated and user.is_administrator)


def is_staff_user(user: User) -> bool:
    """Any signed-in, active user holding at least one security role."""
    return bool(user.is_authenticated and user.is_active and (user.role_set or user.is_superuser))


def team_roles(user: User, job) -> frozenset[str]:
    """The user's roles on the job's hiring team, delegates acting in their principal's role."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    prefetched = getattr(job, "_prefetched_objects_cache", {}).get("team")
    if prefetched is not None:
        return frozenset(m.role for m in prefetched if m.user_id == user.pk)
    return frozenset(job.team.filter(user=user).values_list("role", flat=True))


def job_can(user: User, job, perm: Perm) -> bool:
    if is_admin(user):
        return True
    if not is_staff_user(user):
        return False
    roles = team_roles(user, job)
    if perm == Perm.VIEW_JOB:
        return True  # job details are visible to every staff user; applicants are not
    granted = set().union(*(MATRIX[r] for r in roles)) if roles else set()
    if perm not in granted:
        return False
    if TeamRole.RECRUITER in roles:
        return True
    return _hiring_manager_condition(job, perm)


def _hiring_manager_condition(job, perm: Perm) -> bool:
    if perm == Perm.ADD_PROSPECT:
        return job.stages.filter(
            kind=StageKind.PROSPECT, hiring_manager_can_add_prospects=True
        ).exists()
    if perm == Perm.DELETE_JOB:
        return not job.applications.exclude(stage__kind=StageKind.PROSPECT).exists()
    return True


def require_job(user: User, job, perm: Perm) -> None:
    if not job_can(user, job, perm):
        raise PermissionDenied(f"You may not {perm.value.replace('_', ' ')} on {job.number}.")


def require_admin(user: User) -> None:
    if not is_admin(user):
        raise PermissionDenied("Only administrators may do this.")


def require_staff(user: User) -> None:
    if not is_staff_user(user):
        raise PermissionDenied("You have no role in this organisation.")


def can_use_pools(user: User) -> bool:
    return is_admin(user) or bool(
        user.is_authenticated
        and user.role_set & {SecurityRole.RECRUITER, SecurityRole.HIRING_MANAGER}
    )


# --- Querysets scoped to what a user may see.


def jobs_visible_to(user: User) -> QuerySet:
    from jobs.models import Job

    if is_admin(user) or is_staff_user(user):
        return Job.objects.all()
    return Job.objects.none()


def jobs_with_applicants_visible_to(user: User) -> QuerySet:
    from jobs.models import HiringTeamMember, Job

    if is_admin(user):
        return Job.objects.all()
    if not is_staff_user(user):
        return Job.objects.none()
    on_team = HiringTeamMember.objects.filter(job=OuterRef("pk"), user=user)
    return Job.objects.filter(Exists(on_team))


def applications_visible_to(user: User) -> QuerySet:
    from candidates.models import Application

    if is_admin(user):
        return Application.objects.all()
    return Application.objects.filter(job__in=jobs_with_applicants_visible_to(user).values("pk"))


def candidates_visible_to(user: User) -> QuerySet:
    """Recruiters and hiring managers see every candidate; others only their jobs' applicants."""
    from candidates.models import Candidate

    if is_admin(user) or can_use_pools(user):
        return Candidate.objects.all()
    if not is_staff_user(user):
        return Candidate.objects.none()
    return Candidate.objects.filter(
        Exists(applications_visible_to(user).filter(candidate=OuterRef("pk")))
    )


def pools_visible_to(user: User) -> QuerySet:
    from talentpools.models import TalentPool

    if is_admin(user):
        return TalentPool.objects.all()
    if not can_use_pools(user):
        return TalentPool.objects.none()
    return TalentPool.objects.filter(
        Q(owner=user) | Q(contributors=user) | ~Q(system_key="")
    ).distinct()


# --- One helper per object type: the object, or 404 / 403.


def job_for_user(user: User, number_or_pk: str | int, *, perm: Perm = Perm.VIEW_JOB):
    """The job by number (J-000123) or id; outsiders asking for more than its details get 404."""
    qs = jobs_visible_to(user)
    key = str(number_or_pk)
    lookup = {"number": key} if key.startswith("J-") else {"pk": key}
    try:
        job = qs.get(**lookup)
    except (ValueError, qs.model.DoesNotExist) as exc:
        raise Http404("No such job.") from exc
    if perm != Perm.VIEW_JOB and not job_can(user, job, Perm.VIEW_APPLICANTS):
        raise Http404("No such job.")
    require_job(user, job, perm)
    return job


def application_for_user(user: User, pk: int, *, perm: Perm = Perm.VIEW_APPLICANTS):
    qs = applications_visible_to(user).select_related("job", "candidate", "stage")
    try:
        application = qs.get(pk=pk)
    except (ValueError, qs.model.DoesNotExist) as exc:
        raise Http404("No such application.") from exc
    require_job(user, application.job, perm)
    return application


def candidate_for_user(user: User, pk: int):
    qs = candidates_visible_to(user)
    try:
        return qs.get(pk=pk)
    except (ValueError, qs.model.DoesNotExist) as exc:
        raise Http404("No such candidate.") from exc


def pool_for_user(user: User, pk: int, *, edit: bool = False):
    qs = pools_visible_to(user).select_related("owner")
    try:
        pool = qs.get(pk=pk)
    except (ValueError, qs.model.DoesNotExist) as exc:
        raise Http404("No such talent pool.") from exc
    if edit and not (is_admin(user) or pool.owner_id == user.pk):
        raise PermissionDenied("Only the pool's owner may change its sharing or delete it.")
    return pool
