"""A first look in a real browser: sign in, the dashboard, no CSP violations."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_recruiter_signs_in_and_reaches_every_main_page(page, login, recruiter):
    login(recruiter)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
    for link, heading in [
        ("Jobs", "Jobs"),
        ("Candidates", "Candidates"),
        ("Talent pools", "Talent pools"),
    ]:
        page.get_by_role("navigation", name="Main").get_by_role("link", name=link).click()
        assert page.get_by_role("heading", level=1).inner_text() == heading
    assert page.console_errors == []


def test_the_skip_link_moves_focus_to_the_main_content(page, login, recruiter):
    login(recruiter)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
