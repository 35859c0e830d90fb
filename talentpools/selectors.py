"""Reads of talent pools, scoped to the user (attract.access.pools_visible_to)."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from attract.access import is_admin, is_staff_user, pools_visible_to
from attract.models import SecurityRole, User, UserRole
from jobs.choices import JobStatus, StageKind, TeamRole
from jobs.models import HiringTeamMember, Job, JobStage
from talentpools.models import TalentPool, TalentPoolMember

POOL_ROLES = [SecurityRole.RECRUITER, SecurityRole.HIRING_MANAGER]


def pools_with_counts(user: User) -> QuerySet[TalentPool]:
    """The pools the user sees (own, shared, system) with owner and member count, system first."""
    return (
        pools_visible_to(user)
        .select_related("owner")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("-system_key", "name", "id")
    )


def pool_members(pool: TalentPool) -> QuerySet[TalentPoolMember]:
    return pool.memberships.select_related("candidate", "added_by").order_by("-added_at", "-id")


def jobs_open_for_pool_moves(user: User) -> QuerySet[Job]:
    """Active jobs the user may put pool members on: as prospects where the job has a Prospect
    stage (hiring managers only where that stage allows them), else as applicants."""
    active = Job.objects.filter(status=JobStatus.ACTIVE).order_by("number")
    if is_admin(user):
        return active
    if not is_staff_user(user):
        return active.none()
    team = HiringTeamMember.objects.filter(job=OuterRef("pk"), user=user)
    prospect = JobStage.objects.filter(job=OuterRef("pk"), kind=StageKind.PROSPECT)
    manager_may_add = ~Exists(prospect) | Exists(
        prospect.filter(hiring_manager_can_add_prospects=True)
    )
    return active.filter(
        Exists(team.filter(role=TeamRole.RECRUITER))
        | (Exists(team.filter(role=TeamRole.HIRING_MANAGER)) & manager_may_add)
    )


def users_to_share_with(pool: TalentPool) -> QuerySet[User]:
    """Active recruiters and hiring managers who do not have the pool yet."""
    return (
        User.objects.filter(is_active=True)
        .filter(Exists(UserRole.objects.filter(user=OuterRef("pk"), role__in=POOL_ROLES)))
        .exclude(Q(pk=pool.owner_id) | Q(shared_pools=pool))
        .order_by("first_name", "last_name", "username")
    )
