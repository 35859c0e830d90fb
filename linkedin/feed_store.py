"""Where feed builds live: the default storage under linkedin/feeds/ (MEDIA_ROOT on a laptop,
which is never served directly), written under a temporary name and then renamed, so a reader
never sees half a file. The published build is the one the settings row points at.
"""

import fcntl
import logging
import os
import queue
import secrets
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import default_storage
from isal import isal_zlib
from lxml import etree

from linkedin import feed_verifier
from linkedin.feed_verifier import CHUNK, GZIP_LEVEL, Verdict

log = logging.getLogger(__name__)

FEED_DIR = "linkedin/feeds"
# Small enough that the parse-back and the gzip finish soon after the writer does.
PIPE_CHUNK = 1 << 18


def feed_names(build_id: int) -> tuple[str, str]:
    """Storage names of a build's feed and its gzipped copy. The random part keeps two
    databases sharing one MEDIA_ROOT (a laptop's demo and its test run) from colliding."""
    name = f"{FEED_DIR}/feed-{build_id}-{secrets.token_hex(6)}.xml"
    return name, name + ".gz"


def local_path(name: str) -> str | None:
    """The filesystem path of `name` when the storage is a local filesystem."""
    try:
        return default_storage.path(name)
    except NotImplementedError:
        return None


@contextmanager
def scratch(name: str) -> Iterator[IO[bytes]]:
    """A seekable temporary file beside `name` (same filesystem, so the rename is atomic),
    removed on the way out unless an `Installing` took it over."""
    path = local_path(name)
    directory = os.path.dirname(path) if path else None
    if directory:
        os.makedirs(directory, exist_ok=True)
    fh = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, kept on success
        mode="w+b", dir=directory, prefix=".building-", suffix=".tmp", delete=False
    )
    try:
        yield fh
    finally:
        if not getattr(fh, "taken_by_installing", False):
            _discard(fh)


def _discard(fh: IO[bytes]) -> None:
    fh.close()
    if os.path.exists(fh.name):
        os.unlink(fh.name)


