"""The named actors of the suite and the shared set-up, done through production services."""

import importlib
import os
import shutil

import pytest
from django.apps import apps as django_apps

from attract.celery import app as celery_app
from attract.models import SecurityRole
from candidates.services import application_create
from jobs.choices import TeamRole
from jobs.services import job_activate, job_create, team_member_add
from tests.factories import CandidateFactory, UserFactory

R = SecurityRole
JOB_FIELDS = {
    "title": "Backend engineer",
    "description": "<p>Build the hiring product with Python, Django and PostgreSQL. " * 3 + "</p>",
    "city": "Oslo",
    "country": "NO",
}


# Rows the data migrations create; a transactional test's flush removes them, so they come back.
DATA_MIGRATIONS = [
    ("jobs.migrations.0002_default_process_template", "create_default_template"),
    ("candidates.migrations.0002_default_rejection_reasons", "create_reasons"),
    ("talentpools.migrations.0002_linkedin_pool", "create_linkedin_pool"),
]


@pytest.fixture(autouse=True)
def _data_migration_rows(request):
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        for module, function in DATA_MIGRATIONS:
            getattr(importlib.import_module(module), function)(django_apps, None)


def service_missing(reason: str) -> None:
    """Skip on a laptop without the service; fail in CI (ATTRACT_REQUIRE_SERVICES=1)."""
    if os.environ.get("ATTRACT_REQUIRE_SERVICES") == "1":
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _eager_celery():
    """Unit tests run tasks in-process; the service tests switch this off for a real worker."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _fast_test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Feed fetches are logged at once here; the batched log has its own tests.
    settings.LINKEDIN_FEED_LOG_DELAY = 0
    # The product's LinkedIn limiter paces conversationEvents at 12 records a member-minute;
    # the sandbox counts at LinkedIn's rates, and tests read far fewer records than that.
    settings.LINKEDIN_RATE_SCALE = 100


@pytest.fixture
def admin_user(db):
    return UserFactory(username="ada", roles=[R.ADMINISTRATOR])


@pytest.fixture
def recruiter(db):
    return UserFactory(username="rita", roles=[R.RECRUITER])


@pytest.fixture
def manager(db):
    return UserFactory(username="hank", roles=[R.HIRING_MANAGER])


@pytest.fixture
def interviewer(db):
    return UserFactory(username="ivan", roles=[R.INTERVIEWER])


@pytest.fixture
def outsider(db):
    """A recruiter on no team of the jobs under test: must see none of their applicants."""
    return UserFactory(username="otto", roles=[R.RECRUITER, R.HIRING_MANAGER])


@pytest.fixture
def readonly(db):
    return UserFactory(username="rory", roles=[R.READ_ONLY])


@pytest.fixture
def make_job(recruiter):
    def make(by=None, **fields):
        return job_create(by=by or recruiter, **{**JOB_FIELDS, **fields})

    return make


@pytest.fixture
def job(make_job, recruiter, manager, interviewer):
    """An active job with a full team: rita recruits, hank manages, ivan interviews."""
    job = make_job()
    team_member_add(job=job, by=recruiter, user=manager, role=TeamRole.HIRING_MANAGER)
    team_member_add(job=job, by=recruiter, user=interviewer, role=TeamRole.INTERVIEWER)
    job_activate(job=job, by=recruiter)
    return job


@pytest.fixture
def candidate(db):
    return CandidateFactory()


@pytest.fixture
def application(job, candidate, recruiter):
    return application_create(candidate=candidate, job=job, by=recruiter)


@pytest.fixture
def stage(job):
    def by_kind(kind):
        return job.stages.get(kind=kind)

    return by_kind


# --- Headless Chromium (Debian's package, driven by Playwright), one per test session.

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str | None:
    return os.environ.get("ATTRACT_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if not path:
        service_missing("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; the ORM calls in tests are
    # still synchronous and safe (Playwright's documentation recommends this switch).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
