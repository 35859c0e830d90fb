"""Recruiter System Connect: connecting the organisation (administrators) and users' own accounts.

The administrator's flow (SPEC 2.1, LINKEDIN.md 2.3 and 4.1): sign in with LinkedIn → choose the
contract → Request (provision the customer application, the Recruiter admin pre-authorises it in
the ATS Integration Configuration Plugin, we name the integrations and register the callback URL)
→ "Partner ready" (or "Notify partner") → the Recruiter admin enables access → "Enabled".
LinkedIn is never called inside a database transaction: calls first, then short writes.
"""

import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from attract.access import is_staff_user, require_admin
from attract.models import User
from attract.selectors import organisation_get
from linkedin import client, events, services_history
from linkedin.models_rsc import (
    AccessLevel,
    LinkedInAccount,
    OAuthState,
    RecruiterConnection,
    RecruiterSeat,
    RscStatus,
    WebhookEvent,
)
from linkedin.selectors_rsc import connection_for_callback, connection_get

log = logging.getLogger("linkedin.rsc")

SCOPE = "r_liteprofile"
STATE_TTL = timedelta(minutes=15)
ORGANIZATION_TYPES = ("ONE_CLICK_EXPORT", "IN_ATS_INDICATOR", "PROFILE_PLUGIN")
CONTRACT_TYPE = "CSA_API"
INTEGRATION_NAMES = {
    "ONE_CLICK_EXPORT": "LinkedIn Recruiter One-Click Export Integration",
    "IN_ATS_INDICATOR": "LinkedIn Recruiter In-ATS Indicator Integration",
    "PROFILE_PLUGIN": "LinkedIn Recruiter Profile Plugin Integration",
    "CSA_API": "LinkedIn Recruiter InMail and Notes Integration",
}
# Guess (LINKEDIN.md open item 5): the status values the sandbox answers.
ENABLED, PARTNER_READY, DISABLED = "ENABLED", "PARTNER_READY", "DISABLED"
LIVE_STATUSES = {RscStatus.PARTNER_READY, RscStatus.ENABLED, RscStatus.DISABLED}
SIGNATURE_PREFIX = b"hmacsha256="
MAX_PUSH_BYTES = 64 * 1024


# --- Sign-in state: bound to the user and the session, usable once -----------------------------


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def oauth_state_issue(*, user: User, session_key: str, purpose: str, redirect_uri: str) -> str:
    """A fresh `state` for one LinkedIn round trip; only its digest is stored."""
    OAuthState.objects.filter(created_at__lt=timezone.now() - timedelta(days=1)).delete()
    state = secrets.token_urlsafe(32)
    OAuthState.objects.create(
        digest=_digest(state),
        purpose=purpose,
        user=user,
        session_digest=_digest(session_key),
        redirect_uri=redirect_uri,
    )
    return state


def oauth_state_consume(*, user: User, session_key: str, state: str, purpose: str) -> OAuthState:
    """The sign-in this `state` belongs to, marked used; refused when foreign, replayed or old."""
    record = OAuthState.objects.filter(digest=_digest(state or "")).first()
    if record is None or record.user_id != user.pk or record.purpose != purpose:
        raise ValidationError(
            "This LinkedIn sign-in was not started from your session. Nothing was saved; "
            "start again from Attract."
        )
    if not hmac.compare_digest(record.session_digest, _digest(session_key)):
        raise ValidationError(
            "This LinkedIn sign-in was started in another browser session. Nothing was saved; "
            "start again from this browser."
        )
    if record.used_at is not None:
        raise ValidationError("This LinkedIn sign-in link was already used. Nothing was saved.")
    if record.created_at < timezone.now() - STATE_TTL:
        raise ValidationError("This LinkedIn sign-in took too long and expired. Start again.")
    used = OAuthState.objects.filter(pk=record.pk, used_at__isnull=True)
    if not used.update(used_at=timezone.now()):
        raise ValidationError("This LinkedIn sign-in link was already used. Nothing was saved.")
    return record


def _oauth_answer(error: str, code: str) -> None:
    if error:
        raise ValidationError(f"LinkedIn did not connect: {error.replace('_', ' ')}.")
    if not code:
        raise ValidationError("LinkedIn answered without an authorisation code.")


