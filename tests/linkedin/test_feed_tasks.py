"""The daily build: the beat entry, the task and what it returns."""

import pytest
from celery.schedules import crontab
from django.conf import settings

from attract.celery import app
from linkedin.models import FeedBuild, FeedFetch
from linkedin.services_feed_build import LOCK_KEY
from linkedin.tasks import build_feed
from tests.linkedin.reliability_support import held_elsewhere
from tests.linkedin.test_feed_support import *  # noqa: F403 - the shared fixtures

pytestmark = pytest.mark.django_db


def test_beat_builds_the_feed_once_a_day_at_the_configured_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["build-linkedin-feed"]
    assert entry["task"] == "linkedin.build_feed"
    assert isinstance(entry["schedule"], crontab)
    assert entry["schedule"].hour == {settings.LINKEDIN_FEED_BUILD_HOUR}
    assert entry["schedule"].minute == {0}
    assert "linkedin.build_feed" in app.tasks


def test_the_task_builds_and_reports(feed_on, active_job, post):
    post(active_job())
    result = build_feed.delay().get()
    assert result["status"] == "ok" and result["included"] == 1
    assert FeedBuild.objects.get().trigger == "schedule"


def test_the_task_skips_while_another_build_runs(feed_on):
    with held_elsewhere(LOCK_KEY):
        assert build_feed.delay().get() == {"status": "busy"}
    assert not FeedBuild.objects.exists()


def test_the_task_skips_while_posting_is_off(db):
    assert build_feed.delay().get() == {"status": "disabled"}


def test_the_task_reports_a_failed_build(feed_on, monkeypatch):
    from linkedin import services_feed_build

    monkeypatch.setattr(services_feed_build, "feed_rows", lambda: 1 / 0)
    result = build_feed.delay().get()
    assert result["status"] == "failed" and "ZeroDivisionError" in result["error"]


def test_the_task_prunes_the_fetch_log(db, monkeypatch):
    from linkedin import services_feed

    monkeypatch.setattr(services_feed, "FETCH_KEEP_ROWS", 2)
    FeedFetch.objects.bulk_create(FeedFetch(status=200) for _ in range(5))
    build_feed.delay()
    assert FeedFetch.objects.count() == 2


def test_the_task_has_time_limits():
    assert build_feed.time_limit and build_feed.soft_time_limit < build_feed.time_limit
