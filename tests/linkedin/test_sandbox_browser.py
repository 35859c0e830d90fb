"""The sandbox's Recruiter admin page in Chromium: labels, roles and keyboard only."""

import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_admin_enables_contract_level_access_with_the_keyboard(linkedin_sandbox, page):
    linkedin_sandbox.provision_customer()
    page.goto(f"{linkedin_sandbox.url}/recruiter/admin/ats")
    page.get_by_label("Email").fill(linkedin_sandbox.admin_email)
    page.get_by_label("Password").fill("linkedin")
    page.get_by_label("Password").press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "Admin settings: ATS"
    page.get_by_role("link", name="Nordlys Technologies - Campus Hiring").focus()
    page.get_by_role("link", name="Nordlys Technologies - Talent Acquisition").click()
    button = page.get_by_role("button", name="Turn on contract level access")
    button.focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Turn off contract level access").wait_for()
    assert "partner notification(s) delivered" in page.get_by_role("status").inner_text()
    statuses = {i["status"] for i in linkedin_sandbox.state()["integration"]}
    assert statuses == {"ENABLED"}


def test_member_page_works_at_phone_width(linkedin_sandbox, page):
    page.goto(f"{linkedin_sandbox.url}/members")
    page.get_by_label("Search members").fill("okafor")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Amara Okafor").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Amara Okafor"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
