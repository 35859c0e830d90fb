"""Serving the live feed: the response itself, the serving pointer and the fetch log.

LinkedIn's scraper and anyone holding the URL fetch the feed; the answer must cost about what a
static file costs. So the feed is served in two ways with one response builder:

- the fast path (`linkedin.feed_wsgi.FeedApp`, a WSGI layer in front of Django) reads a small
  *serving pointer* file beside the builds: the live build's names,
  ETag, dates, sizes and a digest of the current token. It answers without a database query
  while the pointer is fresh and matches; anything else falls through to the view.
- the view (`views_feed.feed`) reads the settings row (one query), answers, and rewrites the
  pointer, so the next fetch takes the fast path.

Any change that affects serving (a new build, a rotated token, posting switched off) removes
the pointer at once and again after its commit; other processes notice within RECHECK (one
second: each looks at the file at most that often); a pointer is trusted for POINTER_TTL
seconds at most, which bounds a stale one left by a fetch racing such a change.

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
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import IO, Any

from django.conf import settings
from django.db import connection, connections, transaction
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotModified
from django.http.response import HttpResponseBase
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from linkedin import feed_store

log = logging.getLogger(__name__)
FEED_TYPE = "application/xml; charset=utf-8"
POINTER_TTL = 30.0
RECHECK = 1.0  # seconds between two looks at the pointer file in one process
LOG_BATCH = 500
BLOCK = 1 << 20
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


@dataclass
class Answer:
    """What to send for a fetch: the status, the headers and, for a 200, the open file."""

    status: int
    headers: list[tuple[str, str]]
    body: IO[bytes] | None = None


def answer(meta: Mapping[str, Any], live: LiveFeed) -> Answer | None:
    """The feed (200) or a 304 for a request's WSGI environ (`request.META`), its fetch logged;
    None when the stored file has gone (the caller decides)."""
    gzip = bool(live.gzip_name) and accepts_gzip(meta)
    headers = list(_headers(live, gzip))
    if not_modified(meta, live.etag, live.built_at):
        log_fetch(meta, 304, 0, gzip)
        return Answer(304, headers)
    name, size = (live.gzip_name, live.gzip_bytes) if gzip else (live.name, live.bytes)
    try:
        handle = feed_store.open_feed(name)
    except FileNotFoundError:
        return None
    headers += [
        ("Content-Type", FEED_TYPE),
        ("Content-Length", str(size)),
        ("Content-Disposition", 'inline; filename="linkedin-jobs.xml"'),
    ]
    if gzip:
        headers.append(("Content-Encoding", "gzip"))
    log_fetch(meta, 200, size if meta.get("REQUEST_METHOD") == "GET" else 0, gzip)
    return Answer(200, headers, handle)


def respond(request: HttpRequest, live: LiveFeed) -> HttpResponseBase | None:
    """`answer` as a Django response (the view's path)."""
    result = answer(request.META, live)
    if result is None:
        return None
    if result.body is None:
        response: HttpResponseBase = HttpResponseNotModified()
    else:
        response = FileResponse(result.body)
        response.block_size = BLOCK  # when the server has no sendfile(): few, large reads
    for header, value in result.headers:
        response[header] = value
    return response


@lru_cache(maxsize=16)
def _headers(live: LiveFeed, gzip: bool) -> tuple[tuple[str, str], ...]:
    """The validators and caching headers of a build, computed once per build."""
    return (
        ("ETag", f'"{live.etag}-gzip"' if gzip else f'"{live.etag}"'),
        ("Last-Modified", http_date(live.built_at)),
        ("Vary", "Accept-Encoding"),
        ("Cache-Control", "public, no-cache"),
        ("X-Content-Type-Options", "nosniff"),
    )


def not_built(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        "The feed has not been built yet.", status=503, content_type="text/plain"
    )
    response["Retry-After"] = "3600"
    log_fetch(request.META, 503, 0, False)
    return response


def accepts_gzip(meta: Mapping[str, Any]) -> bool:
    for coding in meta.get("HTTP_ACCEPT_ENCODING", "").split(","):
        name, _, params = coding.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def not_modified(meta: Mapping[str, Any], etag: str, built_at: float) -> bool:
    """RFC 9110 13.1.2-3: If-None-Match wins over If-Modified-Since. Both representations
    (plain and gzip) hold the same feed, so either tag matches."""
    if_none_match = meta.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = {f'"{etag}"', f'"{etag}-gzip"'}
        if if_none_match in tags:  # what a client sends back: no parsing needed
            return True
        wanted = parse_etags(if_none_match)
        return wanted == ["*"] or any(tag.removeprefix("W/") in tags for tag in wanted)
    since = parse_http_date_safe(meta.get("HTTP_IF_MODIFIED_SINCE", ""))
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
        pointer_cache.forget()
    except OSError:
        log.warning("Could not write the feed's serving pointer", exc_info=True)


def pointer_forget() -> None:
    """Serving changed: remove the pointer now and again once the change commits."""
    _remove_pointer()
    transaction.on_commit(_remove_pointer)


def _remove_pointer() -> None:
    pointer_cache.forget()
    path = pointer_path()
    if path:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        except OSError:
            log.error("Could not remove the feed's serving pointer %s", path, exc_info=True)


class _PointerCache:
    """The pointer as this process last read it: the file is looked at again (one stat) at most
    every RECHECK seconds, and at once after this process removed it; another process's
    removal is seen within RECHECK."""

    def __init__(self) -> None:
        self._path = ""
        self._stamp: tuple[int, int, int] | None = None
        self._checked = 0.0
        self._live: LiveFeed | None = None
        self._token = ""  # the token the pointer names, once a fetch has matched it
        self._digest = ""
        self._written = 0.0

    def forget(self) -> None:
        self._checked = 0.0

    def lookup(self, path: str, token: str) -> LiveFeed | None:
        now = time.monotonic()
        if path != self._path or now - self._checked >= RECHECK:
            self._refresh(path)
            self._checked = now
        if self._live is None or time.time() - self._written > POINTER_TTL:
            return None
        if token != self._token:
            if not hmac.compare_digest(self._digest, token_digest(token)):
                return None
            self._token = token
        return self._live

    def _refresh(self, path: str) -> None:
        self._path = path
        try:
            st = os.stat(path)
        except OSError:
            self._stamp, self._live = None, None
            return
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        if stamp == self._stamp:
            return
        try:
            with open(path) as fh:
                value = json.load(fh)
            live = LiveFeed(**{k: value[k] for k in LiveFeed.__dataclass_fields__})
        except (OSError, ValueError, KeyError, TypeError):
            self._stamp, self._live = None, None
            return
        self._stamp, self._live = stamp, live
        self._digest, self._written, self._token = value["token"], value["written"], ""


pointer_cache = _PointerCache()


# --- The fetch log


def client_ip(meta: Mapping[str, Any]) -> str | None:
    # Behind the production proxy the client is the last hop it appended; otherwise the peer.
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and forwarded:
        return forwarded.split(",")[-1].strip() or None
    return meta.get("REMOTE_ADDR") or None


def log_fetch(meta: Mapping[str, Any], status: int, size: int, gzip: bool) -> None:
    entry = {
        "fetched_at": datetime.now(UTC),
        "ip": client_ip(meta),
        "user_agent": meta.get("HTTP_USER_AGENT", "")[:300],
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
    at exit). Bounded: past LOG_BATCH * 20 pending entries the oldest are dropped, and the next
    flush says how many."""

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
            dropped, self.dropped = self.dropped, 0
        if dropped:
            log.warning(
                "LinkedIn feed fetch log: %d fetches were not logged (buffer full)", dropped
            )
        for start in range(0, len(entries), LOG_BATCH):
            write_fetches(entries[start : start + LOG_BATCH])
        return len(entries)


fetch_buffer = FetchBuffer()