class Installing:
    """Finished scratch files going to disk and to their final names (atomic renames on a
    filesystem) in a thread, while the build goes on: `sync(fh)` as soon as a file is complete,
    `place(files, replaced)` once the build is verified (each file synced, renamed, then the
    files it replaces deleted), `wait()` before the database names the new files, `cancel()`
    when the build failed (nothing is renamed)."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self._synced: set[int] = set()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="feed-install", daemon=True)
        self._thread.start()

    def sync(self, fh: IO[bytes]) -> None:
        fh.flush()
        self._jobs.put(("sync", fh))

    def place(self, files: list[tuple[IO[bytes], str]], replaced: list[str]) -> None:
        for fh, _name in files:
            fh.flush()
            fh.taken_by_installing = True  # type: ignore[attr-defined]  # see scratch()
        self._jobs.put(("place", (files, replaced)))

    def cancel(self) -> None:
        self._jobs.put(("stop", None))
        self._thread.join()

    def wait(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        while True:
            kind, job = self._jobs.get()
            if kind == "stop":
                return
            if kind == "sync":
                self._sync(job)
                continue
            files, replaced = job
            try:
                for fh, name in files:
                    self._sync(fh)
                    if self._error is not None:
                        raise self._error
                    _place(fh, name)
                delete(replaced)
            except BaseException as exc:
                self._error = exc
            finally:
                for fh, _name in files:
                    _discard(fh)
            return

    def _sync(self, fh: IO[bytes]) -> None:
        if id(fh) in self._synced or self._error is not None:
            return
        try:
            os.fsync(fh.fileno())
            self._synced.add(id(fh))
        except BaseException as exc:
            self._error = exc


def _place(scratch_file: IO[bytes], name: str) -> None:
    path = local_path(name)
    if path:
        os.replace(scratch_file.name, path)
        return
    scratch_file.seek(0)
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, File(scratch_file))


def open_feed(name: str) -> IO[bytes]:
    """The stored build for reading; a plain file on a filesystem, so that gunicorn can hand it
    to sendfile()."""
    path = local_path(name)
    if path:
        return open(path, "rb")
    return default_storage.open(name, "rb")


def delete(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            log.warning("Could not delete old feed file %s", name, exc_info=True)


def remove_stale_scratch(older_than: float = 86_400) -> None:
    """Scratch files a killed build left behind (builds never overlap, and none lasts a day)."""
    try:
        _dirs, files = default_storage.listdir(FEED_DIR)
    except (FileNotFoundError, NotImplementedError):
        return
    for filename in files:
        path = local_path(f"{FEED_DIR}/{filename}")
        stale = path and time.time() - os.path.getmtime(path) > older_than
        if filename.startswith(".building-") and stale:
            delete([f"{FEED_DIR}/{filename}"])


# --- Writing a build: the feed file, its gzipped copy and the parse-back, side by side.


@dataclass
class Written:
    bytes: int
    gzip_bytes: int
    etag: str
    jobs_parsed: int


class FeedPipeline:
    """Takes the feed body as the writer streams it and, while the writer goes on, writes it to
    the feed file and hands it to a verifier process (`linkedin.feed_verifier`) that parses it
    back (libxml2) and deflates it (ISA-L), so that verifying and compressing cost the build
    process nothing but the pipe writes, and never its GIL.

    The head (everything before the first <job>) comes last, once the job count is known; it
    has the same length whatever the count (`linkedin.feed.feed_head`). The parse-back reads the
    placeholder head with the body, and the final head is parsed on its own: the two differ
    only inside the count's slot. The gzip copy is the head's deflate stream (sync-flushed)
    followed by the body's, with the CRC of the whole combined from the two.
    """

    def __init__(self, fh: IO[bytes], gz: IO[bytes], placeholder_head: bytes):
        self.fh, self.gz, self.head_len = fh, gz, len(placeholder_head)
        fh.write(placeholder_head)
        self._buffer = bytearray()
        self._head, self._end = placeholder_head, 0
        self._body = tempfile.TemporaryFile(dir=os.path.dirname(gz.name) or None)  # noqa: SIM115
        self._verifier = Verifier(placeholder_head, self._body)

    def write(self, data: bytes) -> None:
        self._buffer += data
        if len(self._buffer) >= PIPE_CHUNK:
            self._dispatch()

    def _dispatch(self) -> None:
        block = bytes(self._buffer)
        self._buffer.clear()
        self.fh.write(block)
        self._verifier.feed(block)

    def abort(self) -> None:
        """Stop the verifier after the writer failed (its error is the one that matters)."""
        with suppress(etree.XMLSyntaxError):
            self._verifier.close()
        self._body.close()

    def put_head(self, head: bytes) -> None:
        """The body is complete: hand the verifier the rest and its end, and put the final head
        in place. The feed file is then complete; the verifier finishes meanwhile."""
        if len(head) != self.head_len:
            raise ValueError("the final head must have the placeholder's length")
        if self._buffer:
            self._dispatch()
        self._verifier.end_input()
        self._end = self.fh.tell()
        self.fh.seek(0)
        self.fh.write(head)
        self.fh.seek(self._end)
        self._head = head

    def finish(self) -> Written:
        """Wait for the parse-back and the deflated body; write the gzip copy."""
        head, end = self._head, self._end
        verdict = self._verifier.close()
        crc = isal_zlib.crc32_combine(isal_zlib.crc32(head), verdict.body_crc, verdict.body_size)
        gzip_bytes = self._assemble_gzip(head, crc, end)
        etag = f"{crc:08x}{end:x}"
        return Written(end, gzip_bytes, etag, verdict.jobs)

    def _assemble_gzip(self, head: bytes, crc: int, size: int) -> int:
        packer = isal_zlib.compressobj(GZIP_LEVEL, isal_zlib.DEFLATED, -15)
        # RFC 1952 header: deflate, no name, mtime 0, unknown OS.
        self.gz.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff")
        self.gz.write(packer.compress(head) + packer.flush(isal_zlib.Z_SYNC_FLUSH))
        self._body.seek(0)
        while block := self._body.read(CHUNK):
            self.gz.write(block)
        self._body.close()
        self.gz.write(struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))
        self.gz.flush()
        return self.gz.tell()


class _Helper:
    """This process's verifier helper (`linkedin.feed_verifier` run as a program)."""

    def __init__(self) -> None:
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        with theirs:
            self.process = subprocess.Popen(  # noqa: S603 - our interpreter, our module
                [sys.executable, "-P", feed_verifier.__file__, str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
            )
        self.sock, self.pid = mine, os.getpid()

    def usable(self) -> bool:
        # After a fork the helper is the parent's: this process starts its own.
        return self.pid == os.getpid() and self.process.poll() is None

    def send(self, head_len: int, fds: list[int]) -> None:
        socket.send_fds(self.sock, [str(head_len).encode()], fds)

    def drop(self) -> None:
        """Stop using it: once no process holds our end of its socket, the helper leaves."""
        self.sock.close()


_helper: _Helper | None = None


def _check_remotely(head_len: int, fds: list[int]) -> bool:
    """Hand a check to the helper, started (again) if needed; False if it cannot be."""
    global _helper
    for _attempt in range(2):
        try:
            if _helper is not None and not _helper.usable():
                _helper.drop()
                _helper = None
            if _helper is None:
                _helper = _Helper()
            _helper.send(head_len, fds)
            return True
        except OSError:
            log.warning("The feed verifier helper is not available", exc_info=True)
            if _helper is not None:
                _helper.drop()
            _helper = None
    return False


class Verifier:
    """The parse-back and the body's deflate, in a checker forked by this process's helper and
    fed through a pipe; in-process if the helper cannot run. The first len(head) bytes are the
    placeholder head: parsed, not deflated (the final head is deflated on its own)."""

    def __init__(self, head: bytes, body: IO[bytes]):
        self._data_w, self._result_r = -1, -1
        self._local: feed_verifier.Check | None = None
        data_r, data_w = os.pipe()
        result_r, result_w = os.pipe()
        with suppress(OSError, AttributeError):  # Linux: a 1 MB pipe smooths the bursts
            fcntl.fcntl(data_w, fcntl.F_SETPIPE_SZ, CHUNK)
        sent = _check_remotely(len(head), [data_r, result_w, body.fileno()])
        os.close(data_r)
        os.close(result_w)
        if sent:
            self._data_w, self._result_r = data_w, result_r
        else:
            os.close(data_w)
            os.close(result_r)
            self._local = feed_verifier.Check(len(head), body)
        self.feed(head)

    def feed(self, block: bytes) -> None:
        if self._local is not None:
            self._local.feed(block)
            return
        try:
            view = memoryview(block)
            while view:
                view = view[os.write(self._data_w, view) :]
        except BrokenPipeError:
            pass  # the checker stopped at a syntax error: close() reports it

    def end_input(self) -> None:
        if self._data_w >= 0:
            os.close(self._data_w)
            self._data_w = -1

    def close(self) -> Verdict:
        if self._local is not None:
            return self._local.close()
        self.end_input()
        if self._result_r < 0:
            raise etree.XMLSyntaxError("the parse-back has already reported", None, 0, 0, None)
        result_r, self._result_r = self._result_r, -1
        with os.fdopen(result_r, "rb") as result:
            message = result.read().decode()
        return feed_verifier.read_verdict(message)
