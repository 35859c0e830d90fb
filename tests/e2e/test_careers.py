"""The career site in Chromium: a job seeker finds a job, has a disguised file refused, applies with
a real PDF, and the recruiter is notified."""

import copy
import uuid

import pytest
from playwright.sync_api import expect

from attract.models import Notification
from candidates.models import Application, DocumentKind
from jobs.choices import StageKind
from tests.careers.conftest import PDF, PNG

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"careers-e2e-{uuid.uuid4().hex}"
    settings.CACHES = caches


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_job_seeker_finds_a_job_and_applies_after_a_refused_upload(
    page, job, make_job, recruiter, tmp_path
):
    make_job(title="Office manager", city="Bergen")  # a draft: never on the career site
    disguised = tmp_path / "cv.pdf"
    disguised.write_bytes(PNG)
    real = tmp_path / "nora-berg-cv.pdf"
    real.write_bytes(PDF)

    # a job seeker on a phone opens the career site and searches
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/careers/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Open positions")
    assert no_horizontal_scroll(page)
    page.get_by_label("Job title").fill("backend")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 open position")).to_be_focused()
    expect(page.get_by_role("link", name="Office manager")).to_have_count(0)
    page.get_by_label("Employment type").select_option("Part-time")  # HTMX on change
    expect(page.get_by_role("heading", name="0 open positions")).to_be_visible()
    page.get_by_label("Employment type").select_option("Any")
    expect(page.get_by_role("heading", name="1 open position")).to_be_visible()

    # opens the job
    page.get_by_role("link", name="Backend engineer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Backend engineer")
    assert no_horizontal_scroll(page)

    # applies with a PNG renamed cv.pdf
    page.get_by_role("link", name="Apply", exact=True).click()
    assert no_horizontal_scroll(page)
    page.get_by_label("First name").fill("Nora")
    page.get_by_label("Last name").fill("Berg")
    page.get_by_label("Email").fill("nora.berg@example.org")
    page.get_by_label("Phone").fill("+47 912 34 567")
    page.get_by_label("Résumé").set_input_files(disguised)
    page.get_by_label("I agree that my data is kept").check()
    page.get_by_role("button", name="Send application").click()

    # and is told why, with what she typed kept and a word about the file
    expect(page.get_by_text("This file type is not accepted.")).to_be_visible()
    expect(page.get_by_label("Résumé")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("First name")).to_have_value("Nora")
    expect(page.get_by_label("Email")).to_have_value("nora.berg@example.org")
    expect(page.get_by_label("I agree that my data is kept")).to_be_checked()
    expect(page.get_by_role("alert").first).to_contain_text("choose your résumé")
    assert not Application.objects.exists()

    # then chooses the real PDF and applies
    page.get_by_label("Résumé").set_input_files(real)
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for applying")
    assert "nora" not in page.url.lower()
    assert no_horizontal_scroll(page)

    application = Application.objects.select_related("candidate", "stage").get()
    assert application.job == job
    assert application.stage.kind == StageKind.APPLICATION
    assert application.candidate.primary_email == "nora.berg@example.org"
    assert application.documents.get().kind == DocumentKind.RESUME
    notification = Notification.objects.get(recipient=recruiter)
    assert "Nora Berg applied to" in notification.text
    assert page.console_errors == []


def test_the_recruiter_sees_the_notification_and_marks_it_read(page, login, job, recruiter):
    Notification.objects.create(
        recipient=recruiter,
        verb="application.created",
        text=f"Nora Berg applied to {job.number} Backend engineer on the career site.",
        url="/candidates/",
        job=job,
    )
    login(recruiter)
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Notifications (1)").click()
    expect(page.get_by_role("link", name="Nora Berg applied to")).to_be_visible()
    page.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_role("status")).to_contain_text("1 notification marked read.")
    expect(nav.get_by_role("link", name="Notifications (0)")).to_be_visible()
    assert page.console_errors == []
