"""/api/v1/applications/: scoped lists, detail with history, create, actions and delete.

rita recruits on the job, hank manages it, ivan interviews; otto is on no team and must get 404
for every one of its applications (SPEC: an outsider sees nothing of a job's applicants).
"""

import pytest
from rest_framework.test import APIClient

from candidates.models import Application, ApplicationStatus
from candidates.services import application_create, application_reject
from jobs.choices import StageKind
from jobs.services import job_activate
from tests.api.conftest import AUTH_QUERIES, assert_error, warm
from tests.factories import CandidateFactory, rejection_reason

APPLICATIONS = "/api/v1/applications/"


def url(application, action: str = "") -> str:
    return f"{APPLICATIONS}{application.pk}/" + (f"{action}/" if action else "")


def snapshot(application: Application) -> tuple:
    application.refresh_from_db()
    return (
        application.stage_id,
        application.status,
        application.rejection_reason_id,
        application.history.count(),
    )


# --- List and detail


@pytest.mark.parametrize("actor", ["recruiter", "manager", "interviewer", "admin_user"])
def test_the_team_lists_and_reads_the_applications(api, request, application, actor):
    client = api(request.getfixturevalue(actor))
    listed = client.get(APPLICATIONS).json()
    assert [a["id"] for a in listed["results"]] == [application.pk]
    detail = client.get(url(application)).json()
    assert detail["job"] == application.job.number
    assert [h["kind"] for h in detail["history"]] == ["created"]


@pytest.mark.parametrize("actor", ["outsider", "readonly"])
def test_an_outsider_sees_no_application_and_gets_404_on_each(api, request, application, actor):
    client = api(request.getfixturevalue(actor))
    assert client.get(APPLICATIONS).json()["count"] == 0
    assert client.get(f"{APPLICATIONS}?job={application.job.number}").json()["count"] == 0
    assert_error(client.get(url(application)), 404, "not_found")


@pytest.mark.parametrize(
    ("method", "action", "body"),
    [
        ("post", "advance", {"stage": 0}),
        ("post", "reject", {"reason": 0}),
        ("post", "withdraw", {}),
        ("post", "hire", {}),
        ("post", "reopen", {}),
        ("delete", "", None),
    ],
)
def test_every_action_on_another_jobs_application_is_a_404(
    api, outsider, application, stage, method, action, body
):
    before = snapshot(application)
    if action == "advance":
        body = {"stage": stage(StageKind.INTERVIEW).pk}
    elif action == "reject":
        body = {"reason": rejection_reason().pk}
    response = getattr(api(outsider), method)(url(application, action), body)
    assert_error(response, 404, "not_found")
    assert snapshot(application) == before


def test_applications_filter_by_job_stage_status_candidate_and_prospect(
    api, recruiter, application, job, stage, make_job
):
    other_job = make_job(title="Other")
    job_activate(job=other_job, by=recruiter)
    prospect = application_create(
        candidate=CandidateFactory(), job=job, by=recruiter, prospect=True
    )
    elsewhere = application_create(candidate=application.candidate, job=other_job, by=recruiter)
    application_reject(application=elsewhere, by=recruiter, reason=rejection_reason())
    client = api(recruiter)

    def ids(query: str) -> set[int]:
        return {a["id"] for a in client.get(f"{APPLICATIONS}?{query}").json()["results"]}

    assert ids(f"job={job.number}") == {application.pk, prospect.pk}
    assert ids(f"stage={stage(StageKind.PROSPECT).pk}") == {prospect.pk}
    assert ids("status=rejected") == {elsewhere.pk}
    assert ids(f"candidate={application.candidate_id}") == {application.pk, elsewhere.pk}
    assert ids("prospect=true") == {prospect.pk}
    assert ids("prospect=false") == {application.pk, elsewhere.pk}
    assert_error(client.get(f"{APPLICATIONS}?status=lost"), 400, fields=("status",))
    assert_error(client.get(f"{APPLICATIONS}?stage=x"), 400, fields=("stage",))
    assert_error(client.get(f"{APPLICATIONS}?stage={10**30}"), 400, fields=("stage",))


@pytest.mark.parametrize("rows", [3, 20])
def test_the_application_list_costs_the_same_for_3_and_20_rows(
    api, recruiter, job, rows, django_assert_num_queries
):
    for _ in range(rows):
        application_create(candidate=CandidateFactory(), job=job, by=recruiter)
    client = api(recruiter)
    warm(client, APPLICATIONS)
    # auth (token+user, roles), count, the page with candidate, job and stage joined.
    with django_assert_num_queries(AUTH_QUERIES + 2):
        assert client.get(APPLICATIONS).json()["count"] == rows


# --- Create


def test_the_team_puts_a_candidate_on_the_job(api, manager, job, candidate):
    body = {"candidate": candidate.pk, "job": job.number}
    response = api(manager).post(APPLICATIONS, body)
    assert response.status_code == 201, response.content
    assert response.json()["stage_kind"] == StageKind.APPLICATION
    response = api(manager).post(APPLICATIONS, body)
    assert_error(response, 400, "duplicate_application")
    assert Application.objects.filter(candidate=candidate, job=job).count() == 1


def test_a_recruiter_adds_a_prospect(api, recruiter, job, candidate):
    body = {"candidate": candidate.pk, "job": job.number, "prospect": True}
    response = api(recruiter).post(APPLICATIONS, body)
    assert response.json()["stage_kind"] == StageKind.PROSPECT


