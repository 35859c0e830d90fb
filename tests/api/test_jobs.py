"""/api/v1/jobs/: list, detail, create, edit, delete, lifecycle, stages and hiring team.

rita recruits on `job`, hank manages it, ivan interviews on it; otto is a recruiter on no team,
rory is read-only, ada administers. A refused call answers in the one error format and changes
nothing.
"""

import pytest

from attract.models import SecurityRole
from candidates.models import ApplicationStatus
from jobs.choices import CloseReason, JobStatus, StageKind, TeamRole
from jobs.models import HiringTeamMember, Job
from jobs.process import StageSpec
from jobs.services import (
    job_activate,
    job_create,
    job_process_set,
    team_member_add,
    template_save,
)
from tests.api.conftest import AUTH_QUERIES, assert_error, warm
from tests.conftest import JOB_FIELDS
from tests.factories import UserFactory

JOBS = "/api/v1/jobs/"
NEW_JOB = {
    "title": "Data engineer",
    "description": "<p>Pipelines in Python.</p><script>alert(1)</script>",
    "city": "Bergen",
    "country": "no",
    "employment_type": "contract",
    "openings": 2,
}


def url(job, action: str = "") -> str:
    return f"{JOBS}{job.number}/" + (f"{action}/" if action else "")


def snapshot(job: Job) -> dict:
    job.refresh_from_db()
    return {
        "status": job.status,
        "title": job.title,
        "updated_at": job.updated_at,
        "team": sorted(job.team.values_list("user_id", "role")),
        "stages": list(job.stages.values_list("name", "kind")),
    }


@pytest.fixture
def approval_job(admin_user, recruiter, manager):
    """A draft job whose process needs approval; hank manages it."""
    template = template_save(
        by=admin_user,
        name="With approval",
        requires_approval=True,
        stages=[
            StageSpec("Application", StageKind.APPLICATION),
            StageSpec("Offer", StageKind.OFFER),
        ],
    )
    job = job_create(by=recruiter, template=template, **JOB_FIELDS)
    team_member_add(job=job, by=recruiter, user=manager, role=TeamRole.HIRING_MANAGER)
    return job


# --- List and detail


@pytest.mark.parametrize(
    "actor", ["recruiter", "manager", "interviewer", "outsider", "readonly", "admin_user"]
)
def test_every_staff_user_lists_and_reads_jobs(api, request, job, actor):
    client = api(request.getfixturevalue(actor))
    listed = client.get(JOBS).json()
    assert [j["number"] for j in listed["results"]] == [job.number]
    assert listed["results"][0]["applicant_count"] == 0
    assert client.get(url(job)).json()["title"] == job.title


def test_a_user_without_a_role_sees_no_job(api, job):
    client = api(UserFactory(username="nobody"))
    assert client.get(JOBS).json()["count"] == 0
    for address in (url(job), url(job, "stages"), url(job, "team")):
        assert_error(client.get(address), 404, "not_found")


def test_jobs_filter_by_status_mine_location_and_words(api, recruiter, outsider, job, make_job):
    make_job(by=outsider, title="Nurse", city="Paris", country="FR")
    client = api(recruiter)

    def numbers(query: str) -> list[str]:
        return [j["number"] for j in client.get(f"{JOBS}?{query}").json()["results"]]

    assert numbers("status=active") == [job.number]
    assert numbers("mine=true") == [job.number]
    assert len(numbers("country=fr")) == 1
    assert numbers("city=oslo") == [job.number]
    assert numbers("search=backend") == [job.number]
    assert numbers(f"search={job.number}") == [job.number]
    assert numbers("ordering=title")[0] == job.number
    assert_error(client.get(f"{JOBS}?status=open"), 400, "validation_error", fields=("status",))


@pytest.mark.parametrize("rows", [3, 20])
def test_the_job_list_costs_the_same_for_3_and_20_jobs(
    api, recruiter, make_job, rows, django_assert_num_queries
):
    for _ in range(rows):
        make_job()
    client = api(recruiter)
    warm(client, JOBS)
    # auth (token+user, roles), count, the page with its applicant counts (one subquery).
    with django_assert_num_queries(AUTH_QUERIES + 2):
        response = client.get(JOBS)
    assert response.json()["count"] == rows


# --- Create, edit, delete


