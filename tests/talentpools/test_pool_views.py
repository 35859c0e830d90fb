"""Talent pool pages: list, create, pool page, bulk remove and move onto a job, edit, sharing,
delete; each page and POST per role, with bad input, payloads and pinned query counts."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from attract.selectors import organisation_get
from candidates.models import Application
from jobs.choices import JobStatus, StageKind
from jobs.process import StageSpec
from jobs.services import job_activate, job_close, template_save
from talentpools.models import TalentPool
from talentpools.services import linkedin_pool, pool_add_members, pool_create, pool_share
from tests.factories import CandidateFactory
from tests.xss import PAYLOADS, assert_inert

LIST = reverse("talentpools:list")
CREATE = reverse("talentpools:create")


def url(name: str, pool: TalentPool, *args) -> str:
    return reverse(f"talentpools:{name}", args=[pool.pk, *args])


@pytest.fixture
def pool(recruiter):
    """Rita's pool with three members."""
    pool = pool_create(by=recruiter, name="Backend talent", description="Python people")
    pool_add_members(pool=pool, by=recruiter, candidates=CandidateFactory.create_batch(3))
    return pool


@pytest.fixture
def shared_pool(pool, recruiter, manager):
    pool_share(pool=pool, by=recruiter, user=manager)
    return pool


def members(pool: TalentPool) -> list[int]:
    return sorted(pool.memberships.values_list("candidate", flat=True))


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- List


def test_the_list_shows_own_shared_and_system_pools_with_owner_and_member_count(
    client, shared_pool, manager, outsider
):
    pool_create(by=outsider, name="Otto's secret pool")
    own = pool_create(by=manager, name="Hank's own")
    client.force_login(manager)
    response = client.get(LIST)
    html = response.content.decode()
    listed = {p.name: p for p in response.context["pools"]}
    assert set(listed) == {"LinkedIn", "Backend talent", "Hank's own"}
    assert listed["Backend talent"].member_count == 3
    assert str(shared_pool.owner) in html
    assert "Shared with you" in html
    assert url("detail", own) in html
    assert "New pool" in html


@pytest.mark.parametrize("actor", ["interviewer", "readonly"])
def test_interviewers_and_read_only_users_have_no_pools(client, request, pool, actor):
    client.force_login(request.getfixturevalue(actor))
    response = client.get(LIST)
    assert response.status_code == 200
    assert "you have no pools" in response.content.decode()
    assert "Backend talent" not in response.content.decode()
    for target in [url("detail", pool), CREATE, url("detail", linkedin_pool())]:
        assert client.get(target).status_code == 404


def test_the_list_needs_a_sign_in(client, db):
    assert client.get(LIST)["Location"].startswith(reverse("login"))


# --- Create


def test_a_recruiter_creates_a_pool_and_lands_on_it(client, recruiter):
    client.force_login(recruiter)
    assert client.get(CREATE).status_code == 200
    response = client.post(CREATE, {"name": "  Designers ", "description": "UX"})
    pool = TalentPool.objects.get(name="Designers")
    assert response["Location"] == url("detail", pool)
    assert (pool.owner, pool.description) == (recruiter, "UX")


@pytest.mark.parametrize("name", ["", "   ", "x" * 121])
def test_a_pool_needs_a_name_of_at_most_120_characters(client, recruiter, name):
    client.force_login(recruiter)
    response = client.post(CREATE, {"name": name})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.content.decode()
    assert not TalentPool.objects.filter(owner=recruiter).exists()


def test_an_interviewer_cannot_create_a_pool_by_a_direct_post(client, interviewer):
    client.force_login(interviewer)
    assert client.post(CREATE, {"name": "Mine"}).status_code == 404
    assert not TalentPool.objects.filter(name="Mine").exists()


# --- Pool page


def test_the_owner_sees_members_and_the_owner_controls(client, pool, recruiter):
    client.force_login(recruiter)
    response = client.get(url("detail", pool))
    html = response.content.decode()
    assert len(response.context["page_obj"].object_list) == 3
    for member in pool.memberships.select_related("candidate"):
        assert member.candidate.full_name in html
        assert reverse("candidates:detail", args=[member.candidate_id]) in html
    assert str(recruiter) in html  # added by
    for name in ["edit", "sharing", "delete"]:
        assert url(name, pool) in html
    assert "Move onto job" not in html  # Rita is on no active job yet
    assert "Remove from pool" in html


def test_a_contributor_sees_the_pool_without_owner_controls(client, shared_pool, manager, job):
    client.force_login(manager)
    html = client.get(url("detail", shared_pool)).content.decode()
    assert "Backend talent" in html
    assert "Remove from pool" in html
    for name in ["edit", "sharing", "delete"]:
        assert url(name, shared_pool) not in html


