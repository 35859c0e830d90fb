"""Writes on talent pools: create, share, members, move members onto a job."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from attract.access import can_use_pools, is_admin
from attract.errors import field_error
from attract.models import User
from candidates.models import Application, Candidate
from candidates.services import application_create
from jobs.choices import StageKind
from jobs.models import Job
from talentpools import events
from talentpools.models import LINKEDIN_POOL_KEY, TalentPool, TalentPoolMember


def _require_pool_user(by: User) -> None:
    if not can_use_pools(by):
        raise PermissionDenied("Talent pools are for recruiters and hiring managers.")


def _require_owner(pool: TalentPool, by: User) -> None:
    if not (is_admin(by) or (pool.owner_id == by.pk and can_use_pools(by))):
        raise PermissionDenied("Only the pool's owner may do this.")


def _require_contributor(pool: TalentPool, by: User | None) -> None:
    if by is None or is_admin(by):
        return
    _require_pool_user(by)
    if pool.is_system or pool.owner_id == by.pk or pool.contributors.filter(pk=by.pk).exists():
        return
    raise PermissionDenied("This pool is not shared with you.")


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise ValidationError({"name": "A pool needs a name of at most 120 characters."})
    return name


@transaction.atomic
def pool_create(
    *, by: User, name: str, description: str = "", members: Iterable[Candidate] = ()
) -> TalentPool:
    """Create a pool owned by its creator, optionally with its first members."""
    _require_pool_user(by)
    pool = TalentPool.objects.create(name=_clean_name(name), description=description, owner=by)
    events.pool_saved(pool=pool, by=by, created=True)
    members = list(members)
    if members:
        pool_add_members(pool=pool, by=by, candidates=members)
    return pool


@transaction.atomic
def pool_update(*, pool: TalentPool, by: User, name: str, description: str = "") -> TalentPool:
    _require_owner(pool, by)
    if pool.is_system and _clean_name(name) != pool.name:
        raise field_error("name", "A system pool cannot be renamed.", "system_pool")
    pool.name, pool.description = _clean_name(name), description
    pool.save()
    events.pool_saved(pool=pool, by=by, created=False)
    return pool


@transaction.atomic
def pool_delete(*, pool: TalentPool, by: User) -> None:
    if pool.is_system:
        raise ValidationError("A system pool cannot be deleted.", code="system_pool")
    _require_owner(pool, by)
    events.pool_deleted(pool=pool, by=by)
    pool.delete()


@transaction.atomic
def pool_share(*, pool: TalentPool, by: User, user: User) -> None:
    """Let another recruiter or hiring manager contribute to the pool."""
    _require_owner(pool, by)
    if not can_use_pools(user) or not user.is_active:
        raise field_error("user", f"{user} cannot use talent pools.", "not_pool_user")
    if user.pk == pool.owner_id:
        raise ValidationError({"user": "The owner already has the pool."})
    pool.contributors.add(user)
    events.pool_shared(pool=pool, by=by, user=user, shared=True)


@transaction.atomic
def pool_unshare(*, pool: TalentPool, by: User, user: User) -> None:
    _require_owner(pool, by)
    pool.contributors.remove(user)
    events.pool_shared(pool=pool, by=by, user=user, shared=False)


@transaction.atomic
def pool_add_members(
    *, pool: TalentPool, by: User | None, candidates: Iterable[Candidate]
) -> list[TalentPoolMember]:
    """Add candidates (already-present ones are skipped)."""
    _require_contributor(pool, by)
    wanted = {c.pk: c for c in candidates}
    present = set(pool.memberships.filter(candidate__in=wanted).values_list("candidate", flat=True))
    added = TalentPoolMember.objects.bulk_create(
        TalentPoolMember(pool=pool, candidate=c, added_by=by)
        for pk, c in wanted.items()
        if pk not in present
    )
    if added:
        events.pool_members_changed(
            pool=pool, by=by, added=[m.candidate_id for m in added], removed=[]
        )
    return added


@transaction.atomic
def pool_remove_members(*, pool: TalentPool, by: User, candidates: Iterable[Candidate]) -> int:
    _require_contributor(pool, by)
    ids = [c.pk for c in candidates]
    removed, _ = pool.memberships.filter(candidate__in=ids).delete()
    if removed:
        events.pool_members_changed(pool=pool, by=by, added=[], removed=ids)
    return removed


@transaction.atomic
def pool_member_move_to_job(
    *, pool: TalentPool, by: User, candidate: Candidate, job: Job
) -> Application:
    """Put a pool member on a job: Prospect stage when the job has one, else Application."""
    _require_contributor(pool, by)
    if not pool.memberships.filter(candidate=candidate).exists():
        raise ValidationError("That candidate is not in this pool.", code="not_member")
    has_prospect = job.stages.filter(kind=StageKind.PROSPECT).exists()
    return application_create(candidate=candidate, job=job, by=by, prospect=has_prospect)


def linkedin_pool() -> TalentPool:
    return TalentPool.objects.get(system_key=LINKEDIN_POOL_KEY)


# Refusals about the job itself (closed, no entry stage) stop a bulk move; others skip a member.
JOB_LEVEL_CODES = frozenset({"job_not_active", "no_stage"})


@transaction.atomic
def pool_members_move_to_job(
    *, pool: TalentPool, by: User, candidates: Iterable[Candidate], job: Job
) -> tuple[list[Application], list[str]]:
    """Move members onto a job in one transaction; returns (moved, reasons members were skipped).

    A member the job refuses (already on it) is skipped and reported; a refusal about the job
    (closed, no entry stage) raises and nothing moves.
    """
    moved, refused = [], []
    for candidate in candidates:
        try:
            moved.append(pool_member_move_to_job(pool=pool, by=by, candidate=candidate, job=job))
        except ValidationError as exc:
            if getattr(exc, "code", None) in JOB_LEVEL_CODES:
                raise
            refused.append(f"{candidate.full_name}: {' '.join(exc.messages)}")
    return moved, refused