def test_a_recruiter_creates_a_draft_job_and_joins_its_team(api, recruiter):
    response = api(recruiter).post(JOBS, NEW_JOB)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == JobStatus.DRAFT
    assert body["country"] == "NO"
    assert "<script>" not in body["description"]
    job = Job.objects.get(number=body["number"])
    assert job.team.filter(user=recruiter, role=TeamRole.RECRUITER).exists()


@pytest.mark.parametrize("actor", ["interviewer", "readonly"])
def test_who_may_not_create_jobs_is_refused_and_nothing_is_created(api, request, actor):
    response = api(request.getfixturevalue(actor)).post(JOBS, NEW_JOB)
    assert_error(response, 403, "permission_denied")
    assert not Job.objects.exists()


def test_bad_job_input_lists_the_fields_and_creates_nothing(api, recruiter):
    bad = {**NEW_JOB, "country": "XX", "openings": 0, "salary_min": "abc", "workplace_type": "moon"}
    error = assert_error(api(recruiter).post(JOBS, bad), 400, "validation_error")
    assert {"openings", "salary_min", "workplace_type"} <= set(error["fields"])
    assert not Job.objects.exists()


def test_a_service_rule_on_create_names_its_field(api, recruiter):
    response = api(recruiter).post(JOBS, {**NEW_JOB, "country": "XX"})
    assert_error(response, 400, fields=("country",))
    response = api(recruiter).post(JOBS, {**NEW_JOB, "publish_salary": True})
    assert_error(response, 400, fields=("publish_salary",))
    assert not Job.objects.exists()


def test_the_team_edits_a_job(api, manager, job):
    response = api(manager).patch(url(job), {"title": "Staff engineer", "openings": 3})
    assert response.status_code == 200, response.content
    job.refresh_from_db()
    assert (job.title, job.openings) == ("Staff engineer", 3)


@pytest.mark.parametrize(("actor", "status"), [("interviewer", 403), ("outsider", 403)])
def test_who_may_not_edit_a_job_is_refused(api, request, job, actor, status):
    before = snapshot(job)
    response = api(request.getfixturevalue(actor)).patch(url(job), {"title": "Hacked"})
    assert_error(response, status, "permission_denied")
    assert snapshot(job) == before


def test_a_bad_edit_changes_nothing(api, recruiter, job):
    before = snapshot(job)
    assert_error(api(recruiter).patch(url(job), {"title": ""}), 400, fields=("title",))
    assert snapshot(job) == before


def test_the_recruiter_deletes_a_job(api, recruiter, job):
    assert api(recruiter).delete(url(job)).status_code == 204
    assert not Job.objects.filter(pk=job.pk).exists()


def test_a_hiring_manager_may_not_delete_a_job_with_applicants(api, manager, application):
    job = application.job
    assert_error(api(manager).delete(url(job)), 403, "permission_denied")
    assert Job.objects.filter(pk=job.pk).exists()


# --- Lifecycle


def test_submit_decide_and_activate(api, recruiter, manager, approval_job):
    job = approval_job
    response = api(recruiter).post(url(job, "submit"), {"approvers": [manager.pk]})
    assert response.json()["status"] == JobStatus.PENDING_APPROVAL
    response = api(manager).post(url(job, "decide"), {"approve": True, "comment": "Go"})
    assert response.json()["status"] == JobStatus.APPROVED
    response = api(recruiter).post(url(job, "activate"))
    assert response.status_code == 200
    assert response.json()["status"] == JobStatus.ACTIVE


def test_submit_without_approvers_asks_the_hiring_managers(api, recruiter, manager, approval_job):
    api(recruiter).post(url(approval_job, "submit"), {})
    assert approval_job.approvals.get().approver == manager


def test_submitting_is_refused_to_an_interviewer(api, interviewer, approval_job):
    team_member_add(
        job=approval_job,
        by=approval_job.created_by,
        user=interviewer,
        role=TeamRole.INTERVIEWER,
    )
    before = snapshot(approval_job)
    assert_error(api(interviewer).post(url(approval_job, "submit")), 403, "permission_denied")
    assert snapshot(approval_job) == before