@contextmanager
def _linkedin(action: str) -> Iterator[None]:
    """LinkedIn's refusals and outages as a ValidationError the page can show."""
    try:
        yield
    except client.LinkedInRateLimited as exc:
        raise ValidationError(
            f"{action}: LinkedIn asks us to slow down; try again in {int(exc.retry_after)} s."
        ) from exc
    except client.LinkedInTemporaryError as exc:
        raise ValidationError(f"{action}: LinkedIn is not answering ({exc.message}).") from exc
    except client.LinkedInError as exc:
        raise ValidationError(f"{action}: LinkedIn refused ({exc.message}).") from exc


# --- Administrator: connect, choose the contract ------------------------------------------------


def rsc_connect_start(*, by: User, session_key: str, redirect_uri: str) -> str:
    """Where to send the administrator to sign in with LinkedIn (the partner application)."""
    require_admin(by)
    state = oauth_state_issue(
        user=by,
        session_key=session_key,
        purpose=OAuthState.Purpose.ADMIN,
        redirect_uri=redirect_uri,
    )
    return client.authorization_url(
        client_id=client.partner_credentials().client_id,
        redirect_uri=redirect_uri,
        state=state,
        scope=SCOPE,
    )


def rsc_connect_complete(
    *, by: User, session_key: str, state: str, code: str, error: str
) -> RecruiterConnection:
    """Finish the administrator's sign-in: who they are and the contracts they administer."""
    require_admin(by)
    sign_in = oauth_state_consume(
        user=by, session_key=session_key, state=state, purpose=OAuthState.Purpose.ADMIN
    )
    _oauth_answer(error, code)
    partner = client.partner_credentials()
    with _linkedin("Signing in with LinkedIn"):
        token = client.exchange_code(partner, code=code, redirect_uri=sign_in.redirect_uri)
        me = client.get_me(token.access_token)
        seats = client.call(
            "GET", "/v2/seats", member_token=token.access_token, query="q=seatsByAttributes"
        )
    contracts = _admin_contracts(seats)
    if not contracts:
        raise ValidationError(
            "Your LinkedIn account is not a Recruiter admin of any contract. Ask your LinkedIn "
            "Recruiter contract admin to connect."
        )
    return _save_sign_in(by=by, me=me, token=token, contracts=contracts)


def _admin_contracts(seats: Any) -> list[dict[str, str]]:
    # Guess (sandbox): with a member token the seats finder answers the member's own seats,
    # each with `contract`, `contractName` and `role`; only admin seats may request RSC.
    elements = seats.get("elements", []) if isinstance(seats, dict) else []
    found: dict[str, dict[str, str]] = {}
    for seat in elements:
        if seat.get("role") not in (None, "ADMIN") or not seat.get("active", True):
            continue
        urn = str(seat.get("contract") or "")
        if urn and urn not in found:
            found[urn] = {"urn": urn, "name": str(seat.get("contractName") or urn)}
    return list(found.values())


def _member_name(me: Mapping[str, Any]) -> str:
    names = (me.get("localizedFirstName"), me.get("localizedLastName"))
    return " ".join(str(n) for n in names if n)[:200]


@transaction.atomic
def _save_sign_in(
    *, by: User, me: Mapping[str, Any], token: client.AccessToken, contracts: list[dict[str, str]]
) -> RecruiterConnection:
    connection = connection_get(for_update=True)
    before = connection.status
    connection.connected_by = by
    connection.admin_member_urn = f"urn:li:person:{me['id']}"
    connection.admin_member_name = _member_name(me)
    connection.admin_access_token = token.access_token
    connection.contracts = contracts
    connection.last_error = ""
    connection.disconnected_at = None
    if len(contracts) == 1:
        _use_contract(connection, contracts[0])
    else:
        connection.status = RscStatus.CHOOSE_CONTRACT
    connection.save()
    events.rsc_signed_in(
        connection=connection,
        by=by,
        member_urn=connection.admin_member_urn,
        contracts=[c["urn"] for c in contracts],
    )
    _status_event(connection, by, before, source="sign-in")
    return connection


def _use_contract(connection: RecruiterConnection, contract: Mapping[str, str]) -> None:
    connection.contract_urn = contract["urn"]
    connection.contract_name = contract["name"]
    connection.status = RscStatus.READY_TO_REQUEST


