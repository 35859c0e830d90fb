"""Where feed builds live: the default storage under linkedin/feeds/ (MEDIA_ROOT on a laptop,
which is never served directly), written under a temporary name and then renamed, so a reader
never sees half a file. The published build is the one the settings row points at.
"""

import fcntl
import logging
import os
import secrets
import struct
import tempfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage
from lxml import etree

log = logging.getLogger(__name__)

FEED_DIR = "linkedin/feeds"
CHUNK = 1 << 20
# Small enough that the parse-back and the gzip finish soon after the writer does.
PIPE_CHUNK = 1 << 18
# Level 1: ~3x faster than 6 for 10-20% more bytes; LinkedIn fetches the feed once a day.
GZIP_LEVEL = 1


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
    """A seekable temporary file beside `name` (same filesystem, so the rename is atomic)."""
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
        fh.close()
        if os.path.exists(fh.name):
            os.unlink(fh.name)


def install(scratch_file: IO[bytes], name: str) -> None:
    """Move a finished scratch file to its final name (an atomic rename on a filesystem)."""
    scratch_file.flush()
    os.fsync(scratch_file.fileno())
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
    expected: int


class FeedPipeline:
    """Takes the feed body as the writer streams it and, while the writer goes on, writes it to
    the feed file and hands it to a forked verifier process that parses it back (libxml2) and
    deflates it (zlib), so that verifying and compressing cost the build process nothing but
    the pipe writes, and never its GIL.

    The head (everything before the first <job>) comes last, once the job count is known; it
    has the same length whatever the count (`linkedin.feed.feed_head`). The parse-back reads the
    placeholder head with the body, and the final head is parsed on its own: the two differ
    only inside the count's slot. The gzip copy is the head's deflate stream (sync-flushed)
    followed by the body's, with the CRC of the whole derived from the two.
    """

    def __init__(self, fh: IO[bytes], gz: IO[bytes], placeholder_head: bytes):
        self.fh, self.gz, self.head_len = fh, gz, len(placeholder_head)
        fh.write(placeholder_head)
        self._buffer = bytearray()
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

    def finish(self, head: bytes) -> Written:
        """Put the final head in place; wait for the parse-back and the deflated body."""
        if self._buffer:
            self._dispatch()
        verdict = self._verifier.close()
        if len(head) != self.head_len:
            raise ValueError("the final head must have the placeholder's length")
        end = self.fh.tell()
        self.fh.seek(0)
        self.fh.write(head)
        self.fh.seek(end)
        crc = crc32_combine(zlib.crc32(head), verdict.body_crc, verdict.body_size)
        gzip_bytes = self._assemble_gzip(head, crc, end)
        etag = f"{crc:08x}{end:x}"
        return Written(end, gzip_bytes, etag, verdict.jobs, verdict.expected)

    def _assemble_gzip(self, head: bytes, crc: int, size: int) -> int:
        packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -15)
        # RFC 1952 header: deflate, no name, mtime 0, unknown OS.
        self.gz.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff")
        self.gz.write(packer.compress(head) + packer.flush(zlib.Z_SYNC_FLUSH))
        self._body.seek(0)
        while block := self._body.read(CHUNK):
            self.gz.write(block)
        self._body.close()
        self.gz.write(struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))
        self.gz.flush()
        return self.gz.tell()


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A + B from crc(A), crc(B) and len(B), in O(log len(B)) (zlib's
    crc32_combine, which Python's zlib does not expose): the CRC of A is carried through
    len(B) zero bytes by squaring the GF(2) operator of one zero bit."""
    if len2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]  # the operator for one zero bit
    even = _gf2_square(odd)  # two zero bits
    odd = _gf2_square(even)  # four zero bits
    while True:
        even = _gf2_square(odd)  # the first time: one zero byte
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = _gf2_square(even)
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def _gf2_times(matrix: list[int], vector: int) -> int:
    total, row = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[row]
        vector >>= 1
        row += 1
    return total


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, matrix[n]) for n in range(32)]


@dataclass
class Verdict:
    jobs: int
    expected: int
    body_crc: int
    body_size: int


class Verifier:
    """The parse-back and the body's deflate, in a forked child fed through a pipe; in-process
    where fork is missing. The first len(head) bytes are the placeholder head: parsed, not
    deflated (the final head is deflated on its own)."""

    def __init__(self, head: bytes, body: IO[bytes]):
        self._pid = 0
        self._local: _Check | None = None
        if not hasattr(os, "fork"):
            self._local = _Check(len(head), body)
            self._local.feed(head)
            return
        data_r, self._data_w = os.pipe()
        with suppress(OSError, AttributeError):  # Linux: a 1 MB pipe smooths the bursts
            fcntl.fcntl(self._data_w, fcntl.F_SETPIPE_SZ, CHUNK)
        self._result_r, result_w = os.pipe()
        body.flush()
        pid = os.fork()
        if pid == 0:  # the child: check, report, leave without running any cleanup
            os.close(self._data_w)
            os.close(self._result_r)
            _child_check(data_r, result_w, len(head), body)
        self._pid = pid
        os.close(data_r)
        os.close(result_w)
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
            pass  # the child stopped at a syntax error: close() reports it

    def close(self) -> Verdict:
        if self._local is not None:
            return self._local.close()
        if self._data_w >= 0:
            os.close(self._data_w)
            self._data_w = -1
        with os.fdopen(self._result_r, "rb") as result:
            message = result.read().decode()
        os.waitpid(self._pid, 0)
        verdict, _, detail = message.partition(" ")
        if verdict != "ok":
            raise etree.XMLSyntaxError(detail or "the parse-back died", None, 0, 0, None)
        return Verdict(*(int(n) for n in detail.split()))


def _child_check(data_r: int, result_w: int, head_len: int, body: IO[bytes]) -> None:
    message = "error unknown"
    try:
        check = _Check(head_len, body)
        with os.fdopen(data_r, "rb") as source:
            while block := source.read1(CHUNK):  # what has arrived: no waiting for 1 MB
                check.feed(block)
        v = check.close()
        message = f"ok {v.jobs} {v.expected} {v.body_crc} {v.body_size}"
    except BaseException as exc:
        message = f"error {type(exc).__name__}: {exc}"[:4000]
    finally:
        os.write(result_w, message.encode())
        os._exit(0)


class _Check:
    """Parses the feed back block by block (counting the <job>s, reading expectedJobCount,
    freeing each parsed job at once so that memory stays flat) and deflates the body."""

    def __init__(self, head_len: int, body: IO[bytes]) -> None:
        self.parser = etree.XMLPullParser(
            events=("end",),
            tag=("job", "expectedJobCount"),
            huge_tree=True,
            resolve_entities=False,
        )
        self.jobs, self.expected = 0, -1
        self._skip, self._body = head_len, body
        self._packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -15)
        self._crc, self._size = 0, 0

    def feed(self, block: bytes) -> None:
        self.parser.feed(block)
        for _event, element in self.parser.read_events():
            if element.tag == "job":
                self.jobs += 1
                element.clear(keep_tail=False)
                parent = element.getparent()
                while element.getprevious() is not None:
                    del parent[0]
            else:
                self.expected = int(element.text or "-1")
        if self._skip:
            skipped = min(self._skip, len(block))
            block, self._skip = block[skipped:], self._skip - skipped
        if block:
            self._body.write(self._packer.compress(block))
            self._crc, self._size = zlib.crc32(block, self._crc), self._size + len(block)

    def close(self) -> Verdict:
        root = self.parser.close()
        if root.tag != "source":
            raise etree.XMLSyntaxError(f"root is <{root.tag}>", None, 0, 0, None)
        self._body.write(self._packer.flush())
        self._body.flush()
        return Verdict(self.jobs, self.expected, self._crc, self._size)
