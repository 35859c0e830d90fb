"""The sandbox's WSGI application: size limits, faults, versions, routing, LinkedIn error bodies."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import deque
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from linkedin.sandbox import api_rsc, controls, faults, pages
from linkedin.sandbox.core import Options, Sandbox
from linkedin.sandbox.restli import ApiError, error_body
from linkedin.sandbox.web import (
    Request,
    Response,
    Router,
    StartResponse,
    WSGIEnviron,
    json_response,
    status_line,
)

logger = logging.getLogger("linkedin.sandbox")

# Reference: LINKEDIN.md 2.4, URL <= 8 KB, query string <= 4 KB, request line + headers <= 28 KB.
MAX_URL = 8 * 1024
MAX_QUERY = 4 * 1024
MAX_HEAD = 28 * 1024
VERSION_PATTERN = re.compile(r"^(\d{4})(\d{2})(\.\d{2})?$")
VERSION_LIFETIME_MONTHS = 12  # Reference: LinkedIn keeps each monthly version at least a year
REQUEST_LOG_SIZE = 100_000


class RequestLog:
    """What the API was asked, in order, for tests to check what reached LinkedIn: arrival time
    (wall clock), method, path, answer, the calling application, the batch keys and the fault
    that answered instead of LinkedIn (if any). Kept in this process's memory, emptied by reset;
    never a token or a body."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: deque[dict[str, Any]] = deque(maxlen=REQUEST_LOG_SIZE)
        self._seq = 0

    def add(self, entry: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self._seq += 1
            entry = {"seq": self._seq, **entry}
            self._entries.append(entry)
        return entry

    def since(self, seq: int) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(e) for e in self._entries if e["seq"] > seq]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _api_modules() -> list[object]:
    from linkedin.sandbox import api_actions, api_prospects, api_sync

    return [api_rsc, api_sync, api_prospects, api_actions]


