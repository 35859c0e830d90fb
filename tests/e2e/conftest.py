"""Browser tests: Playwright driving Debian's headless Chromium against the live test server.

On failure a test leaves a screenshot and the page's HTML under test-artifacts/e2e/ and prints
their paths. Without Chromium the tests skip on a laptop and fail in CI.
"""

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
PASSWORD = "pw-Attract-123"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash.setdefault("reports", {})[report.when] = report
        if report.failed and "page" in item.funcargs:
            _save_artifacts(item.funcargs["page"], item.name)
    return report


def _save_artifacts(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = ARTIFACTS / name.replace("/", "_")
    try:
        page.screenshot(path=f"{stem}.png", full_page=True)
        Path(f"{stem}.html").write_text(page.content())
        print(f"\nE2E artifacts: {stem}.png {stem}.html")
    except Exception as exc:  # a dead page must not hide the real failure
        print(f"\nE2E artifacts could not be saved: {exc}")


@pytest.fixture
def page(browser, live_server, settings):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture
def login(page):
    def sign_in(user, password: str = PASSWORD):
        page.context.clear_cookies()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    return sign_in
