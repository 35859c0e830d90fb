"""Server-rendered pages standing in for LinkedIn: sign-in and OAuth consent, the ATS Integration
Configuration Plugin, the Recruiter admin's ATS tab and the push deliveries. Plain forms, labels,
one h1 per page; every POST carries the session's form token."""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlencode, urlsplit

from linkedin.sandbox import auth, integrations, push
from linkedin.sandbox import html as h
from linkedin.sandbox.core import Sandbox
from linkedin.sandbox.restli import ApiError
from linkedin.sandbox.seed import MEMBER_PASSWORD
from linkedin.sandbox.storage import Record
from linkedin.sandbox.web import Request, Response, Router, esc, html_response, redirect

SESSION_COOKIE = "li_sandbox_session"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "testserver"}
SCOPE_LABELS = {
    "r_liteprofile": "Use your name and photo",
    "r_basicprofile": "Use your basic profile",
    "r_emailaddress": "Use the primary email address of your LinkedIn account",
    "openid": "Use your name and photo (OpenID Connect)",
    "profile": "Use your name and photo",
    "email": "Use the primary email address of your LinkedIn account",
}


def register(router: Router, sb: Sandbox) -> None:
    router.add("GET", r"/", lambda r: home(sb, r))
    router.add("GET", r"/login", lambda r: login_page(sb, r))
    router.add("POST", r"/login", lambda r: login_submit(sb, r))
    router.add("POST", r"/logout", lambda r: logout(sb, r))
    router.add("GET", r"/oauth/v2/authorization", lambda r: authorization(sb, r))
    router.add("POST", r"/oauth/v2/authorization", lambda r: authorization_decide(sb, r))
    router.add("POST", r"/oauth/v2/accessToken", lambda r: auth.token_endpoint(sb, r))
    router.add("GET", r"/recruiter/widget/ATSIntegration", lambda r: plugin(sb, r))
    router.add("POST", r"/recruiter/widget/ATSIntegration", lambda r: plugin_submit(sb, r))
    router.add("GET", r"/recruiter/admin/ats", lambda r: admin_ats(sb, r))
    router.add("POST", r"/recruiter/admin/ats", lambda r: admin_ats_switch(sb, r))
    router.add("GET", r"/_sandbox/pushes", lambda r: pushes_page(sb, r))
    router.add("POST", r"/_sandbox/pushes", lambda r: pushes_redeliver(sb, r))
    from linkedin.sandbox import pages_recruiter

    pages_recruiter.register(router, sb)


# Layout and session -------------------------------------------------------------------------------


def layout(sb: Sandbox, request: Request, title: str, body: str, status: int = 200) -> Response:
    member = current_member(sb, request)
    who = ""
    if member:
        who = (
            f"<span>Signed in as {esc(member['firstName'])} {esc(member['lastName'])}</span>"
            f'<form method="post" action="/logout">{csrf_field(sb, request)}'
            '<button class="secondary" type="submit">Sign out</button></form>'
        )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} | LinkedIn sandbox</title><style>{h.CSS}</style></head>