@transaction.atomic
def rsc_choose_contract(*, by: User, contract_urn: str) -> RecruiterConnection:
    """Use one of the contracts the administrator's sign-in found."""
    require_admin(by)
    connection = connection_get(for_update=True)
    if connection.status not in (RscStatus.CHOOSE_CONTRACT, RscStatus.READY_TO_REQUEST):
        raise ValidationError("Sign in with LinkedIn before choosing a contract.")
    chosen = next((c for c in connection.contracts if c["urn"] == contract_urn), None)
    if chosen is None:
        raise ValidationError({"contract": "Choose one of the contracts of your LinkedIn sign-in."})
    before = connection.status
    _use_contract(connection, chosen)
    connection.save()
    events.rsc_contract_chosen(connection=connection, by=by, contract_urn=contract_urn)
    _status_event(connection, by, before, source="contract")
    return connection


# --- Administrator: request (provision, plugin), notify partner, refresh ------------------------


def rsc_request_start(
    *, by: User, session_key: str, oauth_redirect_uri: str, plugin_return_uri: str
) -> str:
    """Provision (or find) the customer application, then the plugin URL to pre-authorise it."""
    require_admin(by)
    connection = connection_get()
    if connection.status in (RscStatus.NOT_CONNECTED, RscStatus.DISCONNECTED):
        raise ValidationError("Sign in with LinkedIn first.")
    if not connection.contract_urn:
        raise ValidationError("Choose a contract first.")
    app = _provision(oauth_redirect_uri=oauth_redirect_uri, plugin_return_uri=plugin_return_uri)
    _save_application(app=app)
    state = oauth_state_issue(
        user=by,
        session_key=session_key,
        purpose=OAuthState.Purpose.PLUGIN,
        redirect_uri=plugin_return_uri,
    )
    return client.ats_plugin_url(
        api_key=app.credentials.client_id, redirect_uri=plugin_return_uri, state=state
    )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _provision(*, oauth_redirect_uri: str, plugin_return_uri: str) -> client.ProvisionedApp:
    organisation = organisation_get()
    partner = client.partner_credentials()
    foreign_id = _foreign_id()
    fields = {
        "oauth2AuthorizedCallbackUrls": [oauth_redirect_uri],
        # No trailing "/" (LINKEDIN.md 2.2): the plugin and the profile widget run on this origin.
        "validJsSdkDomains": [_origin(plugin_return_uri)],
    }
    with _linkedin("Requesting Recruiter System Connect"):
        existing = client.find_provisioned_application(partner, unique_foreign_id=foreign_id)
        if existing is not None:
            client.update_provisioned_application(partner, existing.key, fields)
            return existing
        return client.provision_application(
            partner,
            name=f"{organisation.company_name} (Attract)"[:100],
            description=f"Attract applicant tracking for {organisation.company_name}"[:250],
            unique_foreign_id=foreign_id,
            callback_urls=fields["oauth2AuthorizedCallbackUrls"],
            js_sdk_domains=fields["validJsSdkDomains"],
        )


def _foreign_id() -> str:
    # One installation serves one organisation; its callback token is unique to it as well.
    return f"attract-{connection_get().callback_token[:16]}"


@transaction.atomic
def _save_application(*, app: client.ProvisionedApp) -> None:
    connection = connection_get(for_update=True)
    if connection.client_secret and connection.client_secret != app.credentials.client_secret:
        connection.previous_client_secret = connection.client_secret
    connection.application_urn = app.key
    connection.client_id = app.credentials.client_id
    connection.client_secret = app.credentials.client_secret
    connection.save()


def rsc_request_complete(
    *,
    by: User,
    session_key: str,
    state: str,
    organization_urn: str,
    contract_urn: str,
    callback_url: str,
) -> RecruiterConnection:
    """The plugin came back: keep the organisation and contract, then configure (notify)."""
    require_admin(by)
    oauth_state_consume(
        user=by, session_key=session_key, state=state, purpose=OAuthState.Purpose.PLUGIN
    )
    if not organization_urn.startswith("urn:li:organization:"):
        raise ValidationError("LinkedIn did not say which organisation the request is for.")
    connection = _save_request(by=by, organization_urn=organization_urn, contract_urn=contract_urn)
    return rsc_notify_partner(by=by, callback_url=callback_url, connection=connection)


