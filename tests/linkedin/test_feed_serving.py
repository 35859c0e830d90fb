"""Serving the feed: public, from the stored build, conditional GETs, gzip, the fetch log."""

import gzip
import os
import threading
import time

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linkedin import feed_serve, services_feed
from linkedin.feed_wsgi import FeedApp
from linkedin.models import FeedFetch
from linkedin.selectors_feed import posting_settings
from linkedin.services_feed import feed_fetches_prune, feed_token_rotate, posting_settings_update
from tests.linkedin.test_feed_support import *  # noqa: F403 - the shared fixtures
from tests.linkedin.test_feed_support import (
    build,
    live_bytes,
    parse,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(feed_on, active_job, post):
    """A published feed with two jobs; returns its URL."""
    for title in ("Data engineer", "Product designer"):
        post(active_job(title=title))
    build()
    return f"/linkedin/feed/{posting_settings().feed_token}.xml"


def test_anyone_fetches_the_feed_without_signing_in(client, built):
    response = fetch(client, built, HTTP_USER_AGENT="LinkedInBot/1.0")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert body == live_bytes()
    assert int(response["Content-Length"]) == len(body)
    assert len(parse(body)[1]) == 2
    assert response["ETag"].startswith('"') and response["Last-Modified"].endswith("GMT")
    assert response["Vary"] == "Accept-Encoding"


def test_a_repeat_with_the_etag_gets_304(client, built):
    first = fetch(client, built)
    again = fetch(client, built, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert not again.content


def test_a_repeat_with_if_modified_since_gets_304(client, built):
    first = fetch(client, built)
    again = fetch(client, built, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


def test_a_build_with_other_content_changes_the_etag(client, built, active_job, post):
    etag = fetch(client, built)["ETag"]
    post(active_job(title="Third job"))
    build()
    response = fetch(client, built, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


def test_a_stale_if_none_match_gets_the_feed(client, built):
    assert fetch(client, built, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_the_feed_is_gzipped_when_the_client_accepts_it(client, built):
    response = fetch(client, built, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response["Content-Encoding"] == "gzip"
    packed = b"".join(response.streaming_content)
    assert gzip.decompress(packed) == live_bytes()
    assert int(response["Content-Length"]) == len(packed) < len(live_bytes())
    assert response["ETag"].endswith('-gzip"')
    # either representation's tag revalidates (same feed)
    plain_etag = fetch(client, built)["ETag"]
    assert (
        fetch(client, built, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=plain_etag).status_code
        == 304
    )


def test_gzip_refused_with_q_0_gets_the_plain_feed(client, built):
    response = fetch(client, built, HTTP_ACCEPT_ENCODING="gzip;q=0, identity")
    assert "Content-Encoding" not in response


def test_head_answers_the_headers(client, built):
    response = fetch(client, built, method="HEAD")
    assert response.served_by == "django" and not response.content
    response = fetch(client, built, method="HEAD")
    assert response.served_by == "feed" and not response.content
    assert response.status_code == 200 and response["Content-Length"]


def test_a_post_is_not_allowed(client, built):
    assert client.post(built).status_code == 405


class Fetched:
    """A fetch's answer, whichever layer gave it: `served_by` is "feed" (the WSGI fast path of
    attract.wsgi) or "django" (the view, through the test client)."""

    def __init__(self, served_by, status, headers, content):
        self.served_by, self.status_code, self.content = served_by, status, content
        self.headers = {k.lower(): v for k, v in headers}
        self.streaming_content = [content]

    def __getitem__(self, name):
        return self.headers[name.lower()]

    def __contains__(self, name):
        return name.lower() in self.headers


def fetch(client, url, method="GET", **meta) -> Fetched:
    """Fetch as production does: attract.wsgi's fast path first, else Django (here the test
    client, whose handler keeps the test's transaction; production's is Django's own)."""
    environ = RequestFactory().generic(method, url, **meta).environ
    fell_through, started = [], {}
    app = FeedApp(lambda env, start_response: fell_through.append(env) or [])
    body = app(environ, lambda status, headers: started.update(status=status, headers=headers))
    if fell_through:
        response = client.generic(method, url, **meta)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        return Fetched("django", response.status_code, response.items(), content)
    content = b"".join(body)
    getattr(body, "close", lambda: None)()
    return Fetched("feed", int(started["status"][:3]), started["headers"], content)


def _queries(client, url, **headers) -> list[str]:
    """The SQL of one request, less the savepoint the test's own transaction forces around the
    fetch log (production runs it in autocommit: no savepoint there)."""
    with CaptureQueriesContext(connection) as context:
        response = fetch(client, url, **headers)
    sql = [q["sql"].split()[0] for q in context.captured_queries]
    return [response.status_code, *(s for s in sql if s not in ("SAVEPOINT", "RELEASE"))]


def test_the_first_fetch_costs_one_query_and_the_next_ones_none(client, built):
    # 1. SELECT of the settings row (token, enabled, live build)  2. INSERT of the fetch log
    assert _queries(client, built) == [200, "SELECT", "INSERT"]
    # The view left a serving pointer: the WSGI layer answers without reading the database.
    response = fetch(client, built)
    assert response.served_by == "feed" and response.content == live_bytes()
    etag = response["ETag"]
    assert _queries(client, built, HTTP_IF_NONE_MATCH=etag) == [304, "INSERT"]
    assert _queries(client, built, HTTP_ACCEPT_ENCODING="gzip") == [200, "INSERT"]


def test_a_buffered_fetch_log_costs_no_query_and_keeps_the_request_time(client, built, settings):
    settings.LINKEDIN_FEED_LOG_DELAY = 3600  # the writer thread will not run during the test
    feed_serve.fetch_buffer.flush()
    fetch(client, built)  # the view: writes the pointer
    before = timezone.now()
    assert _queries(client, built, HTTP_USER_AGENT="LinkedInBot/1.0") == [200]
    assert FeedFetch.objects.filter(user_agent="LinkedInBot/1.0").count() == 0
    assert feed_serve.fetch_buffer.flush() == 2
    row = FeedFetch.objects.get(user_agent="LinkedInBot/1.0")
    assert before <= row.fetched_at <= timezone.now() and row.status == 200


def test_a_pointer_past_its_lifetime_sends_the_fetch_to_the_view(client, built, monkeypatch):
    fetch(client, built)
    monkeypatch.setattr(feed_serve, "POINTER_TTL", -1.0)
    assert _queries(client, built) == [200, "SELECT", "INSERT"]


def test_a_pointer_to_a_deleted_file_falls_back_to_the_view(client, built):
    fetch(client, built)
    os.unlink(default_storage.path(posting_settings().live_name))
    response = fetch(client, built)
    assert response.status_code == 503


def test_a_new_build_is_served_at_once(client, built, active_job, post):
    first = fetch(client, built)["ETag"]
    post(active_job(title="Third job"))
    build()
    response = fetch(client, built)
    assert response["ETag"] != first
    assert len(parse(b"".join(response.streaming_content))[1]) == 3


def test_a_rotated_token_answers_404(client, built, admin_user):
    assert fetch(client, built).status_code == 200  # a serving pointer now names the old token
    feed_token_rotate(by=admin_user)
    assert fetch(client, built).status_code == 404
    new = f"/linkedin/feed/{posting_settings().feed_token}.xml"
    assert fetch(client, new).status_code == 200


def test_a_wrong_token_answers_404_without_logging(client, built):
    assert fetch(client, "/linkedin/feed/guess.xml").status_code == 404
    assert not FeedFetch.objects.exists()


def test_the_feed_answers_404_while_posting_is_off(client, built, admin_user):
    assert fetch(client, built).status_code == 200
    posting_settings_update(by=admin_user, company_name="", company_id="1234567", enabled=False)
    assert fetch(client, built).status_code == 404


def test_before_the_first_build_the_feed_answers_503(client, feed_on):
    response = fetch(client, f"/linkedin/feed/{posting_settings().feed_token}.xml")
    assert response.status_code == 503 and response["Retry-After"]


def test_every_fetch_is_logged(client, built):
    fetch(client, built, HTTP_USER_AGENT="LinkedInBot/1.0", REMOTE_ADDR="203.0.113.7")
    fetch(client, built, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH='"nope"')
    latest, first = FeedFetch.objects.all()[:2]
    assert (first.ip, first.user_agent, first.status) == ("203.0.113.7", "LinkedInBot/1.0", 200)
    assert first.bytes == len(live_bytes()) and not first.gzip
    assert latest.gzip and latest.bytes == posting_settings().live_gzip_bytes


def test_a_failing_fetch_log_never_fails_the_response(client, built, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("database is gone")

    monkeypatch.setattr(FeedFetch.objects, "bulk_create", broken)
    response = fetch(client, built)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == live_bytes()
    assert "Could not log a LinkedIn feed fetch" in caplog.text


def test_a_failed_insert_inside_a_transaction_leaves_it_usable(built):
    entry = {"ip": "not an ip", "user_agent": "x", "status": 200, "bytes": 1, "gzip": False}
    feed_serve.write_fetches([{**entry, "fetched_at": timezone.now()}])
    # the test's transaction still works (PostgreSQL would refuse everything after a bare error)
    with CaptureQueriesContext(connection):
        assert posting_settings().enabled


def test_a_full_fetch_buffer_drops_the_oldest_and_says_so(db, monkeypatch, caplog, settings):
    settings.LINKEDIN_FEED_LOG_DELAY = 3600
    monkeypatch.setattr(feed_serve, "LOG_BATCH", 2)  # the buffer holds 40 entries
    buffer = feed_serve.FetchBuffer()
    meta = {"REMOTE_ADDR": "203.0.113.9"}
    for n in range(45):
        buffer.add({"fetched_at": timezone.now(), "ip": None, "user_agent": str(n), "status": 200})
    assert buffer.flush() == 40
    assert "5 fetches were not logged (buffer full)" in caplog.text
    kept = sorted(int(ua) for ua in FeedFetch.objects.values_list("user_agent", flat=True))
    assert kept == list(range(5, 45)) and feed_serve.client_ip(meta) == "203.0.113.9"


def test_the_fetch_log_is_pruned_to_30_days_and_10000_rows(db, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    monkeypatch.setattr(services_feed, "FETCH_KEEP_ROWS", 5)
    FeedFetch.objects.bulk_create(FeedFetch(status=200) for _ in range(8))
    old = FeedFetch.objects.create(status=200)
    FeedFetch.objects.filter(pk=old.pk).update(fetched_at=timezone.now() - timedelta(days=31))
    assert feed_fetches_prune() == 4
    assert FeedFetch.objects.count() == 5
    assert not FeedFetch.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_the_log_writer_thread_stores_fetches_on_its_own(client, built, settings):
    settings.LINKEDIN_FEED_LOG_DELAY = 0.1
    fetch(client, built, HTTP_USER_AGENT="first")  # the view
    assert fetch(client, built, HTTP_USER_AGENT="second").served_by == "feed"  # buffered
    assert any(t.name == "feed-fetch-log" for t in threading.enumerate())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not FeedFetch.objects.filter(user_agent="second"):
        time.sleep(0.05)
    assert FeedFetch.objects.filter(user_agent__in=["first", "second"]).count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_production_wsgi_application_serves_the_feed_in_front_of_django(built):
    from attract.wsgi import application

    def get(url, **meta):
        started = {}
        environ = RequestFactory().get(url, **meta).environ
        body = application(environ, lambda status, headers: started.update(status=status))
        content = b"".join(body)
        getattr(body, "close", lambda: None)()
        return started["status"], content

    assert isinstance(application, FeedApp)
    assert get("/healthz")[0].startswith("200")  # anything else is Django's
    assert get(built) == ("200 OK", live_bytes())  # the view: leaves the pointer
    etag, feed = posting_settings().live_etag, live_bytes()
    with CaptureQueriesContext(connection) as queries:
        assert get(built) == ("200 OK", feed)
        assert get(built, HTTP_IF_NONE_MATCH=f'"{etag}"')[0] == "304 Not Modified"
    # Only the two fetch-log rows were written; nothing was read.
    statements = [q["sql"].split()[0] for q in queries.captured_queries]
    assert statements.count("INSERT") == 2 and "SELECT" not in statements
