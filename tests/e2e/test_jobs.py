"""Jobs in a real browser: a job from draft, through approval, to active; the job page at phone
width."""

import re

import pytest
from playwright.sync_api import expect

from jobs.choices import ApprovalDecision, JobStatus, StageKind, TeamRole
from jobs.models import Job
from jobs.process import StageSpec
from jobs.services import template_save

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def approval_template(admin_user):
    return template_save(
        by=admin_user,
        name="Approved hiring",
        requires_approval=True,
        stages=[
            StageSpec("Application", StageKind.APPLICATION),
            StageSpec("Interview", StageKind.INTERVIEW),
            StageSpec("Offer", StageKind.OFFER),
            StageSpec("Hired", StageKind.HIRED),
        ],
    )


def open_job(page, number: str, title: str):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Jobs").click()
    page.get_by_label("Search").fill(number)
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)


def test_a_job_is_created_approved_and_activated(
    page, login, recruiter, manager, approval_template
):
    # the recruiter creates a job from the template that needs approval
    login(recruiter)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Jobs").click()
    page.get_by_role("link", name="New job").click()
    page.get_by_label("Process template").select_option(label="Approved hiring (needs approval)")
    page.get_by_label("Title").fill("Platform engineer")
    page.get_by_label("Description").fill("<p>Keep the platform running.</p>")
    page.get_by_label("City").fill("Trondheim")
    page.get_by_label("Country").select_option("NO")
    page.get_by_role("button", name="Create job").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Platform engineer")
    expect(page.locator("#job-status")).to_have_text("Draft")
    job = Job.objects.get(title="Platform engineer")
    assert job.requires_approval and job.template == approval_template

    # adds the hiring manager to the team (in place, by HTMX)
    page.get_by_role("navigation", name="Job sections").get_by_role(
        "link", name="Hiring team"
    ).click()
    add_manager = page.locator("form").filter(has=page.get_by_label("Add a hiring manager"))
    add_manager.get_by_label("Add a hiring manager").select_option(str(manager.pk))
    add_manager.get_by_role("button", name="Add").click()
    expect(page.get_by_text(f"{manager} added as hiring manager.")).to_be_visible()
    assert job.team.filter(user=manager, role=TeamRole.HIRING_MANAGER).exists()

    # and submits it for approval; the hiring manager is the default approver
    page.get_by_role("link", name="Submit for approval").click()
    expect(page.get_by_label(re.compile(re.escape(str(manager))))).to_be_checked()
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator("#job-status")).to_have_text("Pending approval")

    # the manager signs in, finds the job and approves it with a comment
    login(manager)
    open_job(page, job.number, "Platform engineer")
    expect(page.get_by_role("heading", name="Your approval is requested")).to_be_visible()
    page.get_by_label("Comment").fill("Budget confirmed for Q3.")
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.locator("#job-status")).to_have_text("Approved")
    expect(page.get_by_role("cell", name="Budget confirmed for Q3.")).to_be_visible()
    assert job.approvals.get().decision == ApprovalDecision.APPROVED

    # the recruiter signs in and activates it
    login(recruiter)
    open_job(page, job.number, "Platform engineer")
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_text(f"Job {job.number} activated.")).to_be_visible()
    expect(page.locator("#job-status")).to_have_text("Active")
    job.refresh_from_db()
    assert job.status == JobStatus.ACTIVE
    assert page.console_errors == []


def test_the_job_page_fits_a_phone(page, login, job, application):
    page.set_viewport_size({"width": 375, "height": 800})
    login(job.created_by)
    for tab in ("", "team/", "process/", "postings/", "analytics/"):
        page.goto(f"/jobs/{job.number}/{tab}")
        expect(page.get_by_role("heading", level=1)).to_contain_text(job.title)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"/jobs/{job.number}/{tab} scrolls sideways ({width}px)"