@transaction.atomic
def _save_request(*, by: User, organization_urn: str, contract_urn: str) -> RecruiterConnection:
    connection = connection_get(for_update=True)
    if not connection.has_application:
        raise ValidationError("Press Request again: the application is not provisioned yet.")
    chosen = next((c for c in connection.contracts if c["urn"] == contract_urn), None)
    if contract_urn and contract_urn != connection.contract_urn:
        # The Recruiter admin picked another contract inside LinkedIn's plugin: theirs wins.
        connection.contract_urn = contract_urn
        connection.contract_name = chosen["name"] if chosen else contract_urn
    connection.organization_urn = organization_urn
    connection.requested_at = timezone.now()
    connection.save()
    return connection


def rsc_notify_partner(
    *, by: User | None, callback_url: str, connection: RecruiterConnection | None = None
) -> RecruiterConnection:
    """Name the integrations and register the callback URL, then read the statuses back."""
    if by is not None:
        require_admin(by)
    connection = connection or connection_get()
    if not (connection.has_application and connection.organization_urn):
        raise ValidationError("Press Request first.")
    creds = _credentials(connection)
    keys = _integration_keys(connection)
    company = organisation_get().company_name
    names = [(key, f"{company} {INTEGRATION_NAMES[key['integrationType']]}") for key in keys]
    try:
        with _linkedin("Notifying LinkedIn"):
            _configure(creds, names, keys[0], callback_url)
            connection = _refresh(connection, by=by, source="request")
    except ValidationError as exc:
        _record_error(exc, status=RscStatus.NOTIFY_PARTNER, by=by)
        raise
    events.rsc_requested(
        connection=connection,
        by=by,
        application_urn=connection.application_urn,
        status=connection.status,
    )
    return connection


def _configure(
    creds: client.Credentials,
    names: list[tuple[dict[str, str], str]],
    export_key: dict[str, str],
    callback_url: str,
) -> None:
    named = client.name_integrations(creds, names)
    if named.errors:
        raise client.LinkedInValidationError(named.errors[0].message, element_errors=named.errors)
    # CALLBACK_URL is mandatory on ONE_CLICK_EXPORT; pushes for every integration go there.
    configured = client.set_integration_configurations(
        creds, export_key, {"CALLBACK_URL": callback_url}
    )
    if configured.errors:
        raise client.LinkedInValidationError(
            configured.errors[0].message, element_errors=configured.errors
        )


def _credentials(connection: RecruiterConnection) -> client.Credentials:
    return client.Credentials(connection.client_id, connection.client_secret)


def _integration_keys(connection: RecruiterConnection) -> list[dict[str, str]]:
    keys = [client.integration_key(connection.organization_urn, t) for t in ORGANIZATION_TYPES]
    if connection.contract_urn:
        keys.append(client.integration_key(connection.contract_urn, CONTRACT_TYPE))
    return keys


def rsc_refresh_status(*, by: User) -> RecruiterConnection:
    """Read the integrations' statuses from LinkedIn (the admin's Refresh)."""
    require_admin(by)
    try:
        with _linkedin("Reading the integration status"):
            return rsc_status_sync(by=by)
    except ValidationError as exc:
        _record_error(exc, status=None, by=by)
        raise


def rsc_status_sync(*, by: User | None = None) -> RecruiterConnection:
    """Read the statuses (atsIntegrations batch get); LinkedIn errors propagate (tasks retry)."""
    connection = connection_get()
    if connection.status == RscStatus.DISCONNECTED or not connection.organization_urn:
        return connection
    return _refresh(connection, by=by, source="refresh" if by else "task")


def _refresh(
    connection: RecruiterConnection, *, by: User | None, source: str
) -> RecruiterConnection:
    answer = client.get_integrations(_credentials(connection), _integration_keys(connection))
    statuses = {
        str(entity.get("integrationType")): str(entity.get("status") or "")
        for entity in answer.results.values()
        if isinstance(entity, dict)
    }
    return _apply_statuses(statuses, by=by, source=source, replace=True)


@transaction.atomic
def _apply_statuses(
    statuses: Mapping[str, str], *, by: User | None, source: str, replace: bool
) -> RecruiterConnection:
    connection = connection_get(for_update=True)
    if connection.status == RscStatus.DISCONNECTED:
        return connection
    merged = dict(statuses) if replace else {**connection.integration_statuses, **statuses}
    before = connection.status
    connection.integration_statuses = merged
    connection.status, connection.access_level = summarize(merged)
    connection.tasks_enabled = connection.status == RscStatus.ENABLED
    if connection.status == RscStatus.ENABLED and before != RscStatus.ENABLED:
        connection.enabled_at = timezone.now()
    connection.last_checked_at = timezone.now()
    connection.last_error = ""
    connection.save()
    _status_event(connection, by, before, source=source)
    if connection.tasks_enabled and before != RscStatus.ENABLED:
        services_history.history_on_enablement()  # the full history, the first time only
    return connection


