"""SPEC 1 "Talent pools": the system LinkedIn pool, owners and contributors, members, and
moving a member onto a job.

rita owns the pools under test; hank (a hiring manager) is the colleague she shares with; otto
is a recruiter she has not shared with; ivan only interviews and has no pools.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from attract.models import Event
from candidates.models import Application, Candidate
from jobs.choices import StageKind
from jobs.process import StageSpec
from jobs.services import job_activate, job_create, template_save
from talentpools.models import TalentPool, TalentPoolMember
from talentpools.services import (
    linkedin_pool,
    pool_add_members,
    pool_create,
    pool_delete,
    pool_member_move_to_job,
    pool_remove_members,
    pool_share,
    pool_unshare,
    pool_update,
)
from tests.conftest import JOB_FIELDS
from tests.factories import CandidateFactory, UserFactory


def codes_of(error: ValidationError) -> set:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def state_of(pool: TalentPool) -> dict:
    pool.refresh_from_db()
    return {
        "name": pool.name,
        "description": pool.description,
        "owner": pool.owner_id,
        "contributors": sorted(pool.contributors.values_list("pk", flat=True)),
        "members": sorted(pool.memberships.values_list("candidate_id", flat=True)),
    }


@pytest.fixture
def pool(recruiter):
    return pool_create(by=recruiter, name="Backend engineers", description="Python, Go")


@pytest.fixture
def shared_pool(pool, recruiter, manager):
    pool_share(pool=pool, by=recruiter, user=manager)
    return pool


# --- The system LinkedIn pool


def test_the_linkedin_pool_is_there_from_the_start(db):
    system = linkedin_pool()

    assert (system.name, system.owner, system.is_system) == ("LinkedIn", None, True)


@pytest.mark.parametrize("who", ["admin_user", "recruiter"])
def test_the_linkedin_pool_cannot_be_deleted(db, request, who):
    system = linkedin_pool()
    before = state_of(system)

    with pytest.raises(ValidationError) as refused:
        pool_delete(pool=system, by=request.getfixturevalue(who))

    assert codes_of(refused.value) == {"system_pool"}
    assert state_of(system) == before


def test_the_linkedin_pool_cannot_be_renamed(admin_user):
    system = linkedin_pool()
    before = state_of(system)

    with pytest.raises(ValidationError) as refused:
        pool_update(pool=system, by=admin_user, name="LinkedIn stubs")

    assert "name" in refused.value.message_dict
    assert state_of(system) == before


def test_renaming_the_linkedin_pool_carries_the_system_pool_code(admin_user):
    with pytest.raises(ValidationError) as refused:
        pool_update(pool=linkedin_pool(), by=admin_user, name="LinkedIn stubs")

    assert codes_of(refused.value) == {"system_pool"}


def test_a_recruiter_cannot_edit_the_linkedin_pool(recruiter):
    system = linkedin_pool()
    before = state_of(system)

    with pytest.raises(PermissionDenied):
        pool_update(pool=system, by=recruiter, name="LinkedIn", description="Mine now")

    assert state_of(system) == before


def test_every_pool_user_may_add_to_the_linkedin_pool(outsider, candidate):
    pool_add_members(pool=linkedin_pool(), by=outsider, candidates=[candidate])

    assert linkedin_pool().memberships.filter(candidate=candidate).exists()


# --- Owning and sharing


def test_a_pool_belongs_to_its_creator(pool, recruiter):
    assert (pool.owner, pool.name, pool.is_system) == (recruiter, "Backend engineers", False)
    event = Event.objects.get(type="pool.created")
    assert (event.actor, event.parameters["name"]) == (recruiter, "Backend engineers")


@pytest.mark.parametrize("name", ["", "   ", "x" * 121])
def test_a_pool_needs_a_name_of_at_most_120_characters(recruiter, name):
    pools = TalentPool.objects.count()

    with pytest.raises(ValidationError):
        pool_create(by=recruiter, name=name)

    assert TalentPool.objects.count() == pools


def test_the_owner_shares_and_unshares(pool, recruiter, manager):
    pool_share(pool=pool, by=recruiter, user=manager)
    assert list(pool.contributors.all()) == [manager]

    pool_unshare(pool=pool, by=recruiter, user=manager)
    assert not pool.contributors.exists()

    assert list(
        Event.objects.filter(type__in=["pool.shared", "pool.unshared"])
        .order_by("id")
        .values_list("type", "actor", "parameters__user_id")
    ) == [("pool.shared", recruiter.pk, manager.pk), ("pool.unshared", recruiter.pk, manager.pk)]


@pytest.mark.parametrize("call", ["share", "unshare", "rename", "delete"])
def test_only_the_owner_shares_renames_or_deletes(shared_pool, manager, outsider, call):
    before = state_of(shared_pool)
    attempts = {
        "share": lambda: pool_share(pool=shared_pool, by=manager, user=outsider),
        "unshare": lambda: pool_unshare(pool=shared_pool, by=manager, user=manager),
        "rename": lambda: pool_update(pool=shared_pool, by=manager, name="Hank's now"),
        "delete": lambda: pool_delete(pool=shared_pool, by=manager),
    }

    with pytest.raises(PermissionDenied):
        attempts[call]()

    assert state_of(shared_pool) == before


@pytest.mark.parametrize("who", ["interviewer", "readonly"])
def test_a_pool_is_not_shared_with_someone_who_cannot_use_pools(pool, recruiter, request, who):
    before = state_of(pool)

    with pytest.raises(ValidationError) as refused:
        pool_share(pool=pool, by=recruiter, user=request.getfixturevalue(who))

    assert "user" in refused.value.message_dict
    assert state_of(pool) == before


def test_sharing_with_an_interviewer_carries_the_not_pool_user_code(pool, recruiter, interviewer):
    with pytest.raises(ValidationError) as refused:
        pool_share(pool=pool, by=recruiter, user=interviewer)

    assert codes_of(refused.value) == {"not_pool_user"}


def test_a_pool_is_not_shared_with_a_deactivated_recruiter(pool, recruiter):
    gone = UserFactory(is_active=False, roles=["recruiter"])
    before = state_of(pool)

    with pytest.raises(ValidationError):
        pool_share(pool=pool, by=recruiter, user=gone)

    assert state_of(pool) == before


def test_the_owner_deletes_their_pool_but_not_its_candidates(pool, recruiter, candidate):
    pool_add_members(pool=pool, by=recruiter, candidates=[candidate])

    pool_delete(pool=pool, by=recruiter)

    assert not TalentPool.objects.filter(name="Backend engineers").exists()
    assert not TalentPoolMember.objects.exists()
    assert Candidate.objects.filter(pk=candidate.pk).exists()


# --- Members


def test_a_contributor_adds_members(shared_pool, manager):
    people = [CandidateFactory(), CandidateFactory()]

    added = pool_add_members(pool=shared_pool, by=manager, candidates=people)

    assert {m.candidate for m in added} == set(people)
    assert {m.added_by for m in added} == {manager}


def test_a_recruiter_the_pool_is_not_shared_with_cannot_add(pool, outsider, candidate):
    before = state_of(pool)

    with pytest.raises(PermissionDenied):
        pool_add_members(pool=pool, by=outsider, candidates=[candidate])

    assert state_of(pool) == before


def test_unsharing_takes_the_right_to_add_away(shared_pool, recruiter, manager, candidate):
    pool_unshare(pool=shared_pool, by=recruiter, user=manager)
    before = state_of(shared_pool)

    with pytest.raises(PermissionDenied):
        pool_add_members(pool=shared_pool, by=manager, candidates=[candidate])

    assert state_of(shared_pool) == before


def test_an_interviewer_cannot_add_even_to_the_linkedin_pool(interviewer, candidate):
    with pytest.raises(PermissionDenied):
        pool_add_members(pool=linkedin_pool(), by=interviewer, candidates=[candidate])

    assert not TalentPoolMember.objects.exists()


def test_a_member_is_added_once(pool, recruiter, candidate):
    # given the same candidate twice in one call, then again
    first = pool_add_members(pool=pool, by=recruiter, candidates=[candidate, candidate])
    again = pool_add_members(pool=pool, by=recruiter, candidates=[candidate])

    assert len(first) == 1
    assert again == []
    assert pool.memberships.count() == 1
    assert Event.objects.filter(type="pool.members_changed").count() == 1


def test_members_are_removed(pool, recruiter, candidate):
    pool_add_members(pool=pool, by=recruiter, candidates=[candidate])

    assert pool_remove_members(pool=pool, by=recruiter, candidates=[candidate]) == 1
    assert not pool.memberships.exists()


# --- From a pool onto a job


@pytest.fixture
def member(pool, recruiter, candidate):
    pool_add_members(pool=pool, by=recruiter, candidates=[candidate])
    return candidate


def test_a_member_moved_onto_a_job_with_a_prospect_stage_lands_in_prospect(
    pool, recruiter, member, job
):
    application = pool_member_move_to_job(pool=pool, by=recruiter, candidate=member, job=job)

    assert (application.candidate, application.job) == (member, job)
    assert application.stage.kind == StageKind.PROSPECT
    assert pool.memberships.filter(candidate=member).exists()


def test_a_member_moved_onto_a_job_without_prospect_stage_lands_in_application(
    pool, admin_user, recruiter, member
):
    # given an active job whose process starts at Application
    direct = template_save(
        by=admin_user,
        name="Direct applications",
        stages=[
            StageSpec("Application", StageKind.APPLICATION),
            StageSpec("Interview", StageKind.INTERVIEW),
            StageSpec("Offer", StageKind.OFFER),
            StageSpec("Hired", StageKind.HIRED),
        ],
    )
    job = job_create(by=recruiter, template=direct, **JOB_FIELDS)
    job_activate(job=job, by=recruiter)
    assert not job.stages.filter(kind=StageKind.PROSPECT).exists()

    application = pool_member_move_to_job(pool=pool, by=recruiter, candidate=member, job=job)

    assert application.stage == job.stages.get(kind=StageKind.APPLICATION)


def test_someone_outside_the_pool_cannot_be_moved_from_it(pool, recruiter, job):
    stranger = CandidateFactory()

    with pytest.raises(ValidationError) as refused:
        pool_member_move_to_job(pool=pool, by=recruiter, candidate=stranger, job=job)

    assert codes_of(refused.value) == {"not_member"}
    assert not Application.objects.exists()


def test_a_recruiter_the_pool_is_not_shared_with_cannot_move_its_members(
    pool, outsider, member, job
):
    with pytest.raises(PermissionDenied):
        pool_member_move_to_job(pool=pool, by=outsider, candidate=member, job=job)

    assert not Application.objects.exists()


def test_a_member_already_on_the_job_is_not_moved_twice(pool, recruiter, member, job):
    pool_member_move_to_job(pool=pool, by=recruiter, candidate=member, job=job)

    with pytest.raises(ValidationError) as refused:
        pool_member_move_to_job(pool=pool, by=recruiter, candidate=member, job=job)

    assert codes_of(refused.value) == {"duplicate_application"}
    assert Application.objects.count() == 1
