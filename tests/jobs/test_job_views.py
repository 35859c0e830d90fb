"""The job pages (SPEC 1 "Jobs", "Recruiter pages"): list, create, the job page's tabs, and
every lifecycle action, each allowed or refused per the role matrix.

rita recruits on `job`, hank manages it, ivan interviews; otto holds the Recruiter and Hiring
manager security roles but is on no team; rory is read-only; ada administers. A refused POST
answers 403 (or 404 to those who may not see the job's applicants) and changes nothing.
"""

from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from attract.models import Event, SecurityRole
from candidates.models import Application, ApplicationEvent, ApplicationStatus, CandidateSource
from candidates.services import (
    application_create,
    application_hire,
    application_move,
    application_reject,
)
from jobs.analytics import job_analytics
from jobs.choices import ApprovalDecision, CloseReason, JobStatus, StageKind, TeamRole
from jobs.models import HiringTeamMember, Job
from jobs.process import StageSpec
from jobs.services import (
    job_activate,
    job_close,
    job_decide_approval,
    job_process_set,
    job_submit_for_approval,
    job_update,
    team_member_add,
    template_save,
)
from tests.factories import CandidateFactory, UserFactory, default_template, rejection_reason
from tests.xss import PAYLOADS, assert_inert

R = SecurityRole
TEAM = ["recruiter", "manager", "interviewer", "admin_user"]
TAB_PAGES = ["detail", "team", "process", "postings", "analytics"]
VALID_POST = {
    "title": "Data engineer",
    "description": "<p>Pipelines and warehouses.</p>",
    "city": "Bergen",
    "region": "Vestland",
    "country": "NO",
    "postal_code": "5003",
    "workplace_type": "hybrid",
    "employment_type": "full_time",
    "seniority": "mid_senior",
    "job_function": "eng",
    "industry": "4",
    "openings": "2",
    "salary_min": "600000",
    "salary_max": "800000",
    "salary_currency": "nok",
    "salary_period": "yearly",
    "publish_salary": "on",
    "expires_on": "2031-06-30",
    "hide_feedback_until_submitted": "on",
}


def url(name: str, job: Job, *args) -> str:
    return reverse(f"jobs:{name}", args=[job.number, *args])


def state_of(job: Job) -> dict:
    """Everything a refused request must leave alone."""
    job.refresh_from_db()
    return {
        "fields": {f: getattr(job, f) for f in ("title", "city", "status", "close_reason")},
        "stages": list(job.stages.values_list("pk", "name", "kind", "position")),
        "team": sorted(job.team.values_list("user_id", "role", "delegate_of_id")),
        "approvals": sorted(job.approvals.values_list("approver_id", "round", "decision")),
        "applications": sorted(job.applications.values_list("pk", "status", "stage_id")),
        "events": Event.objects.filter(job=job).count(),
    }


@pytest.fixture
def as_user(client, request):
    """Sign in one of the named actors by fixture name."""

    def sign_in(name: str):
        user = request.getfixturevalue(name)
        client.force_login(user)
        return user

    return sign_in


@pytest.fixture
def draft(make_job, recruiter, manager, interviewer):
    """A draft needing no approval, with the same team as `job`."""
    job = make_job(title="Draft role")
    team_member_add(job=job, by=recruiter, user=manager, role=TeamRole.HIRING_MANAGER)
    team_member_add(job=job, by=recruiter, user=interviewer, role=TeamRole.INTERVIEWER)
    return job


@pytest.fixture
def approval_template(admin_user):
    return template_save(
        by=admin_user,
        name="With approval",
        requires_approval=True,
        stages=[
            StageSpec("Application", StageKind.APPLICATION),
            StageSpec("Offer", StageKind.OFFER),
            StageSpec("Hired", StageKind.HIRED),
        ],
    )


@pytest.fixture
def gated(make_job, approval_template, recruiter, manager, interviewer):
    job = make_job(title="Gated role", template=approval_template)
    team_member_add(job=job, by=recruiter, user=manager, role=TeamRole.HIRING_MANAGER)
    team_member_add(job=job, by=recruiter, user=interviewer, role=TeamRole.INTERVIEWER)
    return job


@pytest.fixture
def pending(gated, recruiter, manager):
    job_submit_for_approval(job=gated, by=recruiter, approvers=[manager])
    gated.refresh_from_db()
    return gated


# --- Every page renders for every team role; outsiders see details and postings only


@pytest.mark.parametrize("actor", TEAM)
@pytest.mark.parametrize("page", TAB_PAGES)
def test_every_tab_renders_for_every_team_role(as_user, client, job, application, actor, page):
    as_user(actor)
    response = client.get(url(page, job))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert f'href="{url(page, job)}" aria-current="page"' in html


