"""Serving the live feed: the response itself, the serving pointer and the fetch log.

LinkedIn's scraper and anyone holding the URL fetch the feed; the answer must cost about what a
static file costs. So the feed is served in two ways with one response builder:

- the fast path (`linkedin.middleware.FeedMiddleware`, before sessions, CSRF and the URL
  resolver) reads a small *serving pointer* file beside the builds: the live build's names,
  ETag, dates, sizes and a digest of the current token. It answers without a database query
  while the pointer is fresh and matches; anything else falls through to the view.
- the view (`views_feed.feed`) reads the settings row (one query), answers, and rewrites the
  pointer, so the next fetch takes the fast path.

Any change that affects serving (a new build, a rotated token, posting switched off) removes
the pointer at once and again after its commit; a pointer is trusted for POINTER_TTL seconds
at most, which bounds a stale one left by a fetch racing such a change.

The fetch log is buffered in the process and written in batches by a background thread (or at
once when LINKEDIN_FEED_LOG_DELAY is 0): a log write never delays or fails a response.
"""

from __future__ import annotations

import atexit
import hashlib
import hmac
import json
import logging
import os
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotModified
from django.http.response import HttpResponseBase
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from linkedin import feed_store

log = logging.getLogger(__name__)
FEED_TYPE = "application/xml; charset=utf-8"
POINTER_TTL = 30.0
LOG_BATCH = 500
TICK = 0.25  # how often the log writer looks at the buffer


@dataclass(frozen=True)
class LiveFeed:
    """What serving needs of the published build."""

    name: str
    gzip_name: str
    etag: str
    built_at: float  # POSIX seconds
    bytes: int
    gzip_bytes: int

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> LiveFeed:
        return cls(
            name=row["live_name"],
            gzip_name=row["live_gzip_name"] or "",
            etag=row["live_etag"],
            built_at=row["live_built_at"].timestamp(),
            bytes=row["live_bytes"] or 0,
            gzip_bytes=row["live_gzip_bytes"] or 0,
        )


# --- The response


def respond(request: HttpRequest, live: LiveFeed) -> HttpResponseBase | None:
    """The feed (200), a 304, or None when the stored file has gone (the caller decides)."""
    gzip = bool(live.gzip_name) and accepts_gzip(request)
    headers = _headers(live, gzip)
    if not_modified(request, live.etag, live.built_at):
        response: HttpResponseBase = HttpResponseNotModified()
        size = 0
    else:
        name, size = (live.gzip_name, live.gzip_bytes) if gzip else (live.name, live.bytes)
        try:
            handle = feed_store.open_feed(name)
        except FileNotFoundError:
            return None
        response = FileResponse(handle, content_type=FEED_TYPE)
        response.block_size = 1 << 20  # when the server has no sendfile(): few, large reads
        response["Content-Length"] = str(size)
        response["Content-Disposition"] = 'inline; filename="linkedin-jobs.xml"'
        if gzip:
            response["Content-Encoding"] = "gzip"
    for header, value in headers:
        response[header] = value
    log_fetch(request, response.status_code, size if request.method == "GET" else 0, gzip)
    return response


@lru_cache(maxsize=16)
def _headers(live: LiveFeed, gzip: bool) -> tuple[tuple[str, str], ...]:
    """The validators and caching headers of a build, computed once per build."""
    return (
        ("ETag", f'"{live.etag}-gzip"' if gzip else f'"{live.etag}"'),
        ("Last-Modified", http_date(live.built_at)),
        ("Vary", "Accept-Encoding"),
        ("Cache-Control", "public, no-cache"),
    )


def not_built(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        "The feed has not been built yet.", status=503, content_type="text/plain"
    )
    response["Retry-After"] = "3600"
    log_fetch(request, 503, 0, False)
    return response


def accepts_gzip(request: HttpRequest) -> bool:
    for coding in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        name, _, params = coding.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def not_modified(request: HttpRequest, etag: str, built_at: float) -> bool:
    """RFC 9110 13.1.2-3: If-None-Match wins over If-Modified-Since. Both representations
    (plain and gzip) hold the same feed, so either tag matches."""
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = {f'"{etag}"', f'"{etag}-gzip"'}
        if if_none_match in tags:  # what a client sends back: no parsing needed
            return True
        wanted = parse_etags(if_none_match)
        return wanted == ["*"] or any(tag.removeprefix("W/") in tags for tag in wanted)
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and int(built_at) <= since


# --- The serving pointer


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def pointer_path() -> str | None:
    """Where the pointer lives; None when the storage is not a local filesystem (the view
    then serves every fetch). One pointer per database: a laptop's demo and its test run may
    share MEDIA_ROOT."""
    db = connection.settings_dict
    return _pointer_path(db.get("HOST"), db.get("PORT"), db.get("NAME"), str(settings.MEDIA_ROOT))


