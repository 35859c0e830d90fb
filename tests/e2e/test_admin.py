"""The administrator in a real browser: creates a recruiter who then signs in; builds a process."""

import re

import pytest
from playwright.sync_api import expect

from attract.models import Event, SecurityRole, User
from jobs.models import ProcessTemplate

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NORAS_PASSWORD = "Fjord-Lantern-42"


def open_admin_tab(page, tab: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Admin settings").click()
    page.get_by_role("navigation", name="Admin settings").get_by_role("link", name=tab).click()


def test_the_administrator_creates_a_recruiter_who_signs_in(page, login, admin_user):
    # given ada on the Users tab
    login(admin_user)
    open_admin_tab(page, "Users and roles")
    page.get_by_role("link", name="Add a user").click()
    # when she creates Nora Berg, a recruiter, with an initial password
    page.get_by_label("Username").fill("nora")
    page.get_by_label("First name").fill("Nora")
    page.get_by_label("Last name").fill("Berg")
    page.get_by_label("Email").fill("nora.berg@example.com")
    page.get_by_label("Recruiter", exact=True).check()
    page.locator("#id_password").fill(NORAS_PASSWORD)
    page.get_by_label("Confirm the initial password").fill(NORAS_PASSWORD)
    page.get_by_role("button", name="Create user").click()
    # then Nora is listed with her role
    expect(page.get_by_role("status")).to_contain_text("User nora created.")
    row = page.get_by_role("row", name=re.compile("Nora Berg"))
    expect(row).to_contain_text("Recruiter")
    page.get_by_role("button", name="Sign out").click()
    # and Nora signs in with that password and sees her dashboard
    nora = User.objects.get(username="nora")
    login(nora, NORAS_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Nora")
    assert nora.role_set == {SecurityRole.RECRUITER}
    assert Event.objects.filter(type="user.created", actor=admin_user, subject_id=nora.pk).exists()
    assert page.console_errors == []


def test_the_administrator_builds_a_process_with_a_case_study(page, login, admin_user):
    login(admin_user)
    open_admin_tab(page, "Process templates")
    page.get_by_role("link", name="New template").click()
    page.get_by_label("Name").first.fill("Engineering")
    # a "Case study" assessment stage, added at the end and moved up before the Offer
    page.get_by_role("button", name="Add a stage").click()
    added = page.get_by_role("group", name="Stage 7", exact=True)
    expect(added.get_by_label("Name")).to_be_focused()
    added.get_by_label("Name").fill("Case study")
    added.get_by_label("Kind").select_option(label="Assessment")
    added.get_by_role("button", name="Move up").click()
    page.get_by_role("group", name="Stage 6", exact=True).get_by_role(
        "button", name="Move up"
    ).click()
    expect(
        page.get_by_role("group", name="Stage 5", exact=True).get_by_label("Name")
    ).to_have_value("Case study")
    # the Offer stage is removed by mistake: the save is refused with the rule
    offer = page.get_by_role("group", name="Stage 6", exact=True)
    expect(offer.get_by_label("Name")).to_have_value("Offer")
    offer.get_by_label("Remove").check()
    page.get_by_role("button", name="Save template").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The process must keep a stage of kind Offer."
    )
    assert not ProcessTemplate.objects.filter(name="Engineering").exists()
    # fixed: the Offer stage is kept, and the template saves in the order on screen
    offer = page.get_by_role("group", name="Stage 6", exact=True)
    expect(offer.get_by_label("Name")).to_have_value("Offer")
    offer.get_by_label("Remove").uncheck()
    page.get_by_role("button", name="Save template").click()
    expect(page.get_by_role("status")).to_contain_text("Process template “Engineering” saved.")
    template = ProcessTemplate.objects.get(name="Engineering")
    stages = list(template.stages.order_by("position").values_list("name", "kind"))
    assert stages == [
        ("Prospect", "prospect"),
        ("Application", "application"),
        ("Screen", "screening"),
        ("Interview", "interview"),
        ("Case study", "assessment"),
        ("Offer", "offer"),
        ("Hired", "hired"),
    ]
    # The refused save answered 422 (Chromium logs that); nothing else went wrong.
    assert [e for e in page.console_errors if "status of 422" not in e] == []
