"""Serve the sandbox with the standard library: a threading WSGI server on loopback."""

from __future__ import annotations

import contextlib
import logging
import socket
import sys
import threading
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer

from linkedin.sandbox.app import SandboxApp
from linkedin.sandbox.core import Options, Sandbox

logger = logging.getLogger("linkedin.sandbox")


class _QuietServerHandler(ServerHandler):
    """Drops the connection silently when a timeout fault asked for it."""

    def finish_response(self) -> None:
        if self._dropped():
            self.request_handler.close_connection = True  # type: ignore[attr-defined]
            with contextlib.suppress(OSError):
                self.request_handler.connection.shutdown(socket.SHUT_RDWR)  # type: ignore[attr-defined]
            self.close()
            return
        super().finish_response()

    def log_exception(self, exc_info: Any) -> None:
        if not self._dropped():
            super().log_exception(exc_info)

    def _dropped(self) -> bool:
        environ: dict[str, Any] = getattr(self, "environ", {})
        return bool(environ.get("sandbox.drop"))


class SandboxRequestHandler(WSGIRequestHandler):
    def get_environ(self) -> dict[str, Any]:
        env = super().get_environ()
        env["RAW_URI"] = self.path  # the still-encoded path: Rest.li 2.0 keys need it
        return env

    def handle(self) -> None:  # same as WSGIRequestHandler.handle with our ServerHandler
        self.close_connection = True
        self.raw_requestline = self.rfile.readline(65537)
        if len(self.raw_requestline) > 65536:
            self.requestline = ""
            self.request_version = ""
            self.command = ""
            self.send_error(414)
            return
        if not self.parse_request():
            return
        handler = _QuietServerHandler(
            self.rfile,
            self.wfile,  # type: ignore[arg-type]
            self.get_stderr(),
            self.get_environ(),
            multithread=True,
        )
        handler.request_handler = self  # type: ignore[attr-defined]
        handler.run(self.server.get_app())  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:
        logger.info("%s - %s", self.address_string(), format % args)


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


def make_server(host: str, port: int, options: Options) -> tuple[ThreadingWSGIServer, SandboxApp]:
    app = SandboxApp(Sandbox(options))
    server = ThreadingWSGIServer((host, port), SandboxRequestHandler)
    server.set_app(app)
    return server, app


def serve(host: str, port: int, options: Options, announce: bool = True) -> None:
    """Serve until interrupted; prints the bound URL first (port 0 picks a free port)."""
    server, _ = make_server(host, port, options)
    bound = server.server_address[1]
    if announce:
        sys.stdout.write(f"LinkedIn sandbox listening on http://{host}:{bound}/\n")
        sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def serve_in_thread(options: Options, host: str = "127.0.0.1") -> tuple[ThreadingWSGIServer, str]:
    """Start on a free port in a daemon thread (for tests that want no subprocess)."""
    server, _ = make_server(host, 0, options)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
    )
    thread.start()
    return server, f"http://{host}:{server.server_address[1]}"