<body><header><strong>LinkedIn <small>(sandbox)</small></strong>
<nav aria-label="Sandbox"><ul><li><a href="/members">Members</a></li>
<li><a href="/recruiter/admin/ats">Recruiter admin</a></li>
<li><a href="/_sandbox/pushes">Push deliveries</a></li></ul></nav>{who}</header>
<main id="main"><h1>{esc(title)}</h1>
{body}</main></body></html>"""
    return html_response(page, status)


def _session(sb: Sandbox, request: Request) -> Record | None:
    token = request.cookie(SESSION_COOKIE)
    return sb.storage.get("session", token) if token else None


def current_member(sb: Sandbox, request: Request) -> Record | None:
    session = _session(sb, request)
    return sb.member(session["member"]) if session and session.get("member") else None


def csrf_token(sb: Sandbox, request: Request) -> str:
    session = _session(sb, request)
    return session["csrf"] if session else ""


def csrf_field(sb: Sandbox, request: Request) -> str:
    return h.hidden("csrf", csrf_token(sb, request))


def check_csrf(sb: Sandbox, request: Request, form: dict[str, str]) -> None:
    expected = csrf_token(sb, request)
    if not expected or not hmac.compare_digest(expected, form.get("csrf", "")):
        raise ApiError(403, "The form expired: reload the page and try again")


def require_member(sb: Sandbox, request: Request) -> Record | Response:
    member = current_member(sb, request)
    if member is None:
        target = request.raw_path + ("?" + request.query_string if request.query_string else "")
        return redirect("/login?" + urlencode({"next": target}))
    return member


def _safe_next(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") else "/"


# Home, sign-in, sign-out --------------------------------------------------------------------------


def home(sb: Sandbox, request: Request) -> Response:
    body = """<div class="card"><p>This service stands in for LinkedIn's partner APIs and pages.</p>