def test_a_recruiter_the_pool_is_not_shared_with_gets_404(client, pool, outsider):
    client.force_login(outsider)
    assert client.get(url("detail", pool)).status_code == 404


def test_the_system_pool_is_open_to_every_pool_user_but_has_no_rename_or_delete(
    client, recruiter, admin_user
):
    system = linkedin_pool()
    for actor in [recruiter, admin_user]:
        client.force_login(actor)
        html = client.get(url("detail", system)).content.decode()
        assert "System pool" in html
        assert url("edit", system) not in html
        assert url("delete", system) not in html


def test_members_are_paginated_50_a_page(client, recruiter):
    big = pool_create(by=recruiter, name="Big")
    pool_add_members(pool=big, by=recruiter, candidates=CandidateFactory.create_batch(55))
    client.force_login(recruiter)
    first = client.get(url("detail", big))
    assert len(first.context["page_obj"].object_list) == 50
    assert "Members (55)" in first.content.decode()
    second = client.get(url("detail", big), {"page": 2})
    assert len(second.context["page_obj"].object_list) == 5


@pytest.mark.parametrize("rows", [3, 30])
def test_the_pool_page_needs_the_same_queries_for_3_and_30_members(
    client, recruiter, job, django_assert_num_queries, rows
):
    pool = pool_create(by=recruiter, name="Counted")
    pool_add_members(pool=pool, by=recruiter, candidates=CandidateFactory.create_batch(rows))
    organisation_get()  # the settings row exists in any running installation
    client.force_login(recruiter)
    # session, user, user's roles, the pool with its owner, member count, active jobs to move
    # onto, organisation, contributors, page of members with candidate and added-by
    # + the unread-notification count in the navigation
    with django_assert_num_queries(10):
        response = client.get(url("detail", pool))
    assert len(response.context["page_obj"].object_list) == rows


# --- Edit and delete (owner only)


def test_the_owner_renames_the_pool(client, pool, recruiter):
    client.force_login(recruiter)
    assert client.get(url("edit", pool)).status_code == 200
    response = client.post(url("edit", pool), {"name": "Python backend", "description": ""})
    assert response["Location"] == url("detail", pool)
    pool.refresh_from_db()
    assert (pool.name, pool.description) == ("Python backend", "")


def test_renaming_to_an_empty_name_is_refused(client, pool, recruiter):
    client.force_login(recruiter)
    response = client.post(url("edit", pool), {"name": " "})
    assert response.status_code == 422
    assert "A pool needs a name." in response.content.decode()
    pool.refresh_from_db()
    assert pool.name == "Backend talent"


@pytest.mark.parametrize("action", ["edit", "delete", "sharing"])
def test_a_contributor_cannot_rename_delete_or_share_by_a_direct_post(
    client, shared_pool, manager, outsider, action
):
    client.force_login(manager)
    data = {"name": "Hijacked", "user": outsider.pk}
    assert client.get(url(action, shared_pool)).status_code == 403
    assert client.post(url(action, shared_pool), data).status_code == 403
    shared_pool.refresh_from_db()
    assert shared_pool.name == "Backend talent"
    assert list(shared_pool.contributors.all()) == [manager]


@pytest.mark.parametrize("action", ["edit", "delete", "sharing", "remove_members"])
def test_a_recruiter_without_the_pool_gets_404_on_every_post(client, pool, outsider, action):
    client.force_login(outsider)
    data = {"name": "Hijacked", "user": outsider.pk, "candidates": members(pool)}
    assert client.post(url(action, pool), data).status_code == 404
    assert TalentPool.objects.get(pk=pool.pk).name == "Backend talent"
    assert len(members(pool)) == 3


def test_the_system_pool_cannot_be_renamed_or_deleted_even_by_an_administrator(
    client, admin_user, recruiter
):
    system = linkedin_pool()
    client.force_login(admin_user)
    response = client.post(url("edit", system), {"name": "Renamed"})
    assert response.status_code == 422
    assert "A system pool cannot be renamed." in response.content.decode()
    response = client.post(url("delete", system), follow=True)
    assert "A system pool cannot be deleted." in messages_of(response)
    assert TalentPool.objects.get(pk=system.pk).name == "LinkedIn"
    client.force_login(recruiter)
    assert client.post(url("edit", system), {"name": "Renamed"}).status_code == 403
    assert client.post(url("delete", system)).status_code == 403


