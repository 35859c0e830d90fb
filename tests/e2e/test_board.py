"""The pipeline board in Chromium: add, move by keyboard, drag and drop, reject, role limits."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from candidates.models import Application, ApplicationStatus
from candidates.services import application_create
from jobs.choices import StageKind
from tests.factories import CandidateFactory, rejection_reason

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def board_url(job):
    return reverse("jobs:board:board", args=[job.number])


def column_count(page, stage):
    return page.locator(f"#column-{stage.pk} [data-count]")


def test_a_recruiter_adds_a_candidate_moves_them_by_keyboard_and_rejects_another(
    page, login, job, recruiter, stage
):
    # given Carl already applied
    carl = application_create(
        candidate=CandidateFactory(first_name="Carl", last_name="Other"), job=job, by=recruiter
    )
    reason = rejection_reason()
    application, screen, interview = (
        stage(StageKind.APPLICATION),
        stage(StageKind.SCREENING),
        stage(StageKind.INTERVIEW),
    )
    login(recruiter)
    page.goto(board_url(job))
    status = page.locator("#messages")

    # when the recruiter adds Nora on the board
    page.get_by_text("Add a candidate to this job").click()
    page.get_by_label("First name").fill("Nora")
    page.get_by_label("Last name").fill("Berg")
    page.get_by_label("Email").fill("nora.berg@example.org")
    page.get_by_label("Phone").fill("+47 555 01 234")
    page.get_by_role("button", name=f"Add to {job.number}").click()

    # then her card is in Application and has the focus
    expect(status).to_contain_text("Added Nora Berg to Application.")
    nora = Application.objects.get(candidate__emails__email="nora.berg@example.org")
    card = page.locator(f"#card-{nora.pk}")
    expect(card).to_be_focused()
    expect(column_count(page, application)).to_have_text("2 cards")

    # when she is moved by keyboard only: "]" then Alt+Right, at once (as a fast typist does,
    # before htmx has settled the previous swap)
    page.evaluate("window.sameDocument = true")
    page.keyboard.press("]")
    expect(status).to_contain_text("Moved Nora Berg to Screen.")
    moved = page.locator(f"#cards-{screen.pk} #card-{nora.pk}")
    expect(moved).to_be_focused()
    assert page.evaluate("window.sameDocument === true")  # moved in place, no page load
    expect(column_count(page, application)).to_have_text("1 cards")
    expect(column_count(page, screen)).to_have_text("1 cards")
    nora.refresh_from_db()
    assert nora.stage == screen

    page.keyboard.press("Alt+ArrowRight")
    expect(status).to_contain_text("Moved Nora Berg to Interview.")
    expect(page.locator(f"#cards-{interview.pk} #card-{nora.pk}")).to_be_focused()
    assert page.evaluate("window.sameDocument === true")
    expect(column_count(page, screen)).to_have_text("0 cards")
    expect(column_count(page, interview)).to_have_text("1 cards")
    nora.refresh_from_db()
    assert nora.stage == interview
    assert page.url.endswith(board_url(job))  # still on the board: no navigation happened

    # when Carl is rejected with a reason
    page.get_by_role("link", name=re.compile(r"^Reject\s+Carl Other")).click()
    expect(page.get_by_role("combobox", name="Reason", exact=True)).to_be_focused()
    page.get_by_role("combobox", name="Reason", exact=True).select_option(label=reason.name)
    page.get_by_role("button", name="Reject", exact=True).click()

    # then his card leaves the board and the database says why
    expect(status).to_contain_text(f"Rejected Carl Other: {reason.name}.")
    expect(page.locator(f"#card-{carl.pk}")).to_have_count(0)
    expect(column_count(page, application)).to_have_text("0 cards")
    carl.refresh_from_db()
    assert (carl.status, carl.rejection_reason) == (ApplicationStatus.REJECTED, reason)
    assert page.console_errors == []


def test_a_hiring_manager_finds_no_reject_control_and_a_direct_post_is_refused(
    page, login, job, recruiter, manager, stage
):
    ann = application_create(
        candidate=CandidateFactory(first_name="Ann", last_name="Active"), job=job, by=recruiter
    )
    reason = rejection_reason()
    login(manager)
    page.goto(board_url(job))

    # the manager may move Ann but sees no way to reject her
    expect(page.get_by_role("button", name="Move Ann Active")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Reject"))).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("Reject"))).to_have_count(0)
    expect(page.get_by_label(re.compile("Rejection reason"))).to_have_count(0)

    # a hand-made POST with a valid CSRF token is refused and changes nothing
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    headers = {"X-CSRFToken": token}
    refused = page.request.post(
        reverse("jobs:board:reject", args=[job.number, ann.pk]),
        form={"reason": str(reason.pk)},
        headers=headers,
        max_redirects=0,
    )
    assert refused.status == 403
    refused = page.request.post(
        reverse("jobs:board:bulk_reject", args=[job.number]),
        form={"applications": str(ann.pk), "reason": str(reason.pk)},
        headers=headers,
        max_redirects=0,
    )
    assert refused.status == 403
    ann.refresh_from_db()
    assert ann.status == ApplicationStatus.ACTIVE
    assert ann.rejection_reason is None

    # the same token does carry a move the manager may make: the 403 was the role matrix
    moved = page.request.post(
        reverse("jobs:board:move", args=[job.number, ann.pk]),
        form={"stage": str(stage(StageKind.SCREENING).pk)},
        headers=headers,
        max_redirects=0,
    )
    assert moved.status == 302
    ann.refresh_from_db()
    assert ann.stage.kind == StageKind.SCREENING


def test_a_recruiter_drags_a_card_to_another_column(page, login, job, recruiter, stage):
    dan = application_create(
        candidate=CandidateFactory(first_name="Dan", last_name="Dragged"), job=job, by=recruiter
    )
    interview = stage(StageKind.INTERVIEW)
    login(recruiter)
    page.goto(board_url(job))
    page.drag_and_drop(
        f"#card-{dan.pk}", f"#cards-{interview.pk}", source_position={"x": 4, "y": 4}
    )
    expect(page.locator("#messages")).to_contain_text("Moved Dan Dragged to Interview.")
    expect(page.locator(f"#cards-{interview.pk} #card-{dan.pk}")).to_be_visible()
    expect(column_count(page, interview)).to_have_text("1 cards")
    dan.refresh_from_db()
    assert dan.stage == interview
    assert page.console_errors == []
