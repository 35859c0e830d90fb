"""A tiny request/response layer and router over WSGI (no framework: a separate process)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, unquote

from linkedin.sandbox.restli import PROTOCOL_1, PROTOCOL_2, ApiError, Query, RestliError

WSGIEnviron = dict[str, Any]
StartResponse = Callable[..., Any]


@dataclass
class Request:
    environ: WSGIEnviron
    method: str
    raw_path: str
    query_string: str
    body: bytes
    headers: dict[str, str]
    params: dict[str, str] = field(default_factory=dict)  # route captures, raw
    context: dict[str, Any] = field(default_factory=dict)  # auth and the like, set by the app

    @classmethod
    def from_environ(cls, environ: WSGIEnviron) -> Request:
        raw_uri = environ.get("RAW_URI") or environ.get("REQUEST_URI") or ""
        if raw_uri:
            raw_path, _, query = raw_uri.partition("?")
        else:
            raw_path, query = environ.get("PATH_INFO", "/"), environ.get("QUERY_STRING", "")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        headers = {
            k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        return cls(environ, environ["REQUEST_METHOD"].upper(), raw_path, query, body, headers)

    @property
    def path(self) -> str:
        return unquote(self.raw_path)

    @property
    def protocol(self) -> str:
        version = self.headers.get("x-restli-protocol-version", PROTOCOL_1)
        if version not in (PROTOCOL_1, PROTOCOL_2):
            raise ApiError(400, f"Unsupported X-Restli-Protocol-Version {version!r}")
        return version

    @property
    def restli_method(self) -> str:
        return self.headers.get("x-restli-method", "").strip().lower()

    @property
    def query(self) -> Query:
        try:
            return Query.parse(self.query_string, self.protocol)
        except RestliError as exc:
            raise ApiError(400, str(exc)) from exc

    def json(self) -> Any:
        if not self.body:
            raise ApiError(400, "A JSON request body is required")
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApiError(400, f"Request body is not valid JSON: {exc}") from exc

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))

    def query_dict(self) -> dict[str, str]:
        return dict(parse_qsl(self.query_string, keep_blank_values=True))

    def cookie(self, name: str) -> str | None:
        jar = SimpleCookie(self.headers.get("cookie", ""))
        return jar[name].value if name in jar else None


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def set_header(self, name: str, value: str) -> None:
        self.headers = [(k, v) for k, v in self.headers if k.lower() != name.lower()]
        self.headers.append((name, value))


def json_response(status: int, payload: Any, headers: Iterable[tuple[str, str]] = ()) -> Response:
    body = json.dumps(payload).encode()
    return Response(status, body, [("Content-Type", "application/json"), *headers])


def empty_response(status: int, headers: Iterable[tuple[str, str]] = ()) -> Response:
    return Response(status, b"", list(headers))


def html_response(
    body: str, status: int = 200, headers: Iterable[tuple[str, str]] = ()
) -> Response:
    return Response(status, body.encode(), [("Content-Type", "text/html; charset=utf-8"), *headers])


def redirect(location: str, headers: Iterable[tuple[str, str]] = ()) -> Response:
    return Response(303, b"", [("Location", location), *headers])


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


Handler = Callable[[Request], Response]


@dataclass
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    name: str


class Router:
    """Routes on the raw (still percent-encoded) path so Rest.li keys keep their structure."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, method: str, pattern: str, handler: Handler, name: str = "") -> None:
        compiled = re.compile("^" + pattern + "$")
        self.routes.append(
            Route(method, compiled, handler, name or getattr(handler, "__name__", ""))
        )

    def resolve(self, method: str, raw_path: str) -> tuple[Route, dict[str, str]]:
        allowed = False
        for route in self.routes:
            match = route.pattern.match(raw_path)
            if not match:
                continue
            if route.method == method or (route.method == "GET" and method == "HEAD"):
                return route, match.groupdict()
            allowed = True
        if allowed:
            raise ApiError(405, f"Method {method} is not allowed on {raw_path}")
        raise ApiError(404, f"No resource found at {unquote(raw_path)}")


def status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"
