"""/api/v1/pools/: own, shared and system pools; members; sharing; moving members onto a job.

rita owns a pool, hank may be a contributor, ivan (interviewer) and rory (read-only) have no pools.
"""

import pytest

from candidates.models import Application
from jobs.choices import StageKind
from talentpools.models import TalentPool, TalentPoolMember
from talentpools.services import pool_add_members, pool_create, pool_share
from tests.api.conftest import AUTH_QUERIES, assert_error, warm
from tests.factories import CandidateFactory

POOLS = "/api/v1/pools/"


def url(pool, action: str = "") -> str:
    return f"{POOLS}{pool.pk}/" + (f"{action}/" if action else "")


@pytest.fixture
def pool(recruiter, candidate):
    return pool_create(by=recruiter, name="Backend people", members=[candidate])


def test_the_owner_and_contributors_see_a_pool(api, recruiter, manager, outsider, pool):
    assert {p["name"] for p in api(recruiter).get(POOLS).json()["results"]} == {
        "Backend people",
        "LinkedIn",
    }
    assert_error(api(manager).get(url(pool)), 404, "not_found")
    pool_share(pool=pool, by=recruiter, user=manager)
    detail = api(manager).get(url(pool)).json()
    assert (detail["member_count"], detail["contributors"]) == (1, [manager.pk])
    assert "Backend people" not in {p["name"] for p in api(outsider).get(POOLS).json()["results"]}


@pytest.mark.parametrize("actor", ["interviewer", "readonly"])
def test_who_has_no_pools_sees_none_and_creates_none(api, request, pool, actor):
    client = api(request.getfixturevalue(actor))
    assert client.get(POOLS).json()["count"] == 0
    assert_error(client.get(url(pool)), 404)
    assert_error(client.post(POOLS, {"name": "Mine"}), 403, "permission_denied")
    assert TalentPool.objects.filter(name="Mine").count() == 0


@pytest.mark.parametrize("rows", [3, 20])
def test_the_pool_list_costs_the_same_for_3_and_20_pools(
    api, recruiter, manager, rows, django_assert_num_queries
):
    for i in range(rows - 1):  # + the system LinkedIn pool
        pool = pool_create(by=recruiter, name=f"Pool {i}", members=[CandidateFactory()])
        pool_share(pool=pool, by=recruiter, user=manager)
    client = api(recruiter)
    warm(client, POOLS)
    # auth (token+user, roles), count, the page with owners and member counts, contributors.
    with django_assert_num_queries(AUTH_QUERIES + 3):
        assert client.get(POOLS).json()["count"] == rows


def test_create_rename_and_delete_my_pool(api, recruiter, candidate):
    client = api(recruiter)
    response = client.post(POOLS, {"name": "Designers", "members": [candidate.pk]})
    assert response.status_code == 201, response.content
    assert response.json()["member_count"] == 1
    pool_id = response.json()["id"]
    assert client.patch(f"{POOLS}{pool_id}/", {"name": "UX"}).json()["name"] == "UX"
    assert client.delete(f"{POOLS}{pool_id}/").status_code == 204
    assert not TalentPool.objects.filter(pk=pool_id).exists()


def test_a_contributor_may_not_rename_share_or_delete(api, recruiter, manager, outsider, pool):
    pool_share(pool=pool, by=recruiter, user=manager)
    client = api(manager)
    assert_error(client.patch(url(pool), {"name": "Mine now"}), 403)
    assert_error(client.post(url(pool, "share"), {"user": outsider.pk}), 403)
    assert_error(client.delete(url(pool)), 403)
    assert_error(client.post(url(pool, "unshare"), {"user": manager.pk}), 403)
    pool.refresh_from_db()
    assert pool.name == "Backend people"
    assert list(pool.contributors.all()) == [manager]


def test_the_system_pool_stays(api, admin_user):
    linkedin = TalentPool.objects.get(system_key="linkedin")
    assert_error(api(admin_user).delete(url(linkedin)), 400, "system_pool")
    response = api(admin_user).patch(url(linkedin), {"name": "Other"})
    assert_error(response, 400, "system_pool", fields=("name",))


