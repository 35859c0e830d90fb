"""Recruiter System Connect in a real browser: the administrator connects Attract to LinkedIn
Recruiter against the sandbox, the Recruiter admin turns it on in LinkedIn, and Attract shows
"Enabled" with the access level; LinkedIn's push reaches the live server over HTTP."""

import re

import pytest
from playwright.sync_api import expect

from linkedin.models_rsc import RecruiterConnection, RscStatus, WebhookEvent
from tests.linkedin.conftest import _linkedin_sandbox_process, linkedin_sandbox  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TAB = "/settings/admin/linkedin/"


def test_an_administrator_connects_recruiter_system_connect(
    page,
    login,
    admin_user,
    linkedin_sandbox,  # noqa: F811 - the fixture imported above
    live_server,
    settings,
):
    sandbox = linkedin_sandbox
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    login(admin_user)
    page.goto(TAB)
    section = page.locator("#linkedin-rsc-section")
    status = section.get_by_test_id("rsc-status")
    expect(status).to_have_text("Not connected")

    # Connect: she signs in with LinkedIn and allows Attract
    section.get_by_role("button", name="Connect").click()
    page.wait_for_url(re.compile(re.escape(f"{sandbox.url}/login")))
    page.get_by_label("Email").fill(sandbox.admin_email)
    page.get_by_label("Password").fill(sandbox.member_password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Allow").click()

    # back in Attract: she administers two contracts and picks Talent Acquisition
    page.wait_for_url(f"{live_server.url}{TAB}")
    expect(status).to_have_text("Choose a contract")
    section.get_by_label(re.compile("Talent Acquisition")).check()
    section.get_by_role("button", name="Use this contract").click()
    expect(page.get_by_role("status").first).to_contain_text("Contract chosen")

    # Request: LinkedIn's integration plugin asks her to confirm the contract
    section.get_by_role("button", name="Request").click()
    page.wait_for_url(re.compile(re.escape(f"{sandbox.url}/recruiter/widget/ATSIntegration")))
    page.get_by_label(re.compile("Talent Acquisition")).check()
    page.get_by_role("button", name="Request", exact=True).click()
    page.wait_for_url(f"{live_server.url}{TAB}")
    expect(status).to_have_text("Partner ready")
    connection = RecruiterConnection.objects.get()
    assert connection.contract_urn == sandbox.contract

    # the Recruiter admin turns on contract level access in LinkedIn Recruiter (More → Admin
    # Settings → ATS); LinkedIn pushes INTEGRATION_STATUS_CHANGE to Attract's callback URL
    page.goto(f"{sandbox.url}/recruiter/admin/ats")
    page.get_by_role("button", name="Turn on contract level access").click()
    expect(page.get_by_text("1 of 1 partner notification(s) delivered")).to_be_visible()

    # back in Attract the status reads Enabled, with what contract level access unlocks
    page.console_errors.clear()  # the sandbox's pages have no favicon; Attract's must be clean
    page.goto(TAB)
    expect(status).to_have_text("Enabled")
    expect(section).to_contain_text("Contract level access")
    expect(section.locator("#linkedin-rsc-features")).to_contain_text("InMail stub profiles")
    section.get_by_role("button", name="Refresh").click()  # in place (HTMX)
    expect(section.get_by_text("Last read from LinkedIn")).to_be_visible()
    expect(page.locator("#linkedin-rsc-status")).to_be_focused()
    connection.refresh_from_db()
    assert (connection.status, connection.access_level) == (RscStatus.ENABLED, "contract")
    push = WebhookEvent.objects.get()
    assert (push.kind, push.status) == ("INTEGRATION_STATUS_CHANGE", "processed")
    assert page.console_errors == []