def test_the_owner_deletes_the_pool_after_confirming_and_keeps_the_candidates(
    client, pool, recruiter
):
    candidates = members(pool)
    client.force_login(recruiter)
    confirm = client.get(url("delete", pool))
    assert "3 members" in confirm.content.decode()
    assert TalentPool.objects.filter(pk=pool.pk).exists()
    response = client.post(url("delete", pool))
    assert response["Location"] == LIST
    assert not TalentPool.objects.filter(pk=pool.pk).exists()
    assert Application.objects.count() == 0
    assert len(CandidateFactory._meta.model.objects.filter(pk__in=candidates)) == 3


# --- Sharing


def test_the_owner_shares_with_a_hiring_manager_who_then_sees_the_pool(
    client, pool, recruiter, manager, interviewer, readonly
):
    client.force_login(recruiter)
    page = client.get(url("sharing", pool))
    offered = set(page.context["form"].fields["user"].queryset)
    assert manager in offered
    assert {recruiter, interviewer, readonly}.isdisjoint(offered)
    response = client.post(url("sharing", pool), {"user": manager.pk})
    assert response["Location"] == url("sharing", pool)
    assert list(pool.contributors.all()) == [manager]
    client.force_login(manager)
    assert pool in client.get(LIST).context["pools"]


def test_sharing_with_an_interviewer_is_refused(client, pool, recruiter, interviewer):
    client.force_login(recruiter)
    response = client.post(url("sharing", pool), {"user": interviewer.pk})
    assert response.status_code == 422
    assert not pool.contributors.exists()


def test_the_owner_revokes_a_contributor(client, shared_pool, recruiter, manager):
    client.force_login(recruiter)
    response = client.post(url("unshare", shared_pool, manager.pk))
    assert response["Location"] == url("sharing", shared_pool)
    assert not shared_pool.contributors.exists()
    client.force_login(manager)
    assert client.get(url("detail", shared_pool)).status_code == 404


def test_a_contributor_cannot_revoke(client, shared_pool, manager):
    client.force_login(manager)
    assert client.post(url("unshare", shared_pool, manager.pk)).status_code == 403
    assert list(shared_pool.contributors.all()) == [manager]


def test_revoke_answers_only_to_post(client, shared_pool, recruiter, manager):
    client.force_login(recruiter)
    assert client.get(url("unshare", shared_pool, manager.pk)).status_code == 405
    assert list(shared_pool.contributors.all()) == [manager]


# --- Remove members


def test_a_contributor_removes_selected_members(client, shared_pool, manager):
    first, *rest = members(shared_pool)
    client.force_login(manager)
    response = client.post(url("remove_members", shared_pool), {"candidates": [first]}, follow=True)
    assert members(shared_pool) == rest
    assert "1 member removed from “Backend talent”." in messages_of(response)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select at least one candidate."),
        ({"candidates": ["999999"]}, "One of the selected candidates is not available any more."),
        ({"candidates": ["x"]}, "One of the selected candidates is not available any more."),
    ],
)
def test_removing_with_bad_input_changes_nothing_and_says_why(
    client, pool, recruiter, data, message
):
    client.force_login(recruiter)
    response = client.post(url("remove_members", pool), data, follow=True)
    assert message in messages_of(response)
    assert len(members(pool)) == 3


def test_a_candidate_of_another_pool_cannot_be_removed_through_this_one(client, pool, recruiter):
    other = pool_create(by=recruiter, name="Other")
    outside = CandidateFactory()
    pool_add_members(pool=other, by=recruiter, candidates=[outside])
    client.force_login(recruiter)
    client.post(url("remove_members", pool), {"candidates": [outside.pk, *members(pool)]})
    assert len(members(pool)) == 3
    assert members(other) == [outside.pk]


# --- Move members onto a job


def move(client, pool, candidates, job):
    return client.post(
        url("move_members", pool),
        {"candidates": candidates, "job": job.pk},
        follow=True,
    )


def test_members_move_onto_the_jobs_prospect_stage(client, pool, recruiter, job):
    client.force_login(recruiter)
    page = client.get(url("detail", pool))
    assert (job.pk, f"{job.number} {job.title}") in page.context["move_form"].fields["job"].choices
    chosen = members(pool)[:2]
    response = move(client, pool, chosen, job)
    applications = Application.objects.filter(job=job)
    assert sorted(a.candidate_id for a in applications) == chosen
    assert {a.stage.kind for a in applications} == {StageKind.PROSPECT}
    assert any(
        f"2 moved onto {job.number}" in m and "(Prospect)" in m for m in messages_of(response)
    )
    assert len(members(pool)) == 3  # they stay in the pool