@pytest.mark.parametrize("actor", ["outsider", "readonly"])
def test_outsiders_see_the_details_but_nothing_about_applicants(as_user, client, job, actor):
    as_user(actor)
    assert client.get(url("detail", job)).status_code == 200
    assert client.get(url("postings", job)).status_code == 200
    for page in ("team", "process", "analytics"):
        assert client.get(url(page, job)).status_code == 404, page
    html = client.get(url("detail", job)).content.decode()
    assert url("team", job) not in html
    assert url("analytics", job) not in html
    assert reverse("jobs:board:board", args=[job.number]) not in html


def test_pages_need_a_sign_in(client, job):
    response = client.get(url("detail", job))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_header_offers_only_the_actions_the_role_allows(as_user, client, job, application):
    as_user("recruiter")
    html = client.get(url("detail", job)).content.decode()
    assert url("edit", job) in html and url("close", job) in html and url("delete", job) in html

    as_user("manager")
    html = client.get(url("detail", job)).content.decode()
    assert url("edit", job) in html
    assert url("close", job) not in html  # hiring managers don't close
    assert url("delete", job) not in html  # ... nor delete a job with applicants

    as_user("interviewer")
    html = client.get(url("detail", job)).content.decode()
    for action in ("edit", "close", "delete", "activate", "submit"):
        assert url(action, job) not in html, action


# --- Job list


def test_the_list_shows_jobs_with_their_applicant_counts(as_user, client, job, application):
    # given a prospect and a rejected applicant, who are not counted
    rita = job.created_by
    application_create(candidate=CandidateFactory(), job=job, by=rita, prospect=True)
    rejected = application_create(candidate=CandidateFactory(), job=job, by=rita)
    application_reject(application=rejected, by=rita, reason=rejection_reason())
    as_user("recruiter")

    html = client.get(reverse("jobs:list")).content.decode()

    assert job.number in html and "Backend engineer" in html and "Oslo, NO" in html
    row = html[html.index(job.number) :]
    assert '<td class="text-end">1</td>' in row[: row.index("</tr>")]
    assert 'href="/jobs/new/"' in html


@pytest.mark.parametrize(("actor", "may_create"), [
    ("recruiter", True), ("manager", True), ("admin_user", True),
    ("interviewer", False), ("readonly", False),
])  # fmt: skip
def test_the_new_job_button_shows_for_those_who_may_create(as_user, client, db, actor, may_create):
    as_user(actor)
    html = client.get(reverse("jobs:list")).content.decode()
    assert ("New job" in html) is may_create


def test_the_list_filters_by_status_mine_location_and_search(
    as_user, client, job, make_job, outsider
):
    other = make_job(by=outsider, title="Sales lead", city="Paris", country="FR")
    as_user("recruiter")

    def numbers(**params):
        html = client.get(reverse("jobs:list"), params).content.decode()
        return {n for n in (job.number, other.number) if n in html}

    assert numbers() == {job.number, other.number}
    assert numbers(status="active") == {job.number}
    assert numbers(status="draft") == {other.number}
    assert numbers(mine="on") == {job.number}
    assert numbers(country="FR") == {other.number}
    assert numbers(city="oslo") == {job.number}
    assert numbers(q="sales") == {other.number}
    assert numbers(q=other.number[-3:]) == {other.number}
    assert numbers(q="nothing-like-this") == set()


def test_the_list_paginates(as_user, client, make_job, monkeypatch):
    from jobs.views import lifecycle as views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    jobs = [make_job(title=f"Role {i}") for i in range(3)]
    as_user("recruiter")
    first = client.get(reverse("jobs:list"), {"status": "draft"}).content.decode()
    second = client.get(reverse("jobs:list"), {"status": "draft", "page": 2}).content.decode()
    assert "Page 1 of 2" in first and "status=draft&amp;page=2" in first
    assert jobs[0].title in second and jobs[0].title not in first


