"""The candidate's LinkedIn tab in Chromium: a recruiter with a connected Recruiter seat sees the
linked member's card, InMail history and notes, sends an InMail and saves the member to a
LinkedIn Recruiter project with the keyboard, against the real sandbox; on a phone nothing
scrolls sideways."""

import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from attract.models import Organisation
from attract.selectors import organisation_get
from candidates.models import Application
from jobs.choices import StageKind
from jobs.services import job_activate
from linkedin import services_outbox, services_prospects
from linkedin.models_rsc import RecruiterConnection
from tests.linkedin.conftest import _linkedin_sandbox_process, linkedin_sandbox  # noqa: F401
from tests.linkedin.test_linkedin_actions import INGRID, KENJI, KENJI_URN, connect
from tests.linkedin.test_rsc_views import connect_partner_ready

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def connected_rita(admin_user, recruiter, linkedin_sandbox, settings):  # noqa: F811
    """Recruiter System Connect enabled; rita connected as Ingrid (Recruiter seat 900003)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": uuid.uuid4().hex,
        }
    }
    settings.LINKEDIN_PROSPECTS_LOOKBACK_HOURS = 1
    admin = Client()
    admin.force_login(admin_user)
    connect_partner_ready(admin, linkedin_sandbox)
    linkedin_sandbox.enable_integration(deliver=False)
    admin.post("/linkedin/rsc/refresh/")
    rita = Client()
    rita.force_login(recruiter)
    connect(rita, linkedin_sandbox, INGRID)
    return recruiter


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def press(page, locator, key: str = "Enter") -> None:
    locator.focus()
    page.keyboard.press(key)


def test_a_recruiter_sends_an_inmail_and_saves_to_a_project_from_the_tab(
    page,
    login,
    connected_rita,
    application,
    linkedin_sandbox,  # noqa: F811 - the fixture imported above
):
    sandbox = linkedin_sandbox
    candidate = application.candidate
    candidate.linkedin_member_urn = KENJI_URN
    candidate.current_title = "Senior Backend Engineer"
    candidate.save()
    # given: earlier Recruiter activity on LinkedIn, pulled by the sync
    seat = sandbox.recruiter_seat
    sandbox.activity("inmail", seat=seat, member=KENJI, subject="First contact", body="Hello!")
    sandbox.activity("note", seat=seat, member=KENJI, note="Strong Go skills", visibility="PUBLIC")
    now = int(sandbox.state()["_meta"]["now_ms"]) + 1
    services_prospects.prospects_pull(now_ms=now)

    # when: rita opens the candidate's LinkedIn tab
    login(connected_rita)
    page.goto(f"/candidates/{candidate.pk}/linkedin/")
    expect(page.get_by_test_id("linkedin-card")).to_contain_text("Senior Backend Engineer")
    history = page.locator("section", has=page.get_by_role("heading", name="InMail history"))
    expect(history).to_contain_text("First contact")
    notes = page.locator("section", has=page.get_by_role("heading", name="Recruiter notes"))
    expect(notes).to_contain_text("Strong Go skills")

    # and: sends an InMail with the keyboard only
    page.get_by_label("Subject").focus()
    page.keyboard.type("Backend role in Oslo")
    page.keyboard.press("Tab")
    page.keyboard.type("Hi Kenji, would you talk to us?")
    press(page, page.get_by_role("button", name="Send InMail"))
    expect(page.locator("#messages")).to_contain_text("InMail sent to")
    sent = [e for e in sandbox.state()["conversation_event"] if e["subject"].startswith("Backend")]
    assert [(e["viewer"], e["recipients"], e["body"]) for e in sent] == [
        (seat, [KENJI_URN], "Hi Kenji, would you talk to us?")
    ]

    # and: saves him to a project with the keyboard
    project = page.get_by_label("LinkedIn Recruiter project")
    project.focus()
    page.keyboard.press("ArrowDown")  # from "Choose a project" to the first project
    expect(project).to_have_value("urn:li:recruiterProject:7001")
    press(page, page.get_by_role("button", name="Save to project"))
    expect(page.locator("#messages")).to_contain_text("is saved to the project Backend engineers")
    [saved] = sandbox.state()["recruiter_project_member"]
    assert (saved["project"], saved["member"]) == ("urn:li:recruiterProject:7001", KENJI_URN)

    # then: on a phone the tab does not scroll sideways, and Attract logged no browser error
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    expect(page.get_by_role("button", name="Send InMail")).to_be_visible()
    assert no_horizontal_scroll(page)
    assert page.console_errors == []


# --- The "Done when": export from Recruiter, move to Screen, "In ATS" on LinkedIn -------

LONG = "<p>" + "A description long enough for LinkedIn's job postings. " * 3 + "</p>"


def on_linkedin(page, sandbox, path: str) -> None:
    """Ingrid signs in to LinkedIn Recruiter and opens `path`."""
    page.goto(f"{sandbox.url}/login?next={path}")
    page.get_by_label("Email").fill(INGRID)
    page.get_by_label("Password").fill(sandbox.member_password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{sandbox.url}{path}")


def test_an_exported_member_moved_to_screen_shows_in_ats_on_linkedin(
    page,
    login,
    connected_rita,
    make_job,
    live_server,
    linkedin_sandbox,  # noqa: F811 - the fixture imported above
):
    sandbox = linkedin_sandbox
    # given: LinkedIn pushes to this server, and rita's active job is listed on LinkedIn
    Organisation.objects.update_or_create(
        pk=organisation_get().pk, defaults={"public_site_url": "https://jobs.example.com"}
    )
    connection = RecruiterConnection.objects.get()
    callback = reverse("linkedin:callback", args=[connection.callback_token])
    sandbox._configure(
        connection.client_id,
        connection.client_secret,
        connection.contract_urn,
        f"{live_server.url}{callback}",
    )
    job = make_job(title="Platform engineer", description=LONG, city="Oslo", country="NO")
    job_activate(job=job, by=connected_rita)
    assert services_outbox.outbox_drain().sent == 1
    sandbox.advance_clock(600)  # LinkedIn processes the job posting task

    # when: Ingrid exports Kenji to the job from his Recruiter profile
    on_linkedin(page, sandbox, f"/members/{KENJI}")
    page.get_by_label(re.compile(re.escape(f"Platform engineer ({job.number})"))).check()
    page.get_by_role("button", name="Export", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("notification was delivered")

    # then: he is a prospect of the job in Attract
    application = Application.objects.select_related("candidate", "stage").get(job=job)
    assert application.stage.kind == StageKind.PROSPECT
    assert application.candidate.linkedin_member_urn == KENJI_URN

    # when: rita moves him to Screen on the board and the outbox drains
    page.console_errors.clear()  # the sandbox's pages have no favicon; Attract's must be clean
    login(connected_rita)
    page.goto(reverse("jobs:board:board", args=[job.number]))
    page.get_by_label("Move Kenji Nakamura to").select_option(label="Screen")
    page.get_by_role("button", name="Move Kenji Nakamura").click()
    expect(page.locator("#messages")).to_contain_text("Moved Kenji Nakamura to Screen.")
    assert page.console_errors == []
    drained = services_outbox.outbox_drain()
    assert drained is not None and drained.parked == 0

    # then: LinkedIn Recruiter shows him "In ATS" for the job, in Screen
    on_linkedin(page, sandbox, f"/members/{KENJI}")
    in_ats = page.locator(".card", has=page.get_by_test_id("in-ats"))
    expect(in_ats).to_contain_text("Platform engineer: Screen")