<ul><li><a href="/members">Member directory</a> (export, InMail, notes, sharing)</li>
<li><a href="/recruiter/admin/ats">Recruiter admin: ATS tab</a></li>
<li><a href="/_sandbox/pushes">Push notification deliveries</a></li>
<li><a href="/_sandbox/state">State (JSON)</a></li></ul></div>"""
    return layout(sb, request, "LinkedIn sandbox", body)


def login_page(sb: Sandbox, request: Request, error: str = "", status: int = 200) -> Response:
    target = _safe_next(request.query_dict().get("next") or request.form().get("next", "/"))
    members = "".join(
        f"<li>{esc(m['firstName'])} {esc(m['lastName'])}: <code>{esc(m['email'])}</code></li>"
        for m in sb.storage.all("member")
        if sb.seats_of(m["urn"])
    )
    problem = h.status(error, error=True) if error else ""
    sign_in = h.form(
        "/login",
        h.hidden("next", target),
        h.field("Email", "email", "email", extra=' autocomplete="username" required'),
        h.field(
            "Password", "password", "password", extra=' autocomplete="current-password" required'
        ),
        h.button("Sign in"),
    )
    help_text = (
        f"<h2>Sandbox members with Recruiter seats</h2><p>Every member's password is "
        f"<code>{esc(MEMBER_PASSWORD)}</code>.</p><ul>{members}</ul>"
    )
    body = h.card(problem, sign_in) + h.card(help_text)
    return layout(sb, request, "Sign in", body, status)


def login_submit(sb: Sandbox, request: Request) -> Response:
    form = request.form()
    email = form.get("email", "").strip().lower()
    found = sb.storage.all("member", lambda m: m["email"].lower() == email)
    if not found or not hmac.compare_digest(form.get("password", ""), MEMBER_PASSWORD):
        return login_page(sb, request, "That email and password do not match a member.", 200)
    token = secrets.token_urlsafe(24)
    sb.storage.put(
        "session",
        token,
        {
            "member": found[0]["id"],
            "csrf": secrets.token_urlsafe(16),
            "createdAt": sb.clock.now_ms(),
        },
    )
    cookie = f"{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax"
    return redirect(_safe_next(form.get("next", "/")), [("Set-Cookie", cookie)])


def logout(sb: Sandbox, request: Request) -> Response:
    check_csrf(sb, request, request.form())
    token = request.cookie(SESSION_COOKIE)
    if token:
        sb.storage.delete("session", token)
    expired = f"{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"
    return redirect(_safe_next(request.form().get("next", "/")), [("Set-Cookie", expired)])


# OAuth 2.0 authorization (3-legged) ---------------------------------------------------------------


def _redirect_allowed(app: Record, redirect_uri: str) -> bool:
    registered = app.get("oauth2AuthorizedCallbackUrls") or []
    if registered:
        return redirect_uri in registered
    parts = urlsplit(redirect_uri)
    host = (parts.hostname or "").lower()
    # Sandbox leniency: an application without registered URLs (the partner application) may
    # redirect to a local product; LinkedIn itself requires the exact registered URL.
    local = host in LOCAL_HOSTS or host.endswith(".localhost") or "." not in host
    return parts.scheme in ("http", "https") and local


def _authorization_params(sb: Sandbox, params: dict[str, str]) -> tuple[Record, str]:
    """The application and redirect URI, or an error page (400) when they are not valid."""
    app = sb.application(params.get("client_id", ""))
    if app is None:
        raise ApiError(400, "The client_id is not a known application")
    redirect_uri = params.get("redirect_uri", "")
    if not redirect_uri or not _redirect_allowed(app, redirect_uri):
        raise ApiError(400, "The redirect_uri does not match the registered value")
    return app, redirect_uri


def _back(redirect_uri: str, **params: str) -> Response:
    separator = "&" if urlsplit(redirect_uri).query else "?"
    query = urlencode({k: v for k, v in params.items() if v != ""})
    return redirect(redirect_uri + separator + query)


def _oauth_error_page(sb: Sandbox, request: Request, exc: ApiError) -> Response:
    return layout(
        sb,
        request,
        "Authorization error",
        h.status(exc.message, error=True),
        400,
    )


def authorization(sb: Sandbox, request: Request) -> Response:
    """GET /oauth/v2/authorization: sign in if needed, then ask for consent."""
    params = request.query_dict()
    try:
        app, redirect_uri = _authorization_params(sb, params)
    except ApiError as exc:
        return _oauth_error_page(sb, request, exc)
    state = params.get("state", "")
    if params.get("response_type") != "code":
        return _back(
            redirect_uri,
            error="invalid_request",
            error_description="response_type must be code",
            state=state,
        )
    scopes = params.get("scope", "").replace(",", " ").split()
    unknown = [s for s in scopes if s not in auth.KNOWN_SCOPES]
    if not scopes or unknown:
        return _back(
            redirect_uri,
            error="unauthorized_scope_error",
            error_description=f"Scope {' '.join(unknown) or '(none)'} is not authorized "
            "for your application",
            state=state,
        )
    member = require_member(sb, request)
    if isinstance(member, Response):
        return member
    return _consent(sb, request, app, member, params, scopes)


def _consent(
    sb: Sandbox,
    request: Request,
    app: Record,
    member: Record,
    params: dict[str, str],
    scopes: list[str],
) -> Response:
    names = ("response_type", "client_id", "redirect_uri", "state", "scope")
    fields = "".join(h.hidden(k, params.get(k, "")) for k in names)
    wanted = "".join(
        f"<li>{esc(SCOPE_LABELS.get(s, s))} (<code>{esc(s)}</code>)</li>" for s in scopes
    )
    who = f"{esc(member['firstName'])} {esc(member['lastName'])} ({esc(member['email'])})"
    decision = h.form(
        "/oauth/v2/authorization",
        fields,
        csrf_field(sb, request),
        h.button("Allow", "decision", "allow"),
        h.button("Cancel", "decision", "cancel", secondary=True),
    )
    body = h.card(
        f"<p><strong>{esc(app['name'])}</strong> would like to:</p><ul>{wanted}</ul>",
        f"<p>You are signing in as {who}.</p>",
        decision,
    )
    return layout(sb, request, f"Allow {app['name']} to access your LinkedIn account?", body)


def authorization_decide(sb: Sandbox, request: Request) -> Response:
    form = request.form()
    check_csrf(sb, request, form)
    try:
        app, redirect_uri = _authorization_params(sb, form)
    except ApiError as exc:
        return _oauth_error_page(sb, request, exc)
    member = current_member(sb, request)
    state = form.get("state", "")
    if member is None:
        return redirect("/login")
    if form.get("decision") != "allow":
        # Reference: LinkedIn's authorization code flow, "user_cancelled_authorize".
        return _back(
            redirect_uri,
            error="user_cancelled_authorize",
            error_description="The user cancelled the authorization",
            state=state,
        )
    scope = " ".join(form.get("scope", "").replace(",", " ").split())
    code = auth.create_code(sb, app, member["id"], redirect_uri, scope)
    return _back(redirect_uri, code=code, state=state)


# ATS Integration Configuration Plugin (stands in for LinkedIn's JavaScript widget) ----------------


def _plugin_redirect_allowed(app: Record, redirect_uri: str) -> bool:
    if not redirect_uri:
        return True
    parts = urlsplit(redirect_uri)
    origin = f"{parts.scheme}://{parts.netloc}"
    domains = app.get("validJsSdkDomains") or []
    if domains:
        return origin in domains or parts.netloc in domains or (parts.hostname or "") in domains
    return _redirect_allowed({"oauth2AuthorizedCallbackUrls": []}, redirect_uri)


def _plugin_app(sb: Sandbox, params: dict[str, str]) -> Record:
    app = sb.application(params.get("api_key", ""))
    if app is None or app.get("parent") is None:
        raise ApiError(400, "api_key must be the client id of a provisioned customer application")
    if not _plugin_redirect_allowed(app, params.get("redirect_uri", "")):
        raise ApiError(
            400, "The redirect_uri's domain is not one of the application's validJsSdkDomains"
        )
    return app


def plugin(sb: Sandbox, request: Request) -> Response:
    """GET /recruiter/widget/ATSIntegration?api_key=...&redirect_uri=...&state=..."""
    params = request.query_dict()
    try:
        app = _plugin_app(sb, params)
    except ApiError as exc:
        return _oauth_error_page(sb, request, exc)
    member = require_member(sb, request)
    if isinstance(member, Response):
        return member
    admin_seats = [s for s in sb.seats_of(member["urn"]) if s["role"] == "ADMIN"]
    if not admin_seats:
        refusal = h.status("Only a Recruiter admin can request an ATS integration.", error=True)
        return layout(sb, request, "ATS integration", refusal, 403)
    return layout(
        sb,
        request,
        f"Connect {app['name']} to LinkedIn Recruiter",
        _plugin_form(sb, request, app, params, admin_seats),
    )


def _plugin_form(
    sb: Sandbox, request: Request, app: Record, params: dict[str, str], seats: list[Record]
) -> str:
    options = "".join(
        h.choice(
            "radio",
            "contract",
            f"contract-{index}",
            seat["contract"],
            (sb.contract(seat["contract"]) or {}).get("name", ""),
            checked=index == 0,
        )
        for index, seat in enumerate(seats)
    )
    records = sb.storage.all("integration", lambda r: r["clientId"] == app["clientId"])
    rows = [
        [
            esc(r["integrationType"]),
            f"<code>{esc(r['integrationContext'])}</code>",
            esc(r["status"]),
        ]
        for r in records
    ]
    listing = (
        h.table(("Type", "Context", "Status"), rows, "Integrations of this application")
        if rows
        else "<p>No integration requested yet.</p>"
    )
    fields = "".join(h.hidden(k, params.get(k, "")) for k in ("api_key", "redirect_uri", "state"))
    intro = (
        f"<p>Recruiter System Connect lets {esc(app['name'])} exchange data with LinkedIn "
        "Recruiter (In-ATS indicator, 1-click export, profile widget, InMail and note history).</p>"
    )
    request_form = h.form(
        "/recruiter/widget/ATSIntegration",
        fields,
        csrf_field(sb, request),
        f"<fieldset><legend>Recruiter contract</legend>{options}</fieldset>",
        h.button("Request", "action", "request"),
        h.button("Notify partner", "action", "notify", secondary=True),
    )
    return h.card(intro, request_form) + h.card("<h2>Status</h2>", listing)


def plugin_submit(sb: Sandbox, request: Request) -> Response:
    """Request (pre-authorise the application) or Notify partner (re-send the onintegrate data):
    both return to the partner's redirect_uri with what the widget's onintegrate callback gets.

    Guess (LINKEDIN.md 2.3, payload UNCONFIRMED): `integrationContext` (organisation URN),
    `contract` (contract URN), `integrationTypes` (comma-separated) and `state` as query
    parameters."""
    form = request.form()
    check_csrf(sb, request, form)
    try:
        app = _plugin_app(sb, form)
    except ApiError as exc:
        return _oauth_error_page(sb, request, exc)
    member = current_member(sb, request)
    contract = form.get("contract", "")
    admin = member and any(
        s["contract"] == contract and s["role"] == "ADMIN" for s in sb.seats_of(member["urn"])
    )
    if not admin:
        raise ApiError(403, "Only an admin of that contract can request the integration")
    records = integrations.request(sb, app, contract)
    org = (sb.contract(contract) or {}).get("organization", "")
    types = ",".join(r["integrationType"] for r in records)
    if not form.get("redirect_uri"):
        return redirect(
            "/recruiter/widget/ATSIntegration?" + urlencode({"api_key": app["clientId"]})
        )
    return _back(
        form["redirect_uri"],
        integrationContext=org,
        contract=contract,
        integrationTypes=types,
        state=form.get("state", ""),
    )


# Recruiter admin: ATS tab -------------------------------------------------------------------------


def admin_ats(sb: Sandbox, request: Request) -> Response:
    """More → Admin Settings → ATS: Contract level or Company level access, per contract."""
    message = request.query_dict().get("message", "")
    member = require_member(sb, request)
    if isinstance(member, Response):
        return member
    admin_seats = [s for s in sb.seats_of(member["urn"]) if s["role"] == "ADMIN"]
    if not admin_seats:
        refusal = h.status("You are not a Recruiter admin.", error=True)
        return layout(sb, request, "Admin settings", refusal, 403)
    chosen = (
        request.query_dict().get("contract")
        or request.form().get("contract")
        or admin_seats[0]["contract"]
    )
    if chosen not in {s["contract"] for s in admin_seats}:
        chosen = admin_seats[0]["contract"]
    return layout(
        sb, request, "Admin settings: ATS", _admin_body(sb, request, admin_seats, chosen, message)
    )


def _admin_body(
    sb: Sandbox, request: Request, seats: list[Record], chosen: str, message: str
) -> str:
    current = ' aria-current="page"'
    tabs = "".join(
        f'<li><a href="/recruiter/admin/ats?{urlencode({"contract": s["contract"]})}"'
        f"{current if s['contract'] == chosen else ''}>"
        f"{esc((sb.contract(s['contract']) or {}).get('name'))}</a></li>"
        for s in seats
    )
    contract = sb.contract(chosen) or {}
    rows = _integration_rows(sb, chosen)
    switches = "".join(
        _switch_form(sb, request, chosen, level, label)
        for level, label in (
            (integrations.CONTRACT_LEVEL, "Contract level access"),
            (integrations.COMPANY_LEVEL, "Company level access"),
        )
    )
    note = h.status(message) if message else '<p role="status"></p>'
    explanation = (
        "<p>Contract level access: every seat on this contract (1-click export, In-ATS "
        "indicator, profile widget, InMail and notes history, InMail stub profiles). Company "
        "level access: every contract of the company (1-click export, In-ATS indicator, "
        "profile widget).</p>"
    )
    return (
        f'<nav aria-label="Contracts"><ul>{tabs}</ul></nav>'
        + h.card(f"<h2>{esc(contract.get('name'))}</h2>", note, explanation, switches)
        + h.card("<h2>ATS integrations</h2>", rows)
    )


def _integration_rows(sb: Sandbox, contract_urn: str) -> str:
    org = (sb.contract(contract_urn) or {}).get("organization", "")
    records = [
        r for r in integrations.for_org(sb, org) if r["integrationContext"] in (org, contract_urn)
    ]
    if not records:
        return "<p>No ATS has requested an integration for this contract yet.</p>"
    rows = [
        [
            esc((sb.application(r["clientId"]) or {}).get("name")),
            esc(r.get("integrationName") or "(not named by the partner yet)"),
            esc(r["integrationType"]),
            f'<span class="status">{esc(r["status"])}</span>',
            esc(r.get("bundledIntegrationType") or ""),
        ]
        for r in records
    ]
    return h.table(("Application", "Integration", "Type", "Status", "Access"), rows)


def _switch_form(sb: Sandbox, request: Request, contract_urn: str, level: str, label: str) -> str:
    on = any(
        r["status"] == integrations.ENABLED and r.get("bundledIntegrationType") == level
        for r in integrations.affected(sb, contract_urn, level)
    )
    state = "On" if on else "Off"
    verb, value = ("Turn off", "off") if on else ("Turn on", "on")
    return h.form(
        "/recruiter/admin/ats",
        csrf_field(sb, request),
        h.hidden("contract", contract_urn),
        h.hidden("level", level),
        f'<p><strong>{esc(label)}</strong>: <span class="status">{state}</span> ',
        h.button(f"{verb} {label.lower()}", "switch", value),
        "</p>",
    )


def admin_ats_switch(sb: Sandbox, request: Request) -> Response:
    form = request.form()
    check_csrf(sb, request, form)
    member = current_member(sb, request)
    contract = form.get("contract", "")
    level = form.get("level", "")
    admin = member and any(
        s["contract"] == contract and s["role"] == "ADMIN" for s in sb.seats_of(member["urn"])
    )
    if not admin or level not in (integrations.CONTRACT_LEVEL, integrations.COMPANY_LEVEL):
        raise ApiError(403, "Only an admin of that contract can change its ATS access")
    pending = [
        r
        for r in integrations.affected(sb, contract, level)
        if r["status"] == integrations.PENDING_PARTNER
    ]
    pushes = integrations.switch(sb, contract, level, form.get("switch") == "on")
    if not pushes and pending:
        message = "The partner has not finished configuring the integration yet (Notify partner)."
    else:
        delivered = sum(1 for p in pushes if p.get("delivered"))
        message = f"Saved. {delivered} of {len(pushes)} partner notification(s) delivered."
    return redirect("/recruiter/admin/ats?" + urlencode({"contract": contract, "message": message}))


# Push deliveries ----------------------------------------------------------------------------------


def pushes_page(sb: Sandbox, request: Request) -> Response:
    rows = []
    for record in reversed(sb.storage.all("push")):
        last = record["attempts"][-1] if record["attempts"] else {}
        outcome = last.get("status") or last.get("error") or "not sent"
        label = f"Redeliver {record['type']} {record['requestId']}"
        redeliver = h.form(
            "/_sandbox/pushes", h.hidden("id", record["id"]), h.button("Redeliver", aria=label)
        )
        rows.append(
            [
                esc(record["type"]),
                f"<code>{esc(record['requestId'])}</code>",
                f"<code>{esc(record['url'] or '(no callback URL)')}</code>",
                esc(outcome),
                str(len(record["attempts"])),
                redeliver,
            ]
        )
    headers = ("Type", "Request id", "Callback URL", "Last outcome", "Attempts", "Action")
    listing = h.table(headers, rows) if rows else "<p>No push notification yet.</p>"
    intro = f"<p>Each push is signed with <code>{push.SIGNATURE_HEADER}</code>.</p>"
    return layout(sb, request, "Push deliveries", h.card(intro, listing))


def pushes_redeliver(sb: Sandbox, request: Request) -> Response:
    record = sb.storage.get("push", request.form().get("id", ""))
    if record is None:
        raise ApiError(404, "No such push")
    push.deliver_push(sb, record)
    return redirect("/_sandbox/pushes")
