"""The feed's parse-back and gzip run in a checker forked by a small helper process, never by
the build process; the helper is replaced when it died or belongs to a parent process, and the
check runs in-process when no helper can start. A build is published only once its files are
on disk. Builds read their jobs page by page; the descriptions they read are LZ4-compressed."""

import os
import signal
import time

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from linkedin import feed_store, services_feed_build
from linkedin.models import BuildStatus, FeedBuild, PostingStatus
from linkedin.selectors_feed import feed_rows, posting_settings
from tests.linkedin.test_feed_support import *  # noqa: F403 - the shared fixtures
from tests.linkedin.test_feed_support import build, live_bytes, parse

pytestmark = pytest.mark.django_db


def _no_fork(*args, **kwargs):
    raise AssertionError("the build process forked")


def _wait_gone(process, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return True
        time.sleep(0.02)
    return False


def test_the_build_process_never_forks_the_check_runs_in_the_helper(
    feed_on, active_job, post, monkeypatch
):
    jobs = [active_job() for _ in range(3)]
    for job in jobs:
        post(job)
    monkeypatch.setattr(os, "fork", _no_fork)
    outcome = build()
    assert outcome.build.included == 3
    assert feed_store._helper is not None and feed_store._helper.process.pid != os.getpid()
    assert [j["partnerJobId"] for j in parse(live_bytes())[1]] == [j.number for j in jobs]


def test_a_helper_that_died_is_replaced(feed_on, active_job, post):
    post(active_job())
    build()
    first = feed_store._helper
    first.process.send_signal(signal.SIGKILL)
    assert _wait_gone(first.process)
    assert build().build.included == 1
    assert feed_store._helper is not first and feed_store._helper.usable()


def test_after_a_fork_the_child_starts_its_own_helper_and_drops_the_parents(
    feed_on, active_job, post
):
    post(active_job())
    build()
    inherited = feed_store._helper
    inherited.pid = -1  # as in a process forked after the helper started
    build()
    assert feed_store._helper is not inherited
    assert _wait_gone(inherited.process), "the dropped helper did not leave"


def test_without_a_helper_the_check_runs_in_process_and_still_refuses_bad_xml(
    feed_on, active_job, post, monkeypatch
):
    def cannot_start():
        raise OSError("no processes left")

    post(active_job())
    monkeypatch.setattr(feed_store, "_helper", None)
    monkeypatch.setattr(feed_store, "_Helper", cannot_start)
    assert build().build.included == 1
    assert parse(live_bytes())[1]

    def corrupt(sink, jobs):
        sink.write(b"<source><job><title>unclosed</job></source>")
        return 1

    monkeypatch.setattr(services_feed_build, "write_jobs", corrupt)
    with pytest.raises(services_feed_build.FeedBuildFailed):
        build()
    assert FeedBuild.objects.first().error.startswith("XMLSyntaxError")


def test_the_helper_leaves_when_its_build_process_is_gone():
    helper = feed_store._Helper()
    assert helper.process.poll() is None
    helper.drop()  # what the end of the build process does to its socket
    assert _wait_gone(helper.process)


def test_jobs_are_read_page_by_page_each_once_in_job_order(feed_on, active_job, post):
    jobs = [active_job() for _ in range(5)]
    for job in jobs:
        post(job)
    for page_size in (1, 2, 5, 6):
        assert [row.pk for row in feed_rows(page_size=page_size)] == [j.pk for j in jobs]


def test_feed_descriptions_are_compressed_with_lz4_where_postgresql_has_it(db):
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL storage setting")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        (has_lz4,) = cursor.fetchone()
        cursor.execute(
            "SELECT attcompression FROM pg_attribute WHERE attname = 'feed_description' "
            "AND attrelid = 'linkedin_linkedinposting'::regclass"
        )
        (method,) = cursor.fetchone()
    assert method == ("l" if has_lz4 else "")


def test_a_build_whose_files_cannot_reach_the_disk_is_not_published(
    feed_on, active_job, post, monkeypatch
):
    post(active_job())
    first = build().build
    live_before, data_before = posting_settings().live_name, live_bytes()

    place = feed_store._place

    def disk_full(fh, name):  # the feed file made it, its gzip copy does not
        if name.endswith(".gz"):
            raise OSError(28, "No space left on device")
        place(fh, name)

    monkeypatch.setattr(feed_store, "_place", disk_full)
    with pytest.raises(services_feed_build.FeedBuildFailed):
        build()
    failed = FeedBuild.objects.first()
    assert failed.status == BuildStatus.FAILED and "No space left" in failed.error
    assert failed.storage_name == "" and posting_settings().live_build_id == first.pk
    assert posting_settings().live_name == live_before and live_bytes() == data_before
    names = default_storage.listdir(feed_store.FEED_DIR)[1]
    assert not [n for n in names if n.startswith((f"feed-{failed.pk}-", ".building-"))]


def test_a_feed_that_fails_its_parse_back_changes_no_posting(
    feed_on, active_job, post, monkeypatch
):
    # given a posting waiting for its first build, and a writer that breaks the XML
    posting = post(active_job())

    def corrupt(sink, jobs):
        count = sum(1 for _ in jobs)  # every job went through the rules
        sink.write(b"<source><job><title>unclosed</job></source>")
        return count

    monkeypatch.setattr(services_feed_build, "write_jobs", corrupt)
    with pytest.raises(services_feed_build.FeedBuildFailed):
        build()
    # then the postings were brought up to date only in the rolled-back transaction
    posting.refresh_from_db()
    assert posting.status == PostingStatus.PENDING and posting.first_included_at is None
    assert posting_settings().live_name == ""
