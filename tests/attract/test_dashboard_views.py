"""The dashboard: my open jobs, approvals waiting for me, recent activity on my jobs.

rita recruits on `job`, hank manages it, ivan interviews; otto is on no team and must see none of
its activity; ada administers and sees the activity of every job.
"""

import re

import pytest
from django.urls import reverse

from attract.selectors import organisation_get
from candidates.services import (
    application_create,
    application_hire,
    application_move,
    application_reject,
)
from jobs.choices import CloseReason, StageKind, TeamRole
from jobs.process import StageSpec
from jobs.services import (
    job_activate,
    job_close,
    job_decide_approval,
    job_submit_for_approval,
    team_member_add,
    template_save,
)
from tests.factories import CandidateFactory, UserFactory, rejection_reason
from tests.xss import PAYLOADS, assert_inert


def dashboard(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def job_row(html: str, number: str) -> str:
    match = re.search(rf"<tr>\s*<th scope=\"row\"[^>]*>\s*<a[^>]*>{number}</a>.*?</tr>", html, re.S)
    assert match, f"{number} is not in the jobs table"
    return match.group(0)


def counts(row: str) -> list[int]:
    return [int(n) for n in re.findall(r'<td class="text-end">(\d+)</td>', row)]


@pytest.fixture
def approval_template(admin_user):
    return template_save(
        by=admin_user,
        name="Approved hiring",
        requires_approval=True,
        stages=[StageSpec("Application", "application"), StageSpec("Offer", "offer")],
    )


@pytest.fixture
def waiting_job(make_job, recruiter, manager, approval_template):
    """A job whose approval by hank is pending."""
    job = make_job(title="Data analyst", template=approval_template)
    team_member_add(job=job, by=recruiter, user=manager, role=TeamRole.HIRING_MANAGER)
    job_submit_for_approval(job=job, by=recruiter, approvers=[manager])
    return job


# --- My open jobs


def test_my_open_jobs_show_applicants_by_status_and_link_to_the_job(client, job, recruiter, stage):
    hired, rejected, active = (
        application_create(candidate=CandidateFactory(), job=job, by=recruiter) for _ in range(3)
    )
    application_create(candidate=CandidateFactory(), job=job, by=recruiter, prospect=True)
    application_hire(application=hired, by=recruiter)
    application_reject(application=rejected, by=recruiter, reason=rejection_reason())
    application_move(application=active, stage=stage(StageKind.INTERVIEW), by=recruiter)
    html = dashboard(client, recruiter)
    row = job_row(html, job.number)
    assert f'href="{reverse("jobs:detail", args=[job.number])}"' in row
    # active, hired, rejected, withdrawn, prospects
    assert counts(row) == [1, 1, 1, 0, 1]


def test_closed_jobs_and_jobs_of_other_teams_are_not_mine(
    client, job, make_job, recruiter, outsider
):
    closed = make_job(title="Old role")
    job_activate(job=closed, by=recruiter)
    job_close(job=closed, by=recruiter, reason=CloseReason.CANCELLED)
    theirs = make_job(by=outsider, title="Their role")
    html = dashboard(client, recruiter)
    assert job.number in html
    assert closed.number not in html.split('id="activity"')[0]
    assert theirs.number not in html


def test_a_user_on_no_team_is_told_so(client, readonly):
    html = dashboard(client, readonly)
    assert "You are on no open job's hiring team." in html
    assert "Nothing is waiting for your approval." in html
    assert "No activity on your jobs yet." in html


# --- Approvals


def test_approvals_waiting_for_me_link_to_the_job(client, waiting_job, manager):
    html = dashboard(client, manager)
    approvals = html.split('id="approvals"')[1].split('id="activity"')[0]
    assert "Data analyst" in approvals
    assert f'href="{reverse("jobs:detail", args=[waiting_job.number])}"' in approvals


def test_a_decided_approval_no_longer_waits(client, waiting_job, manager):
    job_decide_approval(job=waiting_job, by=manager, approve=True)
    html = dashboard(client, manager)
    approvals = html.split('id="approvals"')[1].split('id="activity"')[0]
    assert "Nothing is waiting for your approval." in approvals


def test_only_the_current_round_waits(client, waiting_job, recruiter, manager, admin_user):
    job_decide_approval(job=waiting_job, by=manager, approve=False, comment="Budget")
    job_submit_for_approval(job=waiting_job, by=recruiter, approvers=[admin_user])
    html = dashboard(client, manager)
    approvals = html.split('id="approvals"')[1].split('id="activity"')[0]
    assert "Data analyst" not in approvals
    assert "Data analyst" in dashboard(client, admin_user).split('id="approvals"')[1]


# --- Recent activity


@pytest.fixture
def moved(job, recruiter, stage):
    recruiter.first_name, recruiter.last_name = "Rita", "Hansen"
    recruiter.save()
    ola = CandidateFactory(first_name="Ola", last_name="Nordmann")
    application = application_create(candidate=ola, job=job, by=recruiter)
    return application_move(application=application, stage=stage(StageKind.INTERVIEW), by=recruiter)


def activity_of(html: str) -> str:
    return html.split('id="activity"')[1]


def test_activity_on_my_jobs_reads_as_sentences(client, moved, job, recruiter):
    activity = activity_of(dashboard(client, recruiter))
    link = f'<a href="{reverse("jobs:detail", args=[job.number])}">{job.number}</a>'
    assert f"Rita Hansen moved Ola Nordmann to Interview on {link}" in activity
    assert f"Rita Hansen added Ola Nordmann to Application on {link}" in activity
    assert " ago</time>" in activity


def test_every_team_member_sees_the_activity(client, moved, interviewer, manager):
    assert "Ola Nordmann" in activity_of(dashboard(client, interviewer))
    assert "Ola Nordmann" in activity_of(dashboard(client, manager))


@pytest.mark.parametrize("who", ["outsider", "readonly"])
def test_an_outsider_sees_none_of_a_jobs_activity(client, request, moved, job, who):
    html = dashboard(client, request.getfixturevalue(who))
    assert "Ola Nordmann" not in html
    assert job.number not in html
    assert "No activity on your jobs yet." in html


def test_an_administrator_sees_the_activity_of_every_job(client, moved, job, admin_user):
    activity = activity_of(dashboard(client, admin_user))
    assert "Ola Nordmann" in activity
    assert job.number in activity


def test_team_changes_and_decisions_are_told(client, waiting_job, recruiter, manager):
    job_decide_approval(job=waiting_job, by=manager, approve=True)
    activity = activity_of(dashboard(client, recruiter))
    assert f"{recruiter} added {manager} to" in activity
    assert "as hiring manager" in activity
    assert f"{recruiter} submitted" in activity
    assert f"{manager} approved" in activity


def test_activity_shows_the_latest_twenty(client, job, recruiter):
    first = CandidateFactory(first_name="Earliest")
    application_create(candidate=first, job=job, by=recruiter)
    for _ in range(20):
        application_create(candidate=CandidateFactory(), job=job, by=recruiter)
    activity = activity_of(dashboard(client, recruiter))
    assert activity.count("<li") == 20
    assert "Earliest" not in activity


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_names_and_titles_render_inert(
    client, make_job, recruiter, manager, stage, payload
):
    recruiter.first_name = payload
    recruiter.save()
    manager.last_name = payload
    manager.save()
    job = make_job(title=payload)
    team_member_add(job=job, by=recruiter, user=manager, role=TeamRole.HIRING_MANAGER)
    job_activate(job=job, by=recruiter)
    hostile = CandidateFactory(first_name=payload, last_name=payload)
    application_create(candidate=hostile, job=job, by=recruiter)
    html = dashboard(client, manager)
    assert_inert(html)
    assert job.number in activity_of(html)


# --- Query count


def set_up_dashboard(recruiter, manager, approval_template, make_job, count: int) -> None:
    """`count` active jobs with an applicant and `count` jobs waiting for hank's approval."""
    for index in range(count):
        job = make_job(title=f"Role {index}")
        team_member_add(job=job, by=recruiter, user=manager, role=TeamRole.HIRING_MANAGER)
        job_activate(job=job, by=recruiter)
        application_create(candidate=CandidateFactory(), job=job, by=recruiter)
        waiting = make_job(title=f"Pending {index}", template=approval_template)
        team_member_add(job=waiting, by=recruiter, user=manager, role=TeamRole.HIRING_MANAGER)
        job_submit_for_approval(job=waiting, by=recruiter, approvers=[manager])
    # The latest events name both a candidate and a user, whatever the count.
    team_member_add(job=job, by=recruiter, user=UserFactory(), role=TeamRole.INTERVIEWER)
    application_create(candidate=CandidateFactory(), job=job, by=recruiter)


@pytest.mark.parametrize("count", [3, 20])
def test_the_dashboard_costs_the_same_queries_for_3_and_20_rows(
    client, recruiter, manager, approval_template, make_job, django_assert_num_queries, count
):
    set_up_dashboard(recruiter, manager, approval_template, make_job, count)
    organisation_get()
    client.force_login(manager)
    # session, user, user's roles, recent events (with actor and job), names of the candidates
    # and of the users they mention, my open jobs with counts, my approvals (with job),
    # organisation
    # + the unread-notification count in the navigation
    with django_assert_num_queries(10):
        html = client.get(reverse("dashboard")).content.decode()
    assert html.count("Pending ") >= count
    assert html.count("Role ") >= count