def test_members_land_in_application_when_the_job_has_no_prospect_stage(
    client, pool, recruiter, admin_user, make_job
):
    template = template_save(
        by=admin_user,
        name="No prospects",
        stages=[StageSpec("Applied", "application"), StageSpec("Offer", "offer")],
    )
    job = make_job(template=template)
    job_activate(job=job, by=recruiter)
    client.force_login(recruiter)
    move(client, pool, members(pool)[:1], job)
    assert Application.objects.get(job=job).stage.kind == StageKind.APPLICATION


def test_a_member_already_on_the_job_is_reported_and_the_others_move(client, pool, recruiter, job):
    first, second, third = members(pool)
    client.force_login(recruiter)
    move(client, pool, [first], job)
    response = move(client, pool, [first, second, third], job)
    assert Application.objects.filter(job=job).count() == 3
    texts = messages_of(response)
    assert any("2 moved onto" in t and "1 not moved" in t for t in texts)
    assert any(t.startswith("Not moved:") and "is already on" in t for t in texts)


def test_moving_onto_a_closed_job_moves_nobody_and_says_why(client, pool, recruiter, job):
    job_close(job=job, by=recruiter, reason="cancelled")
    client.force_login(recruiter)
    page = client.get(url("detail", pool))
    assert job.pk not in dict(page.context["move_form"].fields["job"].choices)
    response = move(client, pool, members(pool), job)
    assert "Nothing was moved: Only an active job takes candidates." in messages_of(response)
    assert not Application.objects.exists()


def test_moving_onto_a_job_the_user_is_not_on_is_refused(client, pool, recruiter, outsider, job):
    pool_share(pool=pool, by=recruiter, user=outsider)
    client.force_login(outsider)
    response = move(client, pool, members(pool), job)
    assert any("Select a valid choice" in m for m in messages_of(response))
    assert not Application.objects.exists()


def test_a_hiring_manager_cannot_add_prospects_where_the_stage_forbids_it(
    client, shared_pool, manager, job
):
    prospect = job.stages.get(kind=StageKind.PROSPECT)
    assert not prospect.hiring_manager_can_add_prospects
    client.force_login(manager)
    page = client.get(url("detail", shared_pool))
    assert job.pk not in dict(page.context["move_form"].fields["job"].choices)
    response = client.post(
        url("move_members", shared_pool), {"candidates": members(shared_pool), "job": job.pk}
    )
    assert response.status_code == 403
    assert not Application.objects.exists()


def test_moving_needs_a_job_and_members(client, pool, recruiter, job):
    client.force_login(recruiter)
    response = move(client, pool, [], job)
    assert "Select at least one candidate." in messages_of(response)
    response = client.post(url("move_members", pool), {"candidates": members(pool)}, follow=True)
    assert "Choose the job to move the selected members onto." in messages_of(response)
    assert not Application.objects.exists()
    assert job.status == JobStatus.ACTIVE


def test_the_page_number_is_kept_after_a_bulk_action(client, recruiter):
    big = pool_create(by=recruiter, name="Big")
    pool_add_members(pool=big, by=recruiter, candidates=CandidateFactory.create_batch(55))
    client.force_login(recruiter)
    last = members(big)[0]
    response = client.post(url("remove_members", big), {"candidates": [last], "page": 2})
    assert response["Location"] == f"{url('detail', big)}?page=2"


# --- Escaping


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_pool_and_member_fields_render_inert(client, recruiter, manager, payload):
    pool = pool_create(by=recruiter, name=payload[:120], description=payload)
    person = CandidateFactory(first_name=payload, last_name="X", current_title=payload)
    pool_add_members(pool=pool, by=recruiter, candidates=[person])
    pool_share(pool=pool, by=recruiter, user=manager)
    client.force_login(recruiter)
    for target in [LIST, url("detail", pool), url("edit", pool), url("sharing", pool)]:
        html = client.get(target).content.decode()
        assert_inert(html)
        assert escape(payload) in html


@pytest.mark.parametrize("actor", ["interviewer", "readonly"])
def test_users_without_pools_are_refused_every_pool_post(client, request, pool, job, actor):
    client.force_login(request.getfixturevalue(actor))
    chosen = {"candidates": members(pool), "job": job.pk, "name": "Mine", "new_pool": "Mine"}
    targets = [
        CREATE,
        reverse("talentpools:add_members"),
        *(url(name, pool) for name in ["edit", "delete", "sharing"]),
        *(url(name, pool) for name in ["remove_members", "move_members"]),
    ]
    for target in targets:
        assert client.post(target, chosen).status_code == 404, target
    assert not TalentPool.objects.filter(name="Mine").exists()
    assert len(members(pool)) == 3
    assert not Application.objects.exists()