def test_an_htmx_filter_returns_only_the_results(as_user, client, job):
    as_user("recruiter")
    response = client.get(reverse("jobs:list"), {"q": "backend"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section aria-labelledby="job-count"')
    assert job.number in html and "<h1" not in html


def _list_queries(client, django_assert_num_queries):
    client.get(reverse("jobs:list"))  # warm up: the organisation row exists afterwards
    # 1 session, 2 user, 3 user's security roles, 4 organisation settings,
    # 5 paginator count, 6 the page of jobs with their applicant counts (one subquery)
    # + the unread-notification count in the navigation
    with django_assert_num_queries(7):
        response = client.get(reverse("jobs:list"), {"mine": "on", "country": "NO", "q": "e"})
    assert response.status_code == 200
    return response.content.decode().count("<tr>") - 1


def test_the_list_takes_the_same_queries_for_3_and_30_jobs(
    as_user, client, make_job, django_assert_num_queries
):
    as_user("recruiter")
    jobs = [make_job(title=f"Engineer {i}") for i in range(3)]
    for job in jobs:
        application_create(
            candidate=CandidateFactory(),
            job=job_activate(job=job, by=job.created_by),
            by=job.created_by,
        )
    assert _list_queries(client, django_assert_num_queries) == 3
    for i in range(27):
        make_job(title=f"Developer {i}")
    assert _list_queries(client, django_assert_num_queries) == 30


# --- Create


def test_a_recruiter_creates_a_job_from_the_default_template(as_user, client, db):
    rita = as_user("recruiter")
    page = client.get(reverse("jobs:create")).content.decode()
    assert f'<option value="{default_template().pk}" selected>' in page

    response = client.post(
        reverse("jobs:create"),
        {
            **VALID_POST,
            "template": default_template().pk,
            "description": "<p>Hi</p><script>x</script>",
        },
    )

    job = Job.objects.get(title="Data engineer")
    assert response.status_code == 302
    assert response["Location"] == url("detail", job)
    assert job.status == JobStatus.DRAFT and job.poster == rita
    assert job.description == "<p>Hi</p>"
    assert (job.city, job.region, job.country, job.postal_code) == (
        "Bergen",
        "Vestland",
        "NO",
        "5003",
    )
    assert (job.salary_min, job.salary_max, job.salary_currency) == (
        Decimal("600000"), Decimal("800000"), "NOK",
    )  # fmt: skip
    assert job.industry == 4 and job.openings == 2 and job.publish_salary
    assert list(job.stages.values_list("kind", flat=True))[:2] == ["prospect", "application"]
    assert job.team.filter(user=rita, role=TeamRole.RECRUITER).exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"description": ""}, "description", "This field is required."),
        ({"city": ""}, "city", "This field is required."),
        ({"country": "ZZ"}, "country", "Select a valid choice."),
        ({"salary_min": "900000"}, "salary_max", "The maximum salary must not be below"),
        ({"openings": "0"}, "openings", "greater than or equal to 1"),
        (
            {"publish_salary": "on", "salary_min": "", "salary_max": ""},
            "publish_salary",
            "no salary",
        ),
    ],
)
def test_bad_input_is_shown_on_the_form_and_saves_nothing(
    as_user, client, db, change, field, message
):
    as_user("recruiter")
    data = {**VALID_POST, "template": default_template().pk, **change}

    response = client.post(reverse("jobs:create"), data)

    html = response.content.decode()
    assert response.status_code == 422
    assert not Job.objects.exists()
    errors = html[html.index(f'id="{field}-errors"') :]
    assert message in errors[: errors.index("</div>")]
    assert 'aria-invalid="true"' in html
    assert 'value="Bergen"' in html or change.get("city") == ""  # values are kept
    assert "Pipelines and warehouses." in html or change.get("description") == ""


@pytest.mark.parametrize("actor", ["interviewer", "readonly"])
def test_those_who_may_not_create_jobs_are_refused(as_user, client, db, actor):
    as_user(actor)
    assert client.get(reverse("jobs:create")).status_code == 403
    data = {**VALID_POST, "template": default_template().pk}
    assert client.post(reverse("jobs:create"), data).status_code == 403
    assert not Job.objects.exists()


# --- Edit


@pytest.mark.parametrize("actor", ["recruiter", "manager", "admin_user"])
def test_the_team_leaders_edit_the_details(as_user, client, job, actor):
    as_user(actor)
    form = client.get(url("edit", job)).content.decode()
    assert 'value="Backend engineer"' in form

    response = client.post(url("edit", job), {**VALID_POST, "title": "Staff engineer"})

    assert response.status_code == 302
    job.refresh_from_db()
    assert job.title == "Staff engineer" and job.city == "Bergen"


@pytest.mark.parametrize(
    ("actor", "status"), [("interviewer", 403), ("outsider", 404), ("readonly", 404)]
)
def test_others_cannot_edit(as_user, client, job, actor, status):
    before = state_of(job)
    as_user(actor)
    assert client.get(url("edit", job)).status_code == status
    assert client.post(url("edit", job), {**VALID_POST, "title": "Hacked"}).status_code == status
    assert state_of(job) == before


def test_editing_an_approved_job_sends_it_back_to_draft(as_user, client, pending, manager):
    job_decide_approval(job=pending, by=manager, approve=True)
    as_user("recruiter")
    assert "approvals start over" in client.get(url("edit", pending)).content.decode()

    response = client.post(url("edit", pending), {**VALID_POST, "title": "Renamed"}, follow=True)

    pending.refresh_from_db()
    assert pending.status == JobStatus.DRAFT
    assert "back to draft" in response.content.decode()