def summarize(statuses: Mapping[str, str]) -> tuple[str, str]:
    """Our status and access level from LinkedIn's per-integration statuses."""
    organization = [statuses.get(t, "") for t in ORGANIZATION_TYPES]
    if any(s == ENABLED for s in organization):
        # Contract level covers the contract's CSA_API too (InMails, notes, stubs).
        level = (
            AccessLevel.CONTRACT if statuses.get(CONTRACT_TYPE) == ENABLED else AccessLevel.COMPANY
        )
        return RscStatus.ENABLED, level
    if any(s == DISABLED for s in organization):
        return RscStatus.DISABLED, AccessLevel.NONE
    if organization and all(s == PARTNER_READY for s in organization):
        return RscStatus.PARTNER_READY, AccessLevel.NONE
    return RscStatus.NOTIFY_PARTNER, AccessLevel.NONE


def _status_event(
    connection: RecruiterConnection, by: User | None, before: str, *, source: str
) -> None:
    if before != connection.status:
        events.rsc_status_changed(
            connection=connection,
            by=by,
            before=before,
            after=connection.status,
            access_level=connection.access_level,
            source=source,
        )


@transaction.atomic
def _record_error(exc: ValidationError, *, status: str | None, by: User | None) -> None:
    connection = connection_get(for_update=True)
    before = connection.status
    connection.last_error = "; ".join(exc.messages)[:500]
    if status is not None and connection.status != RscStatus.DISCONNECTED:
        connection.status = status
    connection.save()
    _status_event(connection, by, before, source="error")


# --- Administrator: disconnect, rotate the secret ----------------------------------------------


@transaction.atomic
def rsc_disconnect(*, by: User) -> RecruiterConnection:
    """Stop every LinkedIn task; keep the application and what came from LinkedIn."""
    require_admin(by)
    connection = connection_get(for_update=True)
    before = connection.status
    connection.status = RscStatus.DISCONNECTED
    connection.tasks_enabled = False
    connection.access_level = AccessLevel.NONE
    connection.admin_access_token = ""
    connection.disconnected_at = timezone.now()
    connection.save()
    events.rsc_disconnected(connection=connection, by=by)
    _status_event(connection, by, before, source="disconnect")
    return connection


@transaction.atomic
def rsc_rotate_secret(*, by: User, client_secret: str) -> RecruiterConnection:
    """Store a new client secret of the customer application; the old one still checks pushes."""
    require_admin(by)
    secret = client_secret.strip()
    if len(secret) < 8:
        raise ValidationError({"client_secret": "Paste the whole client secret from LinkedIn."})
    connection = connection_get(for_update=True)
    if not connection.has_application:
        raise ValidationError("There is no LinkedIn application to rotate the secret of.")
    if secret != connection.client_secret:
        connection.previous_client_secret = connection.client_secret
        connection.client_secret = secret
        connection.save()
        client.forget_app_token(client.Credentials(connection.client_id, secret))
    events.rsc_secret_rotated(connection=connection, by=by)
    return connection


# --- Pushes (the callback endpoint) ------------------------------------------------------------


class PushRefused(Exception):
    """A push the callback endpoint answers with `status` and records nothing of."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def push_signature_ok(connection: RecruiterConnection, raw: bytes, signature: str) -> bool:
    """X-LI-Signature: hex HMAC-SHA256 of `hmacsha256=` + body, with either active secret."""
    given = (signature or "").strip().lower().encode()
    if not given:
        return False
    ok = False
    for secret in (connection.client_secret, connection.previous_client_secret):
        if secret:
            expected = hmac.new(secret.encode(), SIGNATURE_PREFIX + raw, hashlib.sha256)
            ok |= hmac.compare_digest(expected.hexdigest().encode(), given)
    return ok


def push_payload(connection: RecruiterConnection, raw: bytes) -> dict[str, Any] | None:
    """The push's JSON when it is for this organisation, else None; PushRefused if unreadable."""
    try:
        payload = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PushRefused(400, "The notification is not JSON.") from exc
    if not isinstance(payload, dict) or not payload.get("requestId") or not payload.get("type"):
        raise PushRefused(400, "The notification has no type or requestId.")
    ours = {connection.organization_urn, connection.contract_urn} - {""}
    context = payload.get("integrationContext")
    application = payload.get("developerApplication")
    if context and context not in ours:
        return None
    if application and application != connection.application_urn:
        return None
    return payload


