"""The demo posts jobs to LinkedIn: a company ID, five or more posted jobs, one left out with a
reason the report shows, so the demo feed is never empty."""

import tempfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from attract.demo import linkedin as demo_setup
from attract.selectors import organisation_get
from linkedin.models import FeedBuild, LinkedInPosting
from linkedin.selectors_feed import posting_settings
from tests.linkedin.test_feed_support import *  # noqa: F403 - the shared fixtures
from tests.linkedin.test_feed_support import assert_rule_abiding, feed_jobs

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo, seeded once for the module and rolled back afterwards."""
    with django_db_blocker.unblock(), tempfile.TemporaryDirectory() as media:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(DEBUG=True, PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=media):
                call_command("seed_demo", stdout=StringIO())
                yield media
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(seeded, settings, db):
    settings.MEDIA_ROOT = seeded


def test_the_demo_switches_posting_on_with_a_company_id(demo):
    config = posting_settings()
    assert config.enabled and config.company_id == demo_setup.COMPANY_ID
    assert organisation_get().public_site_url == demo_setup.FEED_SITE_URL


def test_the_demo_feed_has_jobs_and_reports_one_left_out(demo):
    build = FeedBuild.objects.get()
    assert build.status == "ok"
    assert LinkedInPosting.objects.count() >= 6
    assert build.included >= 5 and build.excluded == 1
    (entry,) = build.report
    assert entry["reasons"][0]["rule"] == "location_incomplete"
    jobs = feed_jobs()
    assert len(jobs) == build.included
    for job in jobs.values():
        assert_rule_abiding(job)
        assert job["applyUrl"].startswith(f"{demo_setup.FEED_SITE_URL}/careers/J-")


def test_seeding_again_adds_nothing(demo):
    before = (LinkedInPosting.objects.count(), FeedBuild.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (LinkedInPosting.objects.count(), FeedBuild.objects.count()) == before