def test_an_interviewer_may_not_add_applicants(api, interviewer, application, make_job):
    # ivan sees this candidate (an applicant on his job) but may not add applicants.
    body = {"candidate": application.candidate_id, "job": application.job.number}
    assert_error(api(interviewer).post(APPLICATIONS, body), 403, "permission_denied")
    assert Application.objects.count() == 1


def test_an_outsider_may_not_add_applicants_to_another_teams_job(api, outsider, job, candidate):
    body = {"candidate": candidate.pk, "job": job.number}
    assert_error(api(outsider).post(APPLICATIONS, body), 403, "permission_denied")
    assert not Application.objects.exists()


def test_unknown_references_are_field_errors(api, recruiter):
    response = api(recruiter).post(APPLICATIONS, {"candidate": 999999, "job": "J-999999"})
    assert_error(response, 400, "validation_error", fields=("candidate", "job"))
    assert not Application.objects.exists()


# --- Actions


def test_advance_through_the_stages_and_hire(api, recruiter, manager, application, stage):
    client = api(manager)
    for kind in (StageKind.SCREENING, StageKind.INTERVIEW, StageKind.OFFER):
        response = client.post(url(application, "advance"), {"stage": stage(kind).pk})
        assert response.status_code == 200, response.content
        assert response.json()["stage_kind"] == kind
    response = client.post(url(application, "hire"))
    assert response.json()["status"] == ApplicationStatus.HIRED
    kinds = [h["kind"] for h in api(recruiter).get(url(application)).json()["history"]]
    assert kinds == ["created", "moved", "moved", "moved", "hired"]


def test_advancing_is_refused_to_an_interviewer_and_checked(
    api, recruiter, interviewer, application, stage, make_job
):
    before = snapshot(application)
    interview = {"stage": stage(StageKind.INTERVIEW).pk}
    assert_error(api(interviewer).post(url(application, "advance"), interview), 403)
    same = {"stage": application.stage_id}
    assert_error(api(recruiter).post(url(application, "advance"), same), 400, "same_stage")
    other_stage = make_job(title="Other").stages.first()
    foreign = {"stage": other_stage.pk}
    response = api(recruiter).post(url(application, "advance"), foreign)
    assert_error(response, 400, "unknown_stage", fields=("stage",))
    assert_error(api(recruiter).post(url(application, "advance"), {}), 400, fields=("stage",))
    assert snapshot(application) == before


def test_reject_with_a_reason_then_reopen(api, recruiter, application):
    reason = rejection_reason()
    response = api(recruiter).post(
        url(application, "reject"), {"reason": reason.pk, "comment": "Too junior"}
    )
    assert response.json()["status"] == ApplicationStatus.REJECTED
    assert response.json()["rejection_reason"] == reason.pk
    response = api(recruiter).post(url(application, "reopen"))
    assert response.json()["status"] == ApplicationStatus.ACTIVE


def test_rejecting_is_the_recruiters_alone_and_needs_a_reason(api, manager, recruiter, application):
    before = snapshot(application)
    reason = {"reason": rejection_reason().pk}
    assert_error(api(manager).post(url(application, "reject"), reason), 403)
    assert_error(api(recruiter).post(url(application, "reject"), {}), 400, fields=("reason",))
    assert snapshot(application) == before


def test_reopen_is_refused_to_a_hiring_manager_and_for_an_active_application(
    api, manager, recruiter, application
):
    assert_error(api(recruiter).post(url(application, "reopen")), 400, "illegal_transition")
    application_reject(application=application, by=recruiter, reason=rejection_reason())
    before = snapshot(application)
    assert_error(api(manager).post(url(application, "reopen")), 403, "permission_denied")
    assert snapshot(application) == before


def test_withdraw_and_hire_need_the_advance_permission(api, interviewer, manager, application):
    before = snapshot(application)
    assert_error(api(interviewer).post(url(application, "withdraw")), 403)
    assert_error(api(interviewer).post(url(application, "hire")), 403)
    assert snapshot(application) == before
    response = api(manager).post(url(application, "withdraw"), {"comment": "Took another offer"})
    assert response.json()["status"] == ApplicationStatus.WITHDRAWN


def test_a_prospect_cannot_be_hired(api, recruiter, job):
    prospect = application_create(
        candidate=CandidateFactory(), job=job, by=recruiter, prospect=True
    )
    assert_error(api(recruiter).post(url(prospect, "hire")), 400, "prospect")


def test_only_the_recruiter_deletes_an_application(api, recruiter, manager, application):
    assert_error(api(manager).delete(url(application)), 403, "permission_denied")
    assert api(recruiter).delete(url(application)).status_code == 204
    assert not Application.objects.filter(pk=application.pk).exists()


def test_rejection_reasons_are_listed_for_the_reject_action(api, readonly):
    names = [r["name"] for r in api(readonly).get("/api/v1/rejection-reasons/").json()["results"]]
    assert names and rejection_reason().name in names
    assert_error(APIClient().get("/api/v1/rejection-reasons/"), 401, "not_authenticated")


@pytest.mark.parametrize("rows", [3, 20])
def test_the_rejection_reason_list_costs_the_same_for_3_and_20_reasons(
    api, recruiter, rows, django_assert_num_queries
):
    from candidates.models import RejectionReason

    RejectionReason.objects.all().delete()
    RejectionReason.objects.bulk_create(RejectionReason(name=f"R{i}") for i in range(rows))
    client = api(recruiter)
    warm(client, "/api/v1/rejection-reasons/")
    # auth (token+user; no role check here), count, the page.
    with django_assert_num_queries(AUTH_QUERIES - 1 + 2):
        assert client.get("/api/v1/rejection-reasons/").json()["count"] == rows