@lru_cache(maxsize=8)
def _pointer_path(host: Any, port: Any, name: Any, media_root: str) -> str | None:
    key = hashlib.sha256(f"{host}|{port}|{name}".encode()).hexdigest()[:16]
    return feed_store.local_path(f"{feed_store.FEED_DIR}/serving-{key}.json")


def pointer_write(token: str, live: LiveFeed) -> None:
    """Record what the view just served, for the fast path (atomically; failures only log)."""
    path = pointer_path()
    if not path:
        return
    body = json.dumps({"token": token_digest(token), "written": time.time(), **asdict(live)})
    scratch = f"{path}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(scratch, "w") as fh:
            fh.write(body)
        os.replace(scratch, path)
    except OSError:
        log.warning("Could not write the feed's serving pointer", exc_info=True)


def pointer_forget() -> None:
    """Serving changed: remove the pointer now and again once the change commits."""
    _remove_pointer()
    transaction.on_commit(_remove_pointer)


def _remove_pointer() -> None:
    path = pointer_path()
    if path:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        except OSError:
            log.error("Could not remove the feed's serving pointer %s", path, exc_info=True)


class _PointerCache:
    """The parsed pointer of this process, re-read when the file changes (one stat a fetch)."""

    def __init__(self) -> None:
        self._stamp: tuple[int, int, int] | None = None
        self._value: dict[str, Any] | None = None

    def lookup(self, path: str, token: str) -> LiveFeed | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        if stamp != self._stamp:
            try:
                with open(path) as fh:
                    value = json.load(fh)
            except (OSError, ValueError):
                return None
            self._stamp, self._value = stamp, value
        value = self._value
        if value is None or time.time() - value["written"] > POINTER_TTL:
            return None
        if not hmac.compare_digest(value["token"], token_digest(token)):
            return None
        fields = {k: value[k] for k in LiveFeed.__dataclass_fields__}
        return LiveFeed(**fields)


pointer_cache = _PointerCache()


# --- The fetch log


def client_ip(request: HttpRequest) -> str | None:
    # Behind the production proxy the client is the last hop it appended; otherwise the peer.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and forwarded:
        return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def log_fetch(request: HttpRequest, status: int, size: int, gzip: bool) -> None:
    entry = {
        "fetched_at": datetime.now(UTC),
        "ip": client_ip(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        "status": status,
        "bytes": size,
        "gzip": gzip,
    }
    if getattr(settings, "LINKEDIN_FEED_LOG_DELAY", 1.0) <= 0:
        write_fetches([entry])
    else:
        fetch_buffer.add(entry)


def write_fetches(entries: list[dict[str, Any]]) -> None:
    """Store fetch-log rows; a failure is logged and never raised."""
    from linkedin.models import FeedFetch

    try:
        with transaction.atomic():
            if connection.vendor == "postgresql" and len(connection.atomic_blocks) == 1:
                # A log row lost in a crash is no loss: do not wait for the WAL flush.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            FeedFetch.objects.bulk_create([FeedFetch(**entry) for entry in entries])
    except Exception:
        log.exception("Could not log a LinkedIn feed fetch")


class FetchBuffer:
    """Fetch-log entries of this process, written by a daemon thread every `delay` seconds (and
    at exit). Bounded: past LOG_BATCH * 20 pending entries the oldest are dropped and counted."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._pending: list[dict[str, Any]] = []
        self._pid = 0
        self.dropped = 0

    def add(self, entry: dict[str, Any]) -> None:
        with self._lock:
            if self._pid != os.getpid():  # first use in this (possibly forked) process
                self._start()
            self._pending.append(entry)
            if len(self._pending) == LOG_BATCH:
                self._wake.set()
            if len(self._pending) > LOG_BATCH * 20:
                del self._pending[0]
                self.dropped += 1

    def _start(self) -> None:
        self._pid = os.getpid()
        self._pending = []
        thread = threading.Thread(target=self._run, name="feed-fetch-log", daemon=True)
        thread.start()
        atexit.register(self.flush)

    def _run(self) -> None:
        last = time.monotonic()
        while True:
            self._wake.wait(TICK)
            self._wake.clear()
            delay = getattr(settings, "LINKEDIN_FEED_LOG_DELAY", 1.0)
            if time.monotonic() - last < delay and len(self._pending) < LOG_BATCH:
                continue
            last = time.monotonic()
            if self.flush():
                for conn in connections.all(initialized_only=True):
                    conn.close()  # this thread's own connection: none held between flushes

    def flush(self) -> int:
        """Write what is pending now; returns how many entries were written."""
        with self._lock:
            entries, self._pending = self._pending, []
        for start in range(0, len(entries), LOG_BATCH):
            write_fetches(entries[start : start + LOG_BATCH])
        return len(entries)


fetch_buffer = FetchBuffer()