def push_receive(*, token: str, raw: bytes, signature: str) -> tuple[WebhookEvent, bool]:
    """Verify a push to `/linkedin/callback/<token>/` and record it once; PushRefused if not."""
    connection = connection_for_callback(token)
    if connection is None:
        raise PushRefused(404, "No organisation has this callback URL.")
    if len(raw) > MAX_PUSH_BYTES:
        raise PushRefused(413, "The notification is too large.")
    if not push_signature_ok(connection, raw, signature):
        log.warning("LinkedIn push refused: missing or wrong X-LI-Signature")
        raise PushRefused(401, "Missing or invalid X-LI-Signature.")
    payload = push_payload(connection, raw)
    if payload is None:
        log.warning("LinkedIn push refused: signed, but for another organisation")
        raise PushRefused(401, "This notification is not for this organisation.")
    return push_record(connection=connection, raw=raw, payload=payload)


def push_record(
    *, connection: RecruiterConnection, raw: bytes, payload: Mapping[str, Any]
) -> tuple[WebhookEvent, bool]:
    """Record a verified push once per request id; True when it is new."""
    request_id = str(payload["requestId"])[:200]
    try:
        with transaction.atomic():
            event = WebhookEvent.objects.create(
                request_id=request_id,
                kind=str(payload["type"])[:64],
                payload=dict(payload),
                raw=raw.decode("utf-8", "replace"),
                status=(
                    WebhookEvent.Status.RECEIVED
                    if connection.status != RscStatus.DISCONNECTED
                    else WebhookEvent.Status.IGNORED
                ),
            )
            events.push_received(event=event)
    except IntegrityError:
        return WebhookEvent.objects.get(request_id=request_id), False
    if event.status == WebhookEvent.Status.RECEIVED:
        from linkedin.tasks_rsc import handle_push
        from linkedin.tasks_sync import handle_export

        # 1-click exports have their own handler; every other push goes to the RSC handler.
        task = handle_export if event.kind == "EXPORT_CANDIDATE_PROFILE" else handle_push
        transaction.on_commit(lambda: task.delay(event.pk))
    return event, True


def push_handle(*, event_id: int) -> WebhookEvent:
    """Act on a recorded push (idempotent): INTEGRATION_STATUS_CHANGE updates the status."""
    event = WebhookEvent.objects.get(pk=event_id)
    if event.kind != "INTEGRATION_STATUS_CHANGE" or event.status != WebhookEvent.Status.RECEIVED:
        return event  # EXPORT_CANDIDATE_PROFILE waits for the 1-click export handler
    connection = connection_get()
    if connection.status == RscStatus.DISCONNECTED or not connection.has_application:
        return _finish(event, WebhookEvent.Status.IGNORED, "Recruiter System Connect is off.")
    creds = _credentials(connection)
    try:
        records = client.get_integrations_by_request(creds, event.request_id)
    except client.LinkedInNotFound:  # LinkedIn forgot the request: read every status instead
        _refresh(connection, by=None, source="push")
        return _finish(event, WebhookEvent.Status.PROCESSED, "")
    ours = _integration_keys(connection)
    statuses = {
        str(r["integrationType"]): str(r.get("status") or "")
        for r in records
        if client.integration_key(r["integrationContext"], r["integrationType"]) in ours
    }
    _apply_statuses(statuses, by=None, source="push", replace=False)
    return _finish(event, WebhookEvent.Status.PROCESSED, "")


def _finish(event: WebhookEvent, status: str, error: str) -> WebhookEvent:
    event.status = status
    event.error = error[:500]
    event.attempts += 1
    event.processed_at = timezone.now()
    event.save(update_fields=["status", "error", "attempts", "processed_at"])
    return event


# --- Users: their own LinkedIn account and Recruiter seat ---------------------------------------


def _require_member_of_staff(user: User) -> None:
    if not is_staff_user(user):
        raise PermissionDenied("You have no role in this organisation.")