def test_bad_pool_input_is_refused(api, recruiter, pool):
    assert_error(api(recruiter).post(POOLS, {"name": ""}), 400, fields=("name",))
    assert_error(api(recruiter).post(POOLS, {"name": "x", "members": [999999]}), 400)
    assert TalentPool.objects.filter(owner=recruiter).count() == 1


def test_members_are_listed_added_and_removed(api, recruiter, pool, candidate):
    client = api(recruiter)
    assert [m["candidate"] for m in client.get(url(pool, "members")).json()["results"]] == [
        candidate.pk
    ]
    newcomer = CandidateFactory()
    response = client.post(url(pool, "members"), {"candidates": [candidate.pk, newcomer.pk]})
    assert [m["candidate"] for m in response.json()["added"]] == [newcomer.pk]
    assert client.delete(url(pool, f"members/{newcomer.pk}")).status_code == 204
    assert_error(client.delete(url(pool, f"members/{newcomer.pk}")), 404)
    assert_error(client.post(url(pool, "members"), {"candidates": []}), 400)
    assert list(pool.memberships.values_list("candidate", flat=True)) == [candidate.pk]


def test_a_stranger_to_the_pool_may_not_touch_its_members(api, manager, pool, candidate):
    assert_error(api(manager).get(url(pool, "members")), 404)
    assert_error(api(manager).post(url(pool, "members"), {"candidates": [candidate.pk]}), 404)
    assert_error(api(manager).delete(url(pool, f"members/{candidate.pk}")), 404)
    assert pool.memberships.count() == 1


@pytest.mark.parametrize("rows", [3, 20])
def test_the_member_list_costs_the_same_for_3_and_20_members(
    api, recruiter, rows, django_assert_num_queries
):
    pool = pool_create(by=recruiter, name="Big")
    pool_add_members(pool=pool, by=recruiter, candidates=[CandidateFactory() for _ in range(rows)])
    client = api(recruiter)
    warm(client, url(pool, "members"))
    # auth (token+user, roles), the pool (scoped), count, the page with candidates.
    with django_assert_num_queries(AUTH_QUERIES + 3):
        assert client.get(url(pool, "members")).json()["count"] == rows


def test_share_and_unshare(api, recruiter, manager, interviewer, pool):
    client = api(recruiter)
    assert client.post(url(pool, "share"), {"user": manager.pk}).json()["contributors"] == [
        manager.pk
    ]
    assert_error(client.post(url(pool, "share"), {"user": interviewer.pk}), 400, "not_pool_user")
    assert client.post(url(pool, "unshare"), {"user": manager.pk}).json()["contributors"] == []


def test_members_move_onto_a_job_as_prospects(api, recruiter, interviewer, pool, job, candidate):
    body = {"candidates": [candidate.pk], "job": job.number}
    response = api(recruiter).post(url(pool, "move-to-job"), body)
    assert response.status_code == 200, response.content
    moved = response.json()["moved"]
    assert [m["stage_kind"] for m in moved] == [StageKind.PROSPECT]
    again = api(recruiter).post(url(pool, "move-to-job"), body).json()
    assert again["moved"] == [] and len(again["skipped"]) == 1
    assert Application.objects.filter(candidate=candidate).count() == 1


def test_moving_is_refused_outside_the_team_and_for_non_members(api, recruiter, outsider, job):
    own = pool_create(by=outsider, name="Otto's", members=[CandidateFactory()])
    member = own.memberships.get().candidate
    response = api(outsider).post(
        url(own, "move-to-job"), {"candidates": [member.pk], "job": job.number}
    )
    assert_error(response, 403, "permission_denied")
    stranger = CandidateFactory()
    response = api(outsider).post(
        url(own, "move-to-job"), {"candidates": [stranger.pk], "job": job.number}
    )
    assert response.json()["skipped"]
    assert not Application.objects.exists()
    assert TalentPoolMember.objects.count() == 1