def test_a_bad_edit_keeps_the_job_and_the_typed_values(as_user, client, job):
    before = state_of(job)
    as_user("recruiter")
    response = client.post(
        url("edit", job), {**VALID_POST, "title": "New", "salary_min": "1000000"}
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert 'value="1000000"' in html and 'value="New"' in html
    assert state_of(job) == before


def test_a_closed_job_is_not_edited(as_user, client, job, recruiter):
    job_close(job=job, by=recruiter, reason=CloseReason.CANCELLED)
    before = state_of(job)
    as_user("recruiter")
    assert url("edit", job) not in client.get(url("detail", job)).content.decode()
    response = client.post(url("edit", job), {**VALID_POST, "title": "Reopened?"})
    assert response.status_code == 422
    assert "A closed job cannot be edited." in response.content.decode()
    assert state_of(job) == before


# --- Submit, approve, reject


def test_the_recruiter_submits_for_approval_to_the_chosen_approvers(
    as_user, client, gated, manager
):
    as_user("recruiter")
    page = client.get(url("submit", gated)).content.decode()
    assert f'value="{manager.pk}"' in page
    assert page[page.index(f'value="{manager.pk}"') :].split(">")[0].endswith("checked")

    response = client.post(url("submit", gated), {"approvers": [manager.pk]})

    assert response.status_code == 302
    gated.refresh_from_db()
    assert gated.status == JobStatus.PENDING_APPROVAL
    assert list(gated.approvals.values_list("approver", "decision")) == [
        (manager.pk, ApprovalDecision.PENDING)
    ]


def test_submitting_without_approvers_is_refused_with_a_message(as_user, client, gated):
    before = state_of(gated)
    as_user("recruiter")
    response = client.post(url("submit", gated), {})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert state_of(gated) == before


@pytest.mark.parametrize(("actor", "status"), [("interviewer", 403), ("outsider", 404)])
def test_others_cannot_submit(as_user, client, gated, manager, actor, status):
    before = state_of(gated)
    as_user(actor)
    assert client.post(url("submit", gated), {"approvers": [manager.pk]}).status_code == status
    assert state_of(gated) == before


def test_the_approver_sees_the_request_and_approves_with_a_comment(as_user, client, pending):
    as_user("manager")
    page = client.get(url("detail", pending)).content.decode()
    assert 'id="decision"' in page and "Approve or reject" in page

    response = client.post(url("decide", pending), {"decision": "approve", "comment": "Budget ok"})

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == JobStatus.APPROVED
    page = client.get(url("detail", pending)).content.decode()
    assert "Budget ok" in page and "Pending approval → Approved" in page


def test_a_rejection_needs_a_comment(as_user, client, pending):
    before = state_of(pending)
    as_user("manager")
    response = client.post(url("decide", pending), {"decision": "reject", "comment": ""})
    assert response.status_code == 422
    assert "Say why you reject the job." in response.content.decode()
    assert state_of(pending) == before

    client.post(url("decide", pending), {"decision": "reject", "comment": "No budget"})
    pending.refresh_from_db()
    assert pending.status == JobStatus.REJECTED


@pytest.mark.parametrize("actor", ["recruiter", "interviewer", "outsider"])
def test_only_a_pending_approver_may_decide(as_user, client, pending, actor):
    before = state_of(pending)
    as_user(actor)
    assert 'id="decision"' not in client.get(url("detail", pending)).content.decode()
    assert client.get(url("decide", pending)).status_code == 403
    response = client.post(url("decide", pending), {"decision": "approve"})
    assert response.status_code == 403
    assert state_of(pending) == before


# --- Activate


@pytest.mark.parametrize("actor", ["recruiter", "manager"])
def test_recruiters_and_managers_activate(as_user, client, draft, actor):
    as_user(actor)
    response = client.post(url("activate", draft), follow=True)
    draft.refresh_from_db()
    assert draft.status == JobStatus.ACTIVE
    assert f"Job {draft.number} activated." in response.content.decode()


@pytest.mark.parametrize(("actor", "status"), [("interviewer", 403), ("outsider", 404)])
def test_others_cannot_activate(as_user, client, draft, actor, status):
    before = state_of(draft)
    as_user(actor)
    assert client.post(url("activate", draft)).status_code == status
    assert state_of(draft) == before


def test_a_job_waiting_for_approval_cannot_be_activated(as_user, client, pending):
    before = state_of(pending)
    as_user("recruiter")
    response = client.post(url("activate", pending), follow=True)
    assert "needs approval first" in response.content.decode()
    assert state_of(pending) == before


def test_activation_is_a_post(as_user, client, draft):
    as_user("recruiter")
    assert client.get(url("activate", draft)).status_code == 405


# --- Close


def test_the_recruiter_closes_a_job_as_cancelled(as_user, client, job):
    as_user("recruiter")
    response = client.post(url("close", job), {"reason": "cancelled", "comment": "Budget cut"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.close_reason) == (JobStatus.CLOSED, CloseReason.CANCELLED)
    assert "Budget cut" in client.get(url("detail", job)).content.decode()


def test_closing_as_filled_hires_the_chosen_active_applicant(as_user, client, job, application):
    as_user("recruiter")
    page = client.get(url("close", job)).content.decode()
    assert f'<option value="{application.pk}">' in page

    client.post(url("close", job), {"reason": "filled", "application": application.pk})

    job.refresh_from_db()
    application.refresh_from_db()
    assert (job.status, job.close_reason) == (JobStatus.CLOSED, CloseReason.FILLED)
    assert application.status == ApplicationStatus.HIRED
    assert application.stage.kind == StageKind.HIRED


def test_closing_as_filled_by_someone_already_hired(as_user, client, job, application, recruiter):
    application_hire(application=application, by=recruiter)
    as_user("recruiter")
    client.post(url("close", job), {"reason": "filled", "application": application.pk})
    job.refresh_from_db()
    assert job.close_reason == CloseReason.FILLED


def test_closing_as_filled_needs_the_applicant(as_user, client, job, application):
    before = state_of(job)
    as_user("recruiter")
    response = client.post(url("close", job), {"reason": "filled"})
    assert response.status_code == 422
    assert "Choose who fills the position." in response.content.decode()
    assert state_of(job) == before


def test_a_prospect_or_another_jobs_applicant_cannot_fill_the_job(
    as_user, client, job, make_job, recruiter
):
    prospect = application_create(
        candidate=CandidateFactory(), job=job, by=recruiter, prospect=True
    )
    elsewhere = job_activate(job=make_job(title="Other"), by=recruiter)
    stranger = application_create(candidate=CandidateFactory(), job=elsewhere, by=recruiter)
    before = state_of(job)
    as_user("recruiter")
    for choice in (prospect, stranger):
        response = client.post(url("close", job), {"reason": "filled", "application": choice.pk})
        assert response.status_code == 422
        assert "Select a valid choice." in response.content.decode()
    assert state_of(job) == before


@pytest.mark.parametrize(
    ("actor", "status"), [("manager", 403), ("interviewer", 403), ("outsider", 404)]
)
def test_only_the_recruiter_closes(as_user, client, job, application, actor, status):
    before = state_of(job)
    as_user(actor)
    assert client.get(url("close", job)).status_code == status
    data = {"reason": "filled", "application": application.pk}
    assert client.post(url("close", job), data).status_code == status
    assert state_of(job) == before


# --- Delete


def test_the_recruiter_deletes_after_confirming(as_user, client, job, application):
    as_user("recruiter")
    assert "This cannot be undone." in client.get(url("delete", job)).content.decode()
    response = client.post(url("delete", job))
    assert response.status_code == 302 and response["Location"] == reverse("jobs:list")
    assert not Job.objects.filter(pk=job.pk).exists()


def test_a_manager_deletes_only_a_job_without_applicants(as_user, client, job, draft, application):
    before = state_of(job)
    as_user("manager")
    assert client.post(url("delete", job)).status_code == 403
    assert state_of(job) == before
    assert client.post(url("delete", draft)).status_code == 302
    assert not Job.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize(("actor", "status"), [("interviewer", 403), ("outsider", 404)])
def test_others_cannot_delete(as_user, client, job, actor, status):
    before = state_of(job)
    as_user(actor)
    assert client.get(url("delete", job)).status_code == status
    assert client.post(url("delete", job)).status_code == status
    assert state_of(job) == before


# --- Hiring team


def test_the_team_tab_lists_members_by_role_with_delegates(as_user, client, job, manager):
    deputy = UserFactory(first_name="Dora", last_name="Deputy", roles=[R.HIRING_MANAGER])
    hank = job.team.get(user=manager)
    client.force_login(manager)
    data = {"principal": hank.pk, f"delegate-{hank.pk}-delegate": deputy.pk}
    assert client.post(url("team_delegate", job), data).status_code == 302
    html = client.get(url("team", job)).content.decode()
    managers = html[html.index("Hiring managers") : html.index("Interviewers")]
    assert str(manager) in managers and "Dora Deputy" in managers and "delegate" in managers
    assert HiringTeamMember.objects.get(user=deputy).delegate_of.user == manager


def test_only_users_with_the_security_role_are_offered(as_user, client, job):
    plain = UserFactory(first_name="Ian", last_name="Terview", roles=[R.INTERVIEWER])
    boss = UserFactory(first_name="Bea", last_name="Boss", roles=[R.HIRING_MANAGER])
    as_user("recruiter")
    html = client.get(url("team", job)).content.decode()
    manager_form = html[html.index('name="add-hiring_manager-user"') :]
    manager_form = manager_form[: manager_form.index("</select>")]
    interviewer_form = html[html.index('name="add-interviewer-user"') :]
    interviewer_form = interviewer_form[: interviewer_form.index("</select>")]
    assert f'value="{boss.pk}"' in manager_form and f'value="{plain.pk}"' not in manager_form
    assert f'value="{plain.pk}"' in interviewer_form


def test_the_recruiter_adds_and_removes_a_member(as_user, client, job):
    boss = UserFactory(roles=[R.HIRING_MANAGER])
    as_user("recruiter")
    response = client.post(
        url("team", job), {"role": "hiring_manager", "add-hiring_manager-user": boss.pk}
    )
    assert response.status_code == 302
    member = job.team.get(user=boss)
    assert member.role == TeamRole.HIRING_MANAGER

    response = client.post(url("team_remove", job, member.pk))
    assert response.status_code == 302
    assert not job.team.filter(user=boss).exists()


def test_a_direct_post_of_a_user_without_the_role_is_refused(as_user, client, job):
    plain = UserFactory(roles=[R.INTERVIEWER])
    before = state_of(job)
    as_user("recruiter")
    response = client.post(url("team", job), {"role": "recruiter", "add-recruiter-user": plain.pk})
    assert response.status_code == 422
    assert "Select a valid choice." in response.content.decode()
    assert state_of(job) == before


def test_the_last_leader_cannot_be_removed(as_user, client, draft, recruiter, manager):
    hank = draft.team.get(user=manager)
    client.force_login(recruiter)
    client.post(url("team_remove", draft, hank.pk))
    before = state_of(draft)
    rita = draft.team.get(user=recruiter)
    response = client.post(url("team_remove", draft, rita.pk), follow=True)
    assert "keeps at least one recruiter or hiring manager" in response.content.decode()
    assert state_of(draft) == before


def test_adding_through_htmx_swaps_the_team_in_place(as_user, client, job):
    extra = UserFactory(first_name="Xena", last_name="Extra", roles=[R.INTERVIEWER])
    as_user("manager")
    response = client.post(
        url("team", job),
        {"role": "interviewer", "add-interviewer-user": extra.pk},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section aria-labelledby="team-title"')
    assert "Xena Extra added as interviewer." in html


@pytest.mark.parametrize(
    ("actor", "status"), [("interviewer", 403), ("outsider", 404), ("readonly", 404)]
)
def test_others_cannot_change_the_team(as_user, client, job, recruiter, actor, status):
    extra = UserFactory(roles=[R.INTERVIEWER])
    rita = job.team.get(user=recruiter)
    before = state_of(job)
    as_user(actor)
    data = {"role": "interviewer", "add-interviewer-user": extra.pk}
    assert client.post(url("team", job), data).status_code == status
    assert client.post(url("team_remove", job, rita.pk)).status_code == status
    assert state_of(job) == before


def test_a_member_of_another_job_cannot_be_removed_through_this_one(as_user, client, job, draft):
    foreign = draft.team.get(role=TeamRole.INTERVIEWER)
    before = state_of(draft)
    as_user("recruiter")
    assert client.post(url("team_remove", job, foreign.pk)).status_code == 404
    assert state_of(draft) == before


def test_the_interviewer_reads_the_team_without_controls(as_user, client, job):
    as_user("interviewer")
    html = client.get(url("team", job)).content.decode()
    assert "Only the job's recruiters and hiring managers change the team." in html
    assert "<select" not in html and "Remove" not in html


def test_an_interviewer_names_no_delegate(as_user, client, job, interviewer):
    before = state_of(job)
    other = UserFactory(roles=[R.INTERVIEWER])
    as_user("interviewer")
    ivan = job.team.get(user=interviewer)
    data = {"principal": ivan.pk, f"delegate-{ivan.pk}-delegate": other.pk}
    assert client.post(url("team_delegate", job), data).status_code == 403
    assert state_of(job) == before


# --- Process


def stage_post(stages, action="save", new=None) -> dict:
    """The process formset as the browser sends it: one row per stage, plus the blank row."""
    rows = [(s.pk, s.name, s.kind, s.hiring_manager_can_add_prospects) for s in stages]
    rows.append(new or (None, "", "interview", False))
    data = {
        "stages-TOTAL_FORMS": len(rows),
        "stages-INITIAL_FORMS": len(stages),
        "action": action,
    }
    for i, (pk, name, kind, switch) in enumerate(rows):
        data |= {f"stages-{i}-id": pk or "", f"stages-{i}-name": name, f"stages-{i}-kind": kind}
        if switch:
            data[f"stages-{i}-hiring_manager_can_add_prospects"] = "on"
    return data


def names(job) -> list[str]:
    return list(job.stages.order_by("position").values_list("name", flat=True))


def test_the_process_is_edited_before_activation(as_user, client, draft):
    as_user("manager")
    stages = list(draft.stages.order_by("position"))
    assert names(draft) == ["Prospect", "Application", "Screen", "Interview", "Offer", "Hired"]

    # rename Screen and add a stage in the blank row
    stages[2].name = "Phone screen"
    data = stage_post(stages, new=(None, "Case study", "assessment", False))
    assert client.post(url("process", draft), data).status_code == 302
    # the new stage goes before Hired, which must stay last
    assert names(draft) == [
        "Prospect", "Application", "Phone screen", "Interview", "Offer", "Case study", "Hired",
    ]  # fmt: skip
    assert draft.stages.get(name="Case study").kind == StageKind.ASSESSMENT


def test_stages_move_and_are_removed(as_user, client, draft):
    as_user("recruiter")
    stages = list(draft.stages.order_by("position"))
    client.post(url("process", draft), stage_post(stages, action="down-2"))  # Screen ↓
    assert names(draft) == ["Prospect", "Application", "Interview", "Screen", "Offer", "Hired"]

    stages = list(draft.stages.order_by("position"))
    client.post(url("process", draft), stage_post(stages, action="remove-3"))
    assert names(draft) == ["Prospect", "Application", "Interview", "Offer", "Hired"]

    stages = list(draft.stages.order_by("position"))
    client.post(url("process", draft), stage_post(stages, action="up-3"))  # Offer ↑
    assert names(draft) == ["Prospect", "Application", "Offer", "Interview", "Hired"]


def test_an_htmx_save_answers_the_process_in_place(as_user, client, draft):
    as_user("recruiter")
    stages = list(draft.stages.order_by("position"))
    response = client.post(
        url("process", draft), stage_post(stages, "down-2"), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section aria-labelledby="process-title"')
    assert f"The process of {draft.number} is saved." in html
    assert 'aria-label="Move Screen up"' in html


def test_the_prospect_switch_is_saved(as_user, client, draft):
    as_user("recruiter")
    stages = list(draft.stages.order_by("position"))
    stages[0].hiring_manager_can_add_prospects = True
    client.post(url("process", draft), stage_post(stages))
    assert draft.stages.get(kind=StageKind.PROSPECT).hiring_manager_can_add_prospects


def test_the_mandatory_stage_rules_are_shown_and_nothing_changes(as_user, client, draft):
    before = state_of(draft)
    as_user("recruiter")
    stages = list(draft.stages.order_by("position"))
    offer = next(i for i, s in enumerate(stages) if s.kind == StageKind.OFFER)

    response = client.post(url("process", draft), stage_post(stages, action=f"remove-{offer}"))

    html = response.content.decode()
    assert response.status_code == 422
    assert "The process was not saved" in html
    assert "The process must keep a stage of kind Offer." in html
    assert state_of(draft) == before


def test_a_blank_name_is_shown_on_its_row(as_user, client, draft):
    before = state_of(draft)
    as_user("recruiter")
    stages = list(draft.stages.order_by("position"))
    stages[1].name = ""
    response = client.post(url("process", draft), stage_post(stages))
    assert response.status_code == 422
    assert 'id="stages-1-name-errors"' in response.content.decode()
    assert state_of(draft) == before


def test_the_process_is_locked_after_activation(as_user, client, job):
    before = state_of(job)
    as_user("recruiter")
    html = client.get(url("process", job)).content.decode()
    assert "The process is fixed" in html and "<select" not in html

    response = client.post(url("process", job), stage_post(list(job.stages.all())))

    assert "fixed once the job has been activated" in response.content.decode()
    assert state_of(job) == before


@pytest.mark.parametrize(("actor", "status"), [("interviewer", 403), ("outsider", 404)])
def test_others_cannot_change_the_process(as_user, client, draft, actor, status):
    before = state_of(draft)
    as_user(actor)
    stages = list(draft.stages.order_by("position"))
    assert client.post(url("process", draft), stage_post(stages, "remove-0")).status_code == status
    assert state_of(draft) == before


def test_the_interviewer_reads_the_process(as_user, client, draft):
    as_user("interviewer")
    html = client.get(url("process", draft)).content.decode()
    assert "Only the job's recruiters and hiring managers change the process." in html
    assert "Screen" in html and "<select" not in html


# --- Postings


def test_an_active_public_job_is_listed_on_the_career_site(as_user, client, job):
    as_user("interviewer")
    html = client.get(url("postings", job)).content.decode()
    assert "Listed on the career site" in html
    assert f"/careers/{job.number}/" in html
    assert 'id="posting-linkedin"' in html


def test_the_postings_tab_says_why_a_job_is_not_listed(as_user, client, draft, make_job):
    internal = make_job(title="Internal", internal_only=True)
    as_user("recruiter")
    assert "this job is draft" in client.get(url("postings", draft)).content.decode()
    html = client.get(url("postings", internal)).content.decode()
    assert "Internal-only jobs are never listed" in html


# --- Analytics


def backdate(application, *moments):
    """Set the application's history, oldest first, to the given moments."""
    events = list(application.history.order_by("at", "id"))
    assert len(events) == len(moments)
    for event, at in zip(events, moments, strict=True):
        ApplicationEvent.objects.filter(pk=event.pk).update(at=at)
    Application.objects.filter(pk=application.pk).update(stage_entered_at=moments[-1])


def test_time_in_stage_is_computed_exactly_from_the_history(job, application, stage, recruiter):
    now = timezone.now()
    # given 2 days in Application, then 3 days in Screen, now in Interview for 1 day
    application_move(application=application, stage=stage(StageKind.SCREENING), by=recruiter)
    application_move(application=application, stage=stage(StageKind.INTERVIEW), by=recruiter)
    backdate(application, now - timedelta(days=6), now - timedelta(days=4), now - timedelta(days=1))
    # and a second applicant still in Application for 4 days
    other = application_create(candidate=CandidateFactory(), job=job, by=recruiter)
    backdate(other, now - timedelta(days=4))

    stats = job_analytics(job, now=now)

    times = {t.stage.kind: t for t in stats.stage_times}
    assert times[StageKind.APPLICATION].average == timedelta(days=3)  # (2 + 4) / 2
    assert times[StageKind.SCREENING].average == timedelta(days=3)
    assert times[StageKind.INTERVIEW].average == timedelta(days=1)
    assert times[StageKind.INTERVIEW].still_open == 1
    assert times[StageKind.OFFER].average is None
    by_stage = {b.label: b.value for b in stats.by_stage.bars}
    assert by_stage["Application"] == 1 and by_stage["Interview"] == 1
    conversion = {b.label: b.display for b in stats.conversion.bars}
    assert conversion["Application"] == "100% (2 of 2)"
    assert conversion["Screen"] == "50% (1 of 2)"
    assert conversion["Offer"] == "0% (0 of 2)"


def test_a_rejection_ends_the_stay_and_sources_count_applicants(job, application, recruiter):
    now = timezone.now()
    application_reject(application=application, by=recruiter, reason=rejection_reason())
    backdate(application, now - timedelta(days=5), now - timedelta(days=2))
    referral = CandidateFactory(source=CandidateSource.REFERRAL)
    application_create(candidate=referral, job=job, by=recruiter)
    application_create(candidate=CandidateFactory(), job=job, by=recruiter, prospect=True)

    stats = job_analytics(job, now=now)

    application_stage = next(t for t in stats.stage_times if t.stage.kind == "application")
    assert application_stage.applications == 2
    sources = {b.label: b.value for b in stats.by_source.bars}
    assert sources == {"Added by hand": 1, "Referral": 1}  # the prospect is not an applicant


def test_the_analytics_page_draws_charts_with_data_tables(as_user, client, job, application):
    as_user("manager")
    html = client.get(url("analytics", job)).content.decode()
    assert html.count("<svg") == 4
    assert "<title>Application: 1</title>" in html
    assert '<div class="visually-hidden">' in html and "<caption>Applicants by source" in html
    assert "Stays that have not ended yet are counted up to now." in html


# --- Escaping


class _ActiveMarkup(HTMLParser):
    """Collects what could run in a page: inline scripts, event handlers, javascript: links."""

    def __init__(self):
        super().__init__()
        self.found: list = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "iframe", "object", "embed") and not attrs.get("src", "").startswith(
            "/static/"
        ):
            self.found.append(tag)
        self.found += [
            (tag, name)
            for name, value in attrs.items()
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:")
        ]


def active_markup(html: str) -> list:
    parser = _ActiveMarkup()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_user_text_renders_inert(as_user, client, make_job, recruiter, payload):
    job = make_job(title=payload, city=payload, description=f"<p>Safe text</p>{payload}")
    job_process_set(
        job=job,
        by=recruiter,
        stages=[StageSpec(payload, "application"), StageSpec("Offer", "offer")],
    )
    as_user("recruiter")
    for page in (reverse("jobs:list"), url("analytics", job), url("team", job), url("edit", job)):
        html = client.get(page).content.decode()
        assert_inert(html)
        assert escape(payload) in html, page
    detail = client.get(url("detail", job)).content.decode()
    description = detail[detail.index('<div class="job-description') :]
    description = description[: description.index("</div>") + 6]
    assert active_markup(detail) == []
    assert_inert(detail.replace(description, ""))
    assert escape(payload) in detail and "Safe text" in description


# --- Query counts


def test_the_job_page_query_count_is_pinned(as_user, client, pending, django_assert_num_queries):
    as_user("manager")
    client.get(url("detail", pending))
    # 1 session, 2 user, 3 user's security roles, 4 the job, 5 my roles on its team (access
    # check), 6 transitions with actors, 7 approvals of the round with approvers, 8 the team
    # with users (the header's permissions), 9 my pending approval, 10 "has applicants?" (may
    # a hiring manager delete), 11 organisation settings, 12 the poster
    # + the unread-notification count in the navigation
    with django_assert_num_queries(13):
        response = client.get(url("detail", pending))
    assert response.status_code == 200


def test_the_job_page_count_does_not_grow_with_the_history(
    as_user, client, job, recruiter, django_assert_num_queries
):
    as_user("recruiter")
    client.get(url("detail", job))
    # 1 session, 2 user, 3 roles, 4 job, 5 my team roles, 6 transitions, 7 team with users,
    # 8 organisation, 9 poster (no approval round yet; a recruiter may always delete)
    # + the unread-notification count in the navigation
    with django_assert_num_queries(10):
        client.get(url("detail", job))
    # when the history grows by three transitions
    for _ in range(3):
        job_update(job=job, by=recruiter, title=f"{job.title}!")
    job_close(job=job, by=recruiter, reason=CloseReason.CANCELLED)
    html = ""
    # + the unread-notification count in the navigation
    with django_assert_num_queries(10):
        html = client.get(url("detail", job)).content.decode()
    assert html.count("→ Closed") == 1
