"""OAuth 2.0 as LinkedIn does it: the token endpoint (2-legged and 3-legged) and bearer checks.

Reference: LINKEDIN.md 2.2; https://learn.microsoft.com/en-us/linkedin/shared/authentication/
client-credentials-flow and .../authorization-code-flow (error names and lifetimes).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from linkedin.sandbox.core import Sandbox
from linkedin.sandbox.restli import ApiError
from linkedin.sandbox.storage import Record
from linkedin.sandbox.web import Request, Response, json_response

KNOWN_SCOPES = {"r_liteprofile", "r_emailaddress", "r_basicprofile", "openid", "profile", "email"}


@dataclass
class TokenInfo:
    token: str
    kind: str  # "app" (2-legged) or "member" (3-legged)
    app: Record
    member: str | None  # person id for member tokens
    scope: str


def oauth_error(status: int, error: str, description: str) -> Response:
    return json_response(status, {"error": error, "error_description": description})


class OAuthError(Exception):
    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.response = oauth_error(status, error, description)


def check_client(sb: Sandbox, form: dict[str, str]) -> Record:
    """The application whose id and secret the form carries (one of its two active secrets)."""
    for name in ("client_id", "client_secret"):
        if not form.get(name):
            raise OAuthError(400, "invalid_request", f'A required parameter "{name}" is missing')
    app = sb.application(form["client_id"])
    secrets_ok = app and any(
        hmac.compare_digest(form["client_secret"].encode(), s.encode())
        for s in app["clientSecrets"]
    )
    if not app or not secrets_ok:
        raise OAuthError(401, "invalid_client", "Client authentication failed")
    return app


def token_endpoint(sb: Sandbox, request: Request) -> Response:
    """POST /oauth/v2/accessToken (form-encoded)."""
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return oauth_error(
            400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded"
        )
    form = request.form()
    grant = form.get("grant_type", "")
    try:
        if not grant:
            raise OAuthError(400, "invalid_request", 'A required parameter "grant_type" is missing')
        app = check_client(sb, form)
        if grant == "client_credentials":
            return json_response(200, issue_app_token(sb, app))
        if grant == "authorization_code":
            return json_response(200, exchange_code(sb, app, form))
        if grant == "refresh_token":
            return json_response(200, refresh(sb, app, form))
        raise OAuthError(400, "unsupported_grant_type", f"Grant type {grant!r} is not supported")
    except OAuthError as exc:
        return exc.response


def issue_app_token(sb: Sandbox, app: Record) -> dict[str, Any]:
    token = "AQ" + secrets.token_urlsafe(32)
    ttl = sb.options.app_token_ttl
    sb.storage.put(
        "token",
        token,
        {
            "token": token,
            "kind": "app",
            "clientId": app["clientId"],
            "member": None,
            "scope": "",
            "expiresAt": sb.clock.now() + ttl,
        },
    )
    return {"access_token": token, "expires_in": ttl}


def issue_member_token(sb: Sandbox, app: Record, member: str, scope: str) -> dict[str, Any]:
    token = "AQV" + secrets.token_urlsafe(32)
    refresh_token = "AQX" + secrets.token_urlsafe(32)
    now = sb.clock.now()
    record = {"kind": "member", "clientId": app["clientId"], "member": member, "scope": scope}
    sb.storage.put(
        "token", token, {**record, "token": token, "expiresAt": now + sb.options.member_token_ttl}
    )
    sb.storage.put(
        "refresh_token",
        refresh_token,
        {**record, "token": refresh_token, "expiresAt": now + sb.options.refresh_token_ttl},
    )
    return _member_token_body(sb, token, refresh_token, scope)


def _member_token_body(sb: Sandbox, token: str, refresh_token: str, scope: str) -> dict[str, Any]:
    refresh = sb.storage.get("refresh_token", refresh_token) or {}
    # Guess: LINKEDIN.md does not cover refresh tokens; LinkedIn returns them to approved partners.
    return {
        "access_token": token,
        "expires_in": sb.options.member_token_ttl,
        "refresh_token": refresh_token,
        "refresh_token_expires_in": max(0, int(refresh.get("expiresAt", 0) - sb.clock.now())),
        "scope": scope,
    }


def exchange_code(sb: Sandbox, app: Record, form: dict[str, str]) -> dict[str, Any]:
    for name in ("code", "redirect_uri"):
        if not form.get(name):
            raise OAuthError(400, "invalid_request", f'A required parameter "{name}" is missing')
    with sb.storage.transaction():
        code = sb.storage.get("auth_code", form["code"])
        if code:
            sb.storage.delete("auth_code", form["code"])  # single use
    if not code or code["expiresAt"] < sb.clock.now():
        raise OAuthError(
            400, "invalid_request", "Unable to retrieve access token: authorization code not found"
        )
    if code["clientId"] != app["clientId"] or code["redirectUri"] != form["redirect_uri"]:
        raise OAuthError(
            400,
            "invalid_request",
            "Unable to retrieve access token: appid/redirect uri/code verifier does not match "
            "authorization code",
        )
    return issue_member_token(sb, app, code["member"], code["scope"])


def refresh(sb: Sandbox, app: Record, form: dict[str, str]) -> dict[str, Any]:
    raw = form.get("refresh_token", "")
    if not raw:
        raise OAuthError(400, "invalid_request", 'A required parameter "refresh_token" is missing')
    record = sb.storage.get("refresh_token", raw)
    if not record or record["clientId"] != app["clientId"]:
        raise OAuthError(400, "invalid_request", "The provided refresh token is invalid")
    if record["expiresAt"] < sb.clock.now():
        raise OAuthError(400, "invalid_request", "The provided refresh token has expired")
    token = "AQV" + secrets.token_urlsafe(32)
    sb.storage.put(
        "token",
        token,
        {
            "kind": "member",
            "clientId": app["clientId"],
            "member": record["member"],
            "scope": record["scope"],
            "token": token,
            "expiresAt": sb.clock.now() + sb.options.member_token_ttl,
        },
    )
    return _member_token_body(sb, token, raw, record["scope"])


def create_code(sb: Sandbox, app: Record, member: str, redirect_uri: str, scope: str) -> str:
    code = "AQT" + secrets.token_urlsafe(24)
    sb.storage.put(
        "auth_code",
        code,
        {
            "code": code,
            "clientId": app["clientId"],
            "member": member,
            "redirectUri": redirect_uri,
            "scope": scope,
            "expiresAt": sb.clock.now() + sb.options.auth_code_ttl,
        },
    )
    return code


def authenticate(sb: Sandbox, request: Request) -> TokenInfo:
    """The bearer token of an API call, or 401 like LinkedIn (empty, invalid, expired)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if not header or scheme.lower() != "bearer" or not token:
        # Guess: 65604 for an empty token (LINKEDIN.md lists 65600 and 65602 only).
        raise ApiError(401, "Empty oauth2 access token", 65604)
    record = sb.storage.get("token", token)
    if not record:
        raise ApiError(401, "Invalid access token", 65600)
    if record["expiresAt"] <= sb.clock.now():
        raise ApiError(401, "The token used in the request has expired", 65602)
    app = sb.application(record["clientId"])
    if not app:
        raise ApiError(401, "Invalid access token", 65600)
    return TokenInfo(token, record["kind"], app, record.get("member"), record.get("scope", ""))


def require(sb: Sandbox, request: Request, kind: str) -> TokenInfo:
    """Authenticate and check the token kind: partner, customer, member or customer_or_member."""
    info = authenticate(sb, request)
    request.context["token"] = info
    partner = info.kind == "app" and info.app.get("parent") is None
    allowed = {
        "partner": info.kind == "app" and partner,
        "customer": info.kind == "app" and not partner,
        "member": info.kind == "member",
        "customer_or_member": info.kind == "member" or (info.kind == "app" and not partner),
    }[kind]
    if not allowed:
        path = request.path.split("/", 2)[-1]
        raise ApiError(403, f"Not enough permissions to access: {request.method} /{path}", 100)
    return info