def test_rejecting_needs_a_comment_and_only_approvers_decide(api, recruiter, manager, approval_job):
    api(recruiter).post(url(approval_job, "submit"))
    response = api(manager).post(url(approval_job, "decide"), {"approve": False})
    assert_error(response, 400, "comment_required", fields=("comment",))
    assert_error(
        api(recruiter).post(url(approval_job, "decide"), {"approve": True}),
        403,
        "permission_denied",
    )
    assert_error(api(manager).post(url(approval_job, "decide"), {}), 400, fields=("approve",))
    approval_job.refresh_from_db()
    assert approval_job.status == JobStatus.PENDING_APPROVAL


def test_activating_a_draft_and_refusals(api, recruiter, interviewer, make_job):
    job = make_job()
    team_member_add(job=job, by=recruiter, user=interviewer, role=TeamRole.INTERVIEWER)
    assert_error(api(interviewer).post(url(job, "activate")), 403, "permission_denied")
    assert api(recruiter).post(url(job, "activate")).json()["status"] == JobStatus.ACTIVE
    assert_error(api(recruiter).post(url(job, "activate")), 400, "illegal_transition")


def test_the_recruiter_closes_a_job_as_cancelled(api, recruiter, job):
    response = api(recruiter).post(url(job, "close"), {"reason": "cancelled", "comment": "Budget"})
    assert response.json()["status"] == JobStatus.CLOSED
    assert response.json()["close_reason"] == CloseReason.CANCELLED


def test_closing_as_filled_hires_the_chosen_applicant(api, recruiter, application):
    job = application.job
    response = api(recruiter).post(
        url(job, "close"), {"reason": "filled", "application": application.pk}
    )
    assert response.status_code == 200, response.content
    application.refresh_from_db()
    assert application.status == ApplicationStatus.HIRED
    assert response.json()["close_reason"] == CloseReason.FILLED


def test_a_hiring_manager_may_not_close(api, manager, job):
    assert_error(api(manager).post(url(job, "close"), {"reason": "cancelled"}), 403)
    job.refresh_from_db()
    assert job.status == JobStatus.ACTIVE


def test_closing_checks_its_input(api, recruiter, application):
    job = application.job
    response = api(recruiter).post(
        url(job, "close"), {"reason": "cancelled", "application": application.pk}
    )
    assert_error(response, 400, "validation_error", fields=("application",))
    assert_error(api(recruiter).post(url(job, "close"), {"reason": "x"}), 400, fields=("reason",))
    assert_error(api(recruiter).post(url(job, "close"), {"reason": "filled"}), 400, "nobody_hired")
    job.refresh_from_db()
    assert job.status == JobStatus.ACTIVE


# --- Stages


def test_the_team_reads_the_stages_in_order(api, interviewer, job):
    stages = api(interviewer).get(url(job, "stages")).json()
    assert [s["kind"] for s in stages] == [
        "prospect",
        "application",
        "screening",
        "interview",
        "offer",
        "hired",
    ]


def test_stages_are_replaced_until_activation(api, recruiter, make_job):
    job = make_job()
    current = api(recruiter).get(url(job, "stages")).json()
    keep = [s for s in current if s["kind"] in ("application", "offer")]
    body = {
        "stages": [
            {"id": keep[0]["id"], "name": "Applied", "kind": "application"},
            {"name": "Case study", "kind": "assessment"},
            {"id": keep[1]["id"], "name": "Offer", "kind": "offer"},
        ]
    }
    response = api(recruiter).put(url(job, "stages"), body)
    assert response.status_code == 200, response.content
    assert [s["name"] for s in response.json()] == ["Applied", "Case study", "Offer"]
    assert list(job.stages.values_list("name", flat=True)) == ["Applied", "Case study", "Offer"]


def test_replacing_stages_is_refused_when_invalid_locked_or_not_allowed(
    api, recruiter, interviewer, job
):
    before = snapshot(job)
    no_offer = {"stages": [{"name": "Applied", "kind": "application"}]}
    assert_error(api(recruiter).put(url(job, "stages"), no_offer), 400, "locked")
    assert_error(api(interviewer).put(url(job, "stages"), no_offer), 403, "permission_denied")
    assert snapshot(job) == before


def test_an_invalid_process_is_a_400_naming_the_rule(api, recruiter, make_job):
    job = make_job()
    before = snapshot(job)
    no_offer = {"stages": [{"name": "Applied", "kind": "application"}]}
    error = assert_error(api(recruiter).put(url(job, "stages"), no_offer), 400, "invalid_process")
    assert "Offer" in error["message"]
    assert snapshot(job) == before