class SandboxApp:
    """WSGI callable; one instance per sandbox process (or test server)."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sb = sandbox
        self.requests = RequestLog()
        self.router = Router()
        self.router.add("GET", r"/_sandbox/requests", self._request_log)
        self.router.add("DELETE", r"/_sandbox/requests", self._request_log_clear)
        controls.register(self.router, sandbox)
        for module in _api_modules():
            module.register(self.router, sandbox)  # type: ignore[attr-defined]
        pages.register(self.router, sandbox)

    def __call__(self, environ: WSGIEnviron, start_response: StartResponse) -> Iterable[bytes]:
        request = Request.from_environ(environ)
        response = self.handle(request)
        if environ.get("sandbox.drop"):
            return []
        body = b"" if request.method == "HEAD" else response.body
        headers = [*response.headers, ("Content-Length", str(len(body)))]
        start_response(status_line(response.status), headers)
        return [body]

    def handle(self, request: Request) -> Response:
        entry = self._log(request)
        fault: faults.Fault | None = None
        response = Response(500)
        try:
            self._check_size(request)
            self._tunnel(request)
            fault = faults.draw(self.sb.storage, request.path)
            if fault is not None:
                early = self._fault_before(request, fault)
                if early is not None:
                    response = early
                    return response
            response = self._dispatch(request)
            if fault is not None and fault.mode == "malformed":
                response.body = faults.corrupt(response.body or b'{"elements": []}')
            return response
        except ApiError as exc:
            response = self._error(exc)
            return response
        finally:
            if entry is not None:  # the answer, once there is one
                entry["status"] = response.status
                entry["fault"] = fault.mode if fault and fault.mode != "slow" else None
                entry["retry_after"] = response.header("Retry-After")

    def _log(self, request: Request) -> dict[str, Any] | None:
        """Log an API request on arrival (a request still in the works has no status yet)."""
        if request.path.startswith("/_sandbox"):
            if request.path == "/_sandbox/reset" and request.method == "POST":
                self.requests.clear()
            return None
        if not request.path.startswith(("/v2/", "/rest/", "/oauth/")):
            return None
        return self.requests.add(
            {
                "at": time.time(),
                "method": request.method,
                "path": request.path,
                "query": request.query_string,
                "restli_method": request.restli_method,
                "status": None,
                "client": self._client_of(request),
                "keys": _batch_keys(request),
                "fault": None,
                "retry_after": None,
            }
        )

    def _client_of(self, request: Request) -> str | None:
        _, _, token = request.headers.get("authorization", "").partition(" ")
        record = self.sb.storage.get("token", token.strip()) if token.strip() else None
        if record:
            return str(record["clientId"])
        return request.form().get("client_id") if request.path.startswith("/oauth/") else None

    def _request_log(self, request: Request) -> Response:
        """`GET /_sandbox/requests?since=N`: the logged API requests after sequence number N."""
        raw = request.query_dict().get("since", "0")
        try:
            since = int(raw)
        except ValueError as exc:
            raise ApiError(400, "since must be a sequence number") from exc
        return json_response(200, {"requests": self.requests.since(since)})

    def _request_log_clear(self, request: Request) -> Response:
        self.requests.clear()
        return json_response(200, {"requests": []})

    def _dispatch(self, request: Request) -> Response:
        try:
            _ = request.protocol  # 400 on an unsupported X-Restli-Protocol-Version
            if request.path.startswith("/rest/"):
                self._check_version(request)
            route, params = self.router.resolve(request.method, request.raw_path)
            request.params = params
            return route.handler(request)
        except ApiError as exc:
            return self._error(exc)
        except Exception:
            logger.exception("sandbox error on %s %s", request.method, request.path)
            return json_response(500, error_body(500, "Internal Server Error"))

    @staticmethod
    def _error(exc: ApiError) -> Response:
        return json_response(exc.status, exc.body(), exc.headers.items())

    @staticmethod
    def _tunnel(request: Request) -> None:
        """Query tunneling: POST with X-HTTP-Method-Override and the query string as a form body.

        Reference: https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/query-tunneling
        """
        override = request.headers.get("x-http-method-override", "").upper()
        if request.method != "POST" or not override:
            return
        if override not in ("GET", "DELETE"):
            raise ApiError(400, f"X-HTTP-Method-Override {override} is not supported")
        if not request.headers.get("content-type", "").startswith(
            "application/x-www-form-urlencoded"
        ):
            raise ApiError(400, "A tunneled query is sent as application/x-www-form-urlencoded")
        tunneled = request.body.decode("utf-8", "replace")
        request.query_string = "&".join(q for q in (request.query_string, tunneled) if q)
        request.body = b""
        request.method = override

    @staticmethod
    def _check_size(request: Request) -> None:
        url = request.raw_path + ("?" + request.query_string if request.query_string else "")
        head = len(url) + sum(len(k) + len(v) + 4 for k, v in request.headers.items())
        if len(url) > MAX_URL or len(request.query_string) > MAX_QUERY or head > MAX_HEAD:
            raise ApiError(414, "Request-URI Too Long: use query tunneling or smaller batches")

    def _fault_before(self, request: Request, fault: faults.Fault) -> Response | None:
        if fault.mode == "slow":
            time.sleep(fault.wait)
            return None
        if fault.mode == "timeout":
            time.sleep(fault.wait)
            request.environ["sandbox.drop"] = True  # the server closes without answering
            return Response(504)
        if fault.mode == "429":
            headers = {}
            if fault.retry_after is not None:
                headers["Retry-After"] = str(
                    int(fault.retry_after)
                    if fault.retry_after == int(fault.retry_after)
                    else fault.retry_after
                )
            return json_response(
                429, error_body(429, "Too many requests (sandbox fault)"), headers.items()
            )
        if fault.mode == "5xx":
            return json_response(
                fault.status, error_body(fault.status, "Internal Server Error (sandbox fault)")
            )
        return None

    def _check_version(self, request: Request) -> None:
        version = request.headers.get("linkedin-version", "").strip()
        if not version:
            raise ApiError(
                400,
                "A version must be present. Please specify a version by adding the "
                "LinkedIn-Version header.",
                code="VERSION_MISSING",
            )
        match = VERSION_PATTERN.match(version)
        now = datetime.fromtimestamp(self.sb.clock.now(), UTC)
        if match:
            months = (now.year - int(match[1])) * 12 + now.month - int(match[2])
            if 1 <= int(match[2]) <= 12 and 0 <= months < VERSION_LIFETIME_MONTHS:
                return
        raise ApiError(
            426, f"Requested version {version} is not active", code="NONEXISTENT_VERSION"
        )


def _batch_keys(request: Request) -> list[str]:
    """The entity keys of a batch write (`{"entities": {key: ...}}`), or `elements` positions."""
    if not request.body or "json" not in request.headers.get("content-type", ""):
        return []
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return []
    if not isinstance(body, dict):
        return []
    if isinstance(body.get("entities"), dict):
        return [str(key) for key in body["entities"]]
    if isinstance(body.get("elements"), list):
        return [str(index) for index in range(len(body["elements"]))]
    return []


def make_app(options: Options | None = None) -> SandboxApp:
    return SandboxApp(Sandbox(options))