def account_connect_start(*, user: User, session_key: str, redirect_uri: str) -> str:
    """Where to send the user to sign in with LinkedIn (the customer application)."""
    _require_member_of_staff(user)
    connection = connection_get()
    if connection.status not in LIVE_STATUSES or not connection.has_application:
        raise ValidationError(
            "LinkedIn Recruiter is not connected for the organisation yet: ask an administrator."
        )
    state = oauth_state_issue(
        user=user,
        session_key=session_key,
        purpose=OAuthState.Purpose.USER,
        redirect_uri=redirect_uri,
    )
    return client.authorization_url(
        client_id=connection.client_id, redirect_uri=redirect_uri, state=state, scope=SCOPE
    )


def account_connect_complete(
    *, user: User, session_key: str, state: str, code: str, error: str
) -> LinkedInAccount:
    """Finish the user's sign-in: store the token (encrypted) and link their Recruiter seat."""
    _require_member_of_staff(user)
    sign_in = oauth_state_consume(
        user=user, session_key=session_key, state=state, purpose=OAuthState.Purpose.USER
    )
    _oauth_answer(error, code)
    connection = connection_get()
    if not connection.has_application:
        raise ValidationError("LinkedIn Recruiter was disconnected meanwhile. Nothing was saved.")
    creds = _credentials(connection)
    with _linkedin("Connecting your LinkedIn account"):
        token = client.exchange_code(creds, code=code, redirect_uri=sign_in.redirect_uri)
        me = client.get_me(token.access_token)
    seats = _contract_seats(connection)
    return _save_account(
        user=user, me=me, token=token, seats=seats, contract=connection.contract_urn
    )


def _contract_seats(connection: RecruiterConnection) -> list[dict[str, Any]] | None:
    """The contract's seats, or None when LinkedIn does not let us read them (company level)."""
    if not connection.contract_urn:
        return None
    try:
        return client.find_seats(_credentials(connection), contract=connection.contract_urn)
    except (client.LinkedInAuthError, client.LinkedInNotFound):
        return None
    except client.LinkedInError as exc:
        log.warning("LinkedIn seats lookup failed: %s", type(exc).__name__)
        return None


@transaction.atomic
def _save_account(
    *,
    user: User,
    me: Mapping[str, Any],
    token: client.AccessToken,
    seats: list[dict[str, Any]] | None,
    contract: str,
) -> LinkedInAccount:
    member_urn = f"urn:li:person:{me['id']}"
    taken = LinkedInAccount.objects.filter(member_urn=member_urn).exclude(user=user).exists()
    if taken:
        raise ValidationError(
            "This LinkedIn account is already connected to another Attract user. Nothing was saved."
        )
    account, _ = LinkedInAccount.objects.update_or_create(
        user=user,
        defaults={
            "member_urn": member_urn,
            "member_name": _member_name(me),
            "access_token": token.access_token,
            "token_expires_at": timezone.now() + timedelta(seconds=token.expires_in),
        },
    )
    seat_urn = _link_seat(user=user, member_urn=member_urn, seats=seats or [], contract=contract)
    events.account_connected(account=account, user=user, seat_urn=seat_urn)
    return account


def _link_seat(*, user: User, member_urn: str, seats: list[dict[str, Any]], contract: str) -> str:
    RecruiterSeat.objects.filter(user=user).update(user=None)
    linked = ""
    for seat in seats:
        seat_urn = client.restli.urn("seat", seat["id"])
        holder = str(seat.get("seatHolder") or "")
        mine = holder == member_urn
        RecruiterSeat.objects.update_or_create(
            seat_urn=seat_urn,
            defaults={
                "contract_urn": str(seat.get("contract") or contract),
                "holder_urn": holder,
                "active": bool(seat.get("active", True)),
                **({"user": user} if mine else {}),
            },
        )
        linked = seat_urn if mine else linked
    return linked


@transaction.atomic
def account_disconnect(*, user: User) -> None:
    """Forget the user's LinkedIn token and seat link; history already imported stays."""
    account = LinkedInAccount.objects.select_for_update().filter(user=user).first()
    if account is None:
        return
    member_urn = account.member_urn
    account.delete()
    RecruiterSeat.objects.filter(user=user).update(user=None)
    events.account_disconnected(user=user, member_urn=member_urn)
