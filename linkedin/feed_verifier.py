"""The feed build's verifier: parses the feed back with lxml and deflates its body with ISA-L,
in a process of its own, so that the build process only writes.

Run as a program (`python -P linkedin/feed_verifier.py <socket fd>`), this module is a small
helper that a build process starts once and keeps: for every build it forks one checker. The
checker shares no memory with the build process (a fork of the build process would make it
copy every page it touches while the check runs, and copy its page tables first) and starts in
a fraction of a millisecond. Each build sends three descriptors over the helper's Unix socket:
the pipe the feed arrives on, the pipe the verdict goes back on and the file the deflated body
goes to. The helper leaves when the build process is gone (its socket closes).

Imports nothing of Django or of the product, so that the helper starts quickly.
"""

import os
import signal
import socket
import sys
from contextlib import suppress
from dataclasses import dataclass
from typing import IO

from isal import isal_zlib
from lxml import etree

CHUNK = 1 << 20
# ISA-L's deflate (gzip-compatible output): its default level compresses a feed ~3.5x faster
# than zlib's fastest level, into fewer bytes.
GZIP_LEVEL = isal_zlib.ISAL_DEFAULT_COMPRESSION


@dataclass
class Verdict:
    jobs: int
    body_crc: int
    body_size: int

    def message(self) -> str:
        return f"ok {self.jobs} {self.body_crc} {self.body_size}"


def read_verdict(message: str) -> Verdict:
    """The checker's report: a verdict, or the parse-back's error raised."""
    verdict, _, detail = message.partition(" ")
    if verdict != "ok":
        raise etree.XMLSyntaxError(detail or "the parse-back died", None, 0, 0, None)
    jobs, crc, size = (int(n) for n in detail.split())
    return Verdict(jobs, crc, size)


class Check:
    """Parses the feed back block by block (counting the <job>s, freeing each parsed job at
    once so that memory stays flat) and deflates the body. The
    first `head_len` bytes are the placeholder head: parsed, not deflated (the final head is
    deflated on its own)."""

    def __init__(self, head_len: int, body: IO[bytes]) -> None:
        self.parser = etree.XMLPullParser(
            events=("end",),
            tag="job",
            huge_tree=True,
            resolve_entities=False,
        )
        self.jobs = 0
        self._skip, self._body = head_len, body
        self._packer = isal_zlib.compressobj(GZIP_LEVEL, isal_zlib.DEFLATED, -15)
        self._crc, self._size = 0, 0

    def feed(self, block: bytes) -> None:
        self.parser.feed(block)
        for _event, element in self.parser.read_events():
            self.jobs += 1
            element.clear(keep_tail=False)
            parent = element.getparent()
            while element.getprevious() is not None:
                del parent[0]
        if self._skip:
            skipped = min(self._skip, len(block))
            block, self._skip = block[skipped:], self._skip - skipped
        if block:
            self._body.write(self._packer.compress(block))
            self._crc, self._size = isal_zlib.crc32(block, self._crc), self._size + len(block)

    def close(self) -> Verdict:
        root = self.parser.close()
        if root.tag != "source":
            raise etree.XMLSyntaxError(f"root is <{root.tag}>", None, 0, 0, None)
        self._body.write(self._packer.flush())
        self._body.flush()
        return Verdict(self.jobs, self._crc, self._size)


def check_stream(data_r: int, result_w: int, head_len: int, body_fd: int) -> str:
    """Check everything that arrives on `data_r` until its end; the report, also written to
    `result_w` (which is closed, so that the build goes on at once)."""
    message = "error unknown"
    try:
        with os.fdopen(body_fd, "wb") as body, os.fdopen(data_r, "rb") as source:
            check = Check(head_len, body)
            while block := source.read1(CHUNK):  # what has arrived: no waiting for 1 MB
                check.feed(block)
            message = check.close().message()
    except BaseException as exc:
        message = f"error {type(exc).__name__}: {exc}"[:4000]
    finally:
        with suppress(OSError):  # the build is gone: nobody to tell
            os.write(result_w, message.encode())
        os.close(result_w)
    return message


def serve(sock: socket.socket) -> None:
    """The helper: one forked checker per request, until the build process goes away."""
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # checkers are reaped by the system
    while True:
        try:
            message, fds, _flags, _address = socket.recv_fds(sock, 64, 3)
        except (OSError, ValueError):
            return
        if not message:
            return
        if len(fds) == 3 and message.isdigit() and os.fork() == 0:  # the checker
            sock.close()
            check_stream(fds[0], fds[1], int(message), fds[2])
            os._exit(0)
        for fd in fds:
            os.close(fd)


if __name__ == "__main__":
    serve(socket.socket(fileno=int(sys.argv[1])))
