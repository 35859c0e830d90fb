"""A recruiter builds a talent pool from the search results, moves a member onto a job and shares
the pool with a hiring manager, in headless Chromium."""

import re

import pytest
from playwright.sync_api import expect

from candidates.models import Application, Candidate
from candidates.services import application_create, candidate_create
from jobs.choices import StageKind
from talentpools.models import TalentPool

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mathematicians(recruiter):
    people = [
        ("Ada", "Lovelace", "ada@engines.example", ["maths"]),
        ("Alan", "Turing", "alan@bletchley.example", ["maths", "crypto"]),
        ("Grace", "Hopper", "grace@navy.example", ["cobol"]),
    ]
    for first, last, email, tags in people:
        candidate_create(by=recruiter, first_name=first, last_name=last, email=email, tags=tags)


def test_a_recruiter_pools_search_results_moves_one_onto_a_job_and_shares_the_pool(
    page, login, recruiter, manager, job, mathematicians
):
    # given: Rita searches for the mathematicians
    login(recruiter)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Candidates").click()
    page.get_by_label("Search", exact=True).fill("maths")
    page.keyboard.press("Enter")
    results = page.locator("#search-results")
    expect(results.get_by_role("heading", name="2 candidates found")).to_be_visible()
    expect(page).to_have_url(re.compile(r"q=maths"))

    # when: she selects both and adds them to a new pool
    page.get_by_label("Select Ada Lovelace").check()
    page.get_by_label("Select Alan Turing").check()
    page.get_by_label("New pool name").fill("Mathematicians")
    page.get_by_role("button", name="Add selected to pool").click()
    expect(page.get_by_role("status")).to_contain_text("2 candidates added to Mathematicians")
    pool = TalentPool.objects.get(name="Mathematicians")
    assert pool.owner == recruiter
    assert pool.memberships.count() == 2

    # and opens the pool, selects Ada and moves her onto the job
    page.get_by_role("status").get_by_role("link", name="Mathematicians").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mathematicians")
    page.get_by_label("Select Ada Lovelace").check()
    page.get_by_label("Move onto job").select_option(label=f"{job.number} {job.title}")
    page.get_by_role("button", name="Move onto job").click()

    # then: Ada is a prospect on the job, and the page says so
    expect(page.get_by_role("status")).to_contain_text(
        f"1 moved onto {job.number} {job.title} (Prospect): Ada Lovelace."
    )
    application = Application.objects.select_related("stage", "candidate").get(job=job)
    assert application.candidate.full_name == "Ada Lovelace"
    assert application.stage.kind == StageKind.PROSPECT

    # when: she shares the pool with Hank
    page.get_by_role("link", name="Sharing").click()
    page.get_by_label("Share with").select_option(label=f"{manager.get_full_name()} (hank)")
    page.get_by_role("button", name="Share", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("is now shared with")
    assert list(pool.contributors.all()) == [manager]
    assert page.console_errors == []

    # then: Hank finds it in his list
    login(manager)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Talent pools").click()
    row = page.get_by_role("row", name=re.compile("Mathematicians"))
    expect(row).to_contain_text("Shared with you")
    expect(row).to_contain_text("2")


def test_search_filters_update_the_results_in_place(page, login, recruiter, job, mathematicians):
    # given: Ada applied to the job; the others did not
    ada = Candidate.objects.get(last_name="Lovelace")
    application_create(candidate=ada, job=job, by=recruiter)
    login(recruiter)
    page.goto("/candidates/")
    page.evaluate("window.notReloaded = true")

    # when: Rita filters by the job, then by one of its stages
    page.get_by_label("Job").select_option(label=f"{job.number} {job.title}")
    page.get_by_role("button", name="Search").click()

    # then: the results change in place, the job's stages are offered and focus is on the count
    summary = page.locator("#search-results h2")
    expect(summary).to_have_text(re.compile("1 candidate found"))
    assert page.evaluate("window.notReloaded") is True
    expect(page.get_by_label("Stage").locator("option")).to_have_count(job.stages.count() + 1)
    assert page.evaluate("document.activeElement.tagName") == "H2"
    page.get_by_label("Stage").select_option(label="Screen")
    page.get_by_role("button", name="Search").click()
    expect(summary).to_have_text(re.compile("0 candidates found"))
    assert page.console_errors == []