# --- Hiring team


def test_the_team_list_names_members_and_roles(api, interviewer, job, recruiter):
    team = api(interviewer).get(url(job, "team")).json()
    assert {(m["user"], m["role"]) for m in team} >= {(recruiter.pk, "recruiter")}
    assert all(m["user_name"] for m in team)


@pytest.mark.parametrize("rows", [3, 20])
def test_the_team_list_costs_the_same_for_3_and_20_members(
    api, recruiter, job, rows, django_assert_num_queries
):
    for _ in range(rows - 3):
        team_member_add(job=job, by=recruiter, user=UserFactory(), role=TeamRole.INTERVIEWER)
    client = api(recruiter)
    warm(client, url(job, "team"))
    # auth (token+user, roles), the job, rita's team roles (`job_for_user`), the team with
    # its users.
    with django_assert_num_queries(AUTH_QUERIES + 3):
        assert len(client.get(url(job, "team")).json()) == rows


@pytest.mark.parametrize("rows", [3, 20])
def test_the_stage_list_costs_the_same_for_3_and_20_stages(
    api, recruiter, make_job, rows, django_assert_num_queries
):
    job = make_job()
    middle = [StageSpec(f"Round {i}", StageKind.INTERVIEW) for i in range(rows - 2)]
    stages = [StageSpec("Applied", StageKind.APPLICATION), *middle, StageSpec("Offer", "offer")]
    job_process_set(job=job, by=recruiter, stages=stages)
    client = api(recruiter)
    warm(client, url(job, "stages"))
    # auth (token+user, roles), the job, rita's team roles (`job_for_user`), its stages.
    with django_assert_num_queries(AUTH_QUERIES + 3):
        assert len(client.get(url(job, "stages")).json()) == rows


def test_the_recruiter_adds_and_removes_team_members(api, recruiter, outsider, job):
    response = api(recruiter).post(url(job, "team"), {"user": outsider.pk, "role": "interviewer"})
    assert response.status_code == 201, response.content
    member_id = response.json()["id"]
    assert api(recruiter).delete(url(job, f"team/{member_id}")).status_code == 204
    assert not job.team.filter(user=outsider).exists()


def test_team_changes_are_refused_to_interviewers_and_checked(
    api, recruiter, interviewer, outsider, readonly, job, make_job
):
    before = snapshot(job)
    add = {"user": outsider.pk, "role": "interviewer"}
    assert_error(api(interviewer).post(url(job, "team"), add), 403, "permission_denied")
    wrong_role = {"user": readonly.pk, "role": "recruiter"}
    assert_error(api(recruiter).post(url(job, "team"), wrong_role), 400, "role_not_held")
    assert_error(
        api(recruiter).post(url(job, "team"), {"user": 10**6}), 400, fields=("user", "role")
    )
    member = job.team.get(role=TeamRole.RECRUITER)
    assert_error(api(interviewer).delete(url(job, f"team/{member.pk}")), 403)
    assert_error(api(recruiter).delete(url(job, "team/999999")), 404, "not_found")
    assert snapshot(job) == before
    alone = make_job(title="Solo")
    only = alone.team.get()
    assert_error(api(recruiter).delete(url(alone, f"team/{only.pk}")), 400, "last_leader")
    assert alone.team.filter(pk=only.pk).exists()


def test_a_hiring_manager_names_a_delegate_an_interviewer_may_not(api, manager, interviewer, job):
    deputy = UserFactory(roles=[SecurityRole.HIRING_MANAGER])
    response = api(manager).post(url(job, "team/delegate"), {"delegate": deputy.pk})
    assert response.status_code == 201, response.content
    assert response.json()["delegate_of"] == job.team.get(user=manager).pk
    response = api(interviewer).post(url(job, "team/delegate"), {"delegate": deputy.pk})
    assert_error(response, 403, "permission_denied")
    assert HiringTeamMember.objects.filter(job=job, user=deputy).count() == 1


def test_activating_through_the_api_needs_the_team(api, outsider, make_job):
    job = make_job()
    assert_error(api(outsider).post(url(job, "activate")), 403, "permission_denied")
    job_activate(job=job, by=job.created_by)
