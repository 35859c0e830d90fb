"""The LinkedIn client: plain functions over one `requests.Session` (STYLE habit 6).

Every call has a timeout, is counted by the rate limiter all processes share (LINKEDIN.md 2.11),
is retried with exponential backoff and jitter on 5xx, timeouts and malformed bodies, honours
`Retry-After` on 429, is never retried on another 4xx, stays within a retry budget, and is logged
as method, path, status, duration and attempt: never a token, a secret, a header or a body.
The 2-legged token of each application is cached (encrypted) in Django's cache until it expires,
so every process shares it, and is minted again when LinkedIn answers 401.

Base URLs come from settings (`LINKEDIN_API_BASE_URL`, `LINKEDIN_OAUTH_BASE_URL`): the sandbox on a
laptop, `https://api.linkedin.com` and `https://www.linkedin.com` in production.
"""

import email.utils
import hashlib
import json
import logging
import os
import random
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core.cache import cache
from django.views.decorators.debug import sensitive_variables

from attract import crypto
from attract.env import setting_or_env
from linkedin import restli
from linkedin.ratelimit import (
    MINUTE,
    RateLimiter,
    bucket_for,
    member_limit,
    paced_cap,
    shared_limiter,
)
from linkedin.restli import BatchResult, ElementError, Key

log = logging.getLogger("linkedin.client")

__all__ = [
    "AccessToken",
    "BatchResult",
    "Credentials",
    "LinkedInAuthError",
    "LinkedInError",
    "LinkedInNotFound",
    "LinkedInRateLimited",
    "LinkedInTemporaryError",
    "LinkedInValidationError",
    "RateLimiter",
]

RESTLI_PROTOCOL = "2.0.0"
TOKEN_RENEW_MARGIN = 60  # seconds: a token this close to expiry is minted again
EXPIRED_TOKEN_CODES = {65600, 65601, 65602}  # LINKEDIN.md 2.11: invalid / expired access token


# --- Named errors ------------------------------------------------------------------------------


class LinkedInError(Exception):
    """LinkedIn refused or failed a call; `status` and `service_error_code` as it answered."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        service_error_code: int | None = None,
        path: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.service_error_code = service_error_code
        self.path = path


class LinkedInAuthError(LinkedInError):
    """401 (bad or expired token, wrong client secret) or 403 (not authorised for this)."""


class LinkedInNotFound(LinkedInError):
    """404: no such resource."""


class LinkedInRateLimited(LinkedInError):
    """429, or our own shared budget is used up; try again after `retry_after` seconds."""

    def __init__(self, message: str, *, retry_after: float, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class LinkedInTemporaryError(LinkedInError):
    """5xx, a timeout, a refused connection or a malformed body, still there after the retries."""


class LinkedInValidationError(LinkedInError):
    """400/414/422: the request or some of its elements are invalid; never retried."""

    def __init__(
        self, message: str, *, element_errors: Sequence[ElementError] = (), **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.element_errors = list(element_errors)


# --- Credentials and tokens --------------------------------------------------------------------


@dataclass(frozen=True)
class Credentials:
    """An application's client id and secret (the secret never appears in a repr or a log)."""

    client_id: str
    client_secret: str = field(repr=False)


@dataclass(frozen=True)
class AccessToken:
    access_token: str = field(repr=False)
    expires_at: float
    scope: str = ""
    refresh_token: str = field(default="", repr=False)

    @property
    def expires_in(self) -> int:
        return max(0, int(self.expires_at - time.time()))


def partner_credentials() -> Credentials:
    """The partner (parent) application: only for the Provisioning API (LINKEDIN.md 2.2)."""
    return Credentials(settings.LINKEDIN_PARTNER_CLIENT_ID, settings.LINKEDIN_PARTNER_CLIENT_SECRET)


# --- Knobs (settings override, defaults here) ---------------------------------------------------


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    budget: float = 30.0  # seconds of waiting + calling before a call gives up

    def delay(self, attempt: int) -> float:
        """Exponential backoff with jitter: half fixed, half random, capped."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return ceiling / 2 + random.uniform(0, ceiling / 2)


def retry_policy() -> RetryPolicy:
    return RetryPolicy(
        attempts=int(setting_or_env("LINKEDIN_MAX_ATTEMPTS", 4)),
        base_delay=setting_or_env("LINKEDIN_BACKOFF_BASE", 0.5),
        max_delay=setting_or_env("LINKEDIN_BACKOFF_MAX", 8.0),
        budget=setting_or_env("LINKEDIN_RETRY_BUDGET", 30.0),
    )


def _timeout() -> tuple[float, float]:
    read = float(settings.LINKEDIN_REQUEST_TIMEOUT)
    return (min(5.0, read), read)


_local = threading.local()


def _session() -> requests.Session:
    """One session per process and thread (re-made after a fork: Celery's prefork workers)."""
    session = getattr(_local, "session", None)
    if session is None or getattr(_local, "pid", None) != os.getpid():
        session = requests.Session()
        session.headers["User-Agent"] = "Attract-ATS"
        _local.session, _local.pid = session, os.getpid()
    return session


# --- The call ----------------------------------------------------------------------------------


@dataclass
class _Call:
    method: str
    path: str
    query: str = ""
    json_body: Any = None
    form: Mapping[str, str] | None = None
    restli_method: str = ""
    version: str = ""
    base: str = ""
    creds: Credentials | None = None
    member_token: str = ""
    records: int = 1
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        base = (self.base or settings.LINKEDIN_API_BASE_URL).rstrip("/")
        return f"{base}{self.path}" + (f"?{self.query}" if self.query else "")

    @property
    def app_id(self) -> str:
        if self.creds:
            return self.creds.client_id
        return "member" if self.member_token else "oauth"


@dataclass
class _Outcome:
    response: requests.Response | None = None
    error: LinkedInError | None = None
    retry_after: float | None = None
    renew_token: bool = False


def call(
    method: str,
    path: str,
    *,
    creds: Credentials | None = None,
    member_token: str = "",
    query: str = "",
    json_body: Any = None,
    form: Mapping[str, str] | None = None,
    restli_method: str = "",
    version: str = "",
    base: str = "",
    records: int = 1,
    headers: Mapping[str, str] | None = None,
) -> Any:
    """One LinkedIn call with retries, the shared rate limit and token renewal; parsed JSON."""
    spec = _Call(
        method=method.upper(),
        path=path,
        query=query,
        json_body=json_body,
        form=form,
        restli_method=restli_method,
        version=version,
        base=base,
        creds=creds,
        member_token=member_token,
        records=records,
        headers=dict(headers or {}),
    )
    if (
        len(spec.url.encode()) > restli.MAX_URL_BYTES
        or len(query.encode()) > restli.MAX_QUERY_BYTES
    ):
        raise LinkedInValidationError("The request URL is too long for LinkedIn.", status=414)
    return _with_retries(spec)


def _with_retries(spec: _Call) -> Any:
    policy = retry_policy()
    deadline = time.monotonic() + policy.budget
    renewed = False
    attempt = 0
    while True:
        attempt += 1
        _wait_for_rate_limit(spec, deadline)
        outcome = _attempt(spec, attempt)
        if outcome.error is None and outcome.response is not None:
            return _parse(outcome.response)
        if outcome.renew_token and not renewed and spec.creds:
            renewed = True
            forget_app_token(spec.creds)
            continue
        if outcome.retry_after is None or attempt >= policy.attempts:
            raise _final(outcome)
        pause = max(outcome.retry_after, policy.delay(attempt))
        if time.monotonic() + pause > deadline:
            raise _final(outcome)
        time.sleep(pause)


def _final(outcome: _Outcome) -> LinkedInError:
    assert outcome.error is not None
    return outcome.error


def _wait_for_rate_limit(spec: _Call, deadline: float) -> None:
    bucket = bucket_for(spec.path)
    limiter = shared_limiter()
    while True:
        wait = limiter.try_acquire(bucket, spec.app_id, records=spec.records)
        if wait <= 0:
            return
        if time.monotonic() + wait > deadline:
            raise LinkedInRateLimited(
                f"Attract's own LinkedIn budget for {bucket} is used up for now.",
                retry_after=wait,
                status=429,
                path=spec.path,
            )
        time.sleep(wait)


def _attempt(spec: _Call, attempt: int) -> _Outcome:
    headers, body = _prepare(spec)  # may mint a token: its own call, logged on its own
    started = time.monotonic()
    status: int | str = "error"
    try:
        response = _session().request(
            spec.method,
            spec.url,
            data=body,
            headers=headers,
            timeout=_timeout(),
            allow_redirects=False,
        )
        status = response.status_code
        return _judge(response, spec)
    except requests.Timeout:
        status = "timeout"
        error = LinkedInTemporaryError("LinkedIn did not answer in time.", path=spec.path)
        return _Outcome(error=error, retry_after=0.0)
    except requests.ConnectionError:
        status = "connection-error"
        error = LinkedInTemporaryError("LinkedIn could not be reached.", path=spec.path)
        return _Outcome(error=error, retry_after=0.0)
    finally:
        log.info(
            "LinkedIn %s %s -> %s in %d ms (attempt %d)",
            spec.method,
            spec.path,
            status,
            (time.monotonic() - started) * 1000,
            attempt,
            extra={"linkedin_path": spec.path, "linkedin_status": status, "attempt": attempt},
        )


@sensitive_variables()
def _prepare(spec: _Call) -> tuple[dict[str, str], str | None]:
    headers = dict(spec.headers)
    if spec.creds is not None:
        headers["Authorization"] = f"Bearer {app_token(spec.creds)}"
    elif spec.member_token:
        headers["Authorization"] = f"Bearer {spec.member_token}"
    if spec.restli_method:
        headers["x-restli-method"] = spec.restli_method
    if spec.version:
        # Reference: https://learn.microsoft.com/en-us/linkedin/talent/job-postings/job-posting-release-notes
        headers["LinkedIn-Version"] = spec.version
        headers["X-Restli-Protocol-Version"] = RESTLI_PROTOCOL
    if spec.json_body is not None:
        headers["Content-Type"] = "application/json"
        return headers, json.dumps(spec.json_body, ensure_ascii=True)
    if spec.form is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return headers, urlencode(dict(spec.form))
    return headers, None


def _judge(response: requests.Response, spec: _Call) -> _Outcome:
    status = response.status_code
    if status < 400:
        if response.content.strip() and not _is_json(response):
            malformed = LinkedInTemporaryError(
                "LinkedIn answered with a malformed body.", status=status, path=spec.path
            )
            return _Outcome(error=malformed, retry_after=0.0)
        return _Outcome(response=response)
    body = _error_body(response)
    # API errors carry `message`; the OAuth endpoints answer `error_description`.
    message = str(body.get("message") or body.get("error_description") or response.reason or status)
    code = body.get("serviceErrorCode")
    common: dict[str, Any] = {"status": status, "service_error_code": code, "path": spec.path}
    if status in (401, 403):
        # 401: the token is bad or expired (minted again once); 403: not authorised for this.
        renew = status == 401 and spec.creds is not None
        return _Outcome(error=LinkedInAuthError(message, **common), renew_token=renew)
    if status == 404:
        return _Outcome(error=LinkedInNotFound(message, **common))
    if status == 429:
        wait = _retry_after(response)
        limited = LinkedInRateLimited(message, retry_after=wait or 60.0, **common)
        return _Outcome(error=limited, retry_after=wait or 0.0)
    if status >= 500:
        return _Outcome(error=LinkedInTemporaryError(message, **common), retry_after=0.0)
    elements = restli.parse_batch(body).errors
    return _Outcome(error=LinkedInValidationError(message, element_errors=elements, **common))


def _error_body(response: requests.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _retry_after(response: requests.Response) -> float | None:
    raw = response.headers.get("Retry-After", "").strip()
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def _is_json(response: requests.Response) -> bool:
    try:
        response.json()
    except ValueError:
        return False
    return True


def _parse(response: requests.Response) -> Any:
    return response.json() if response.content.strip() else {}


# --- 2-legged tokens ---------------------------------------------------------------------------


def _token_cache_key(creds: Credentials) -> str:
    scope = f"{settings.LINKEDIN_OAUTH_BASE_URL}|{creds.client_id}"
    return "linkedin:app-token:" + hashlib.sha256(scope.encode()).hexdigest()[:32]


@sensitive_variables()
def app_token(creds: Credentials) -> str:
    """The application's 2-legged token, shared by every process until it (nearly) expires."""
    key = _token_cache_key(creds)
    cached = cache.get(key)
    if cached:
        try:
            return crypto.decrypt(cached)
        except crypto.DecryptionError:
            cache.delete(key)
    token = fetch_app_token(creds)
    ttl = max(1, token.expires_in - TOKEN_RENEW_MARGIN)
    cache.set(key, crypto.encrypt(token.access_token), timeout=ttl)
    return token.access_token


def forget_app_token(creds: Credentials) -> None:
    cache.delete(_token_cache_key(creds))


@sensitive_variables()
def fetch_app_token(creds: Credentials) -> AccessToken:
    """Mint a 2-legged token (client credentials)."""
    # Reference: https://learn.microsoft.com/en-us/linkedin/shared/authentication/client-credentials-flow
    form = {
        "grant_type": "client_credentials",
        "client_id": creds.client_id,
        "client_secret": creds.client_secret,
    }
    return _token_call(form)


@sensitive_variables()
def _token_call(form: Mapping[str, str]) -> AccessToken:
    body = call("POST", "/oauth/v2/accessToken", form=form, base=settings.LINKEDIN_OAUTH_BASE_URL)
    return _access_token(body)


@sensitive_variables()
def _access_token(body: Any) -> AccessToken:
    if not isinstance(body, dict) or not body.get("access_token"):
        raise LinkedInTemporaryError("LinkedIn's token answer had no access_token.")
    return AccessToken(
        access_token=str(body["access_token"]),
        expires_at=time.time() + int(body.get("expires_in") or 1800),
        scope=str(body.get("scope") or ""),
        refresh_token=str(body.get("refresh_token") or ""),
    )


# --- 3-legged (member) OAuth -------------------------------------------------------------------


def authorization_url(*, client_id: str, redirect_uri: str, state: str, scope: str) -> str:
    """Where to send a member to sign in and authorise the application."""
    # Reference: https://github.com/linkedin-developers/recruiter-system-connect-development-tools
    # LINKEDIN.md 2.2: 3-legged OAuth for a member's person ID
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "state": state,
        "scope": scope,
    }
    base = settings.LINKEDIN_OAUTH_BASE_URL.rstrip("/")
    return f"{base}/oauth/v2/authorization?{urlencode(params)}"


@sensitive_variables()
def exchange_code(creds: Credentials, *, code: str, redirect_uri: str) -> AccessToken:
    """Trade the authorisation code for the member's access token."""
    # Reference: https://github.com/linkedin-developers/recruiter-system-connect-development-tools
    # LINKEDIN.md 2.2: 3-legged OAuth for a member's person ID
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": creds.client_id,
        "client_secret": creds.client_secret,
    }
    return _token_call(form)


def get_me(member_token: str) -> dict:
    """The signed-in member (`id`, names when the scope allows)."""
    # Reference: https://github.com/linkedin-developers/recruiter-system-connect-development-tools
    # LINKEDIN.md 2.2: GET /v2/me with r_liteprofile
    body = call("GET", "/v2/me", member_token=member_token)
    if not isinstance(body, dict) or not body.get("id"):
        raise LinkedInTemporaryError("LinkedIn's /v2/me answer had no id.", path="/v2/me")
    return body


# --- Batch methods (Rest.li), at most 100 records per request, sent one after the other ---------


def batch_get(
    creds: Credentials, resource: str, keys: Sequence[Key], *, extra: str = ""
) -> BatchResult:
    """GET `resource?ids[0]...`; keys split so every URL stays within LinkedIn's limits."""
    # Reference: https://learn.microsoft.com/en-us/linkedin/talent/middleware-platform/sync-candidates
    result = BatchResult()
    for group in restli.key_chunks(keys):
        query = "&".join(q for q in (_keys_query(group), extra) if q)
        result.merge(restli.parse_batch(call("GET", resource, creds=creds, query=query)))
    return result


def batch_update(
    creds: Credentials, resource: str, entities: Sequence[tuple[Key, dict]]
) -> BatchResult:
    """PUT upserts (`x-restli-method: batch_update`), keys in the query and the entity map."""
    # Reference: https://learn.microsoft.com/en-us/linkedin/talent/middleware-platform/sync-candidates
    return _batch_write(creds, resource, entities, method="PUT", restli_method="batch_update")


def batch_partial_update(
    creds: Credentials, resource: str, patches: Sequence[tuple[Key, Mapping[str, Any]]]
) -> BatchResult:
    """POST `{"patch": {"$set": …}}` per key (`x-restli-method: batch_partial_update`)."""
    # Reference: https://learn.microsoft.com/en-us/linkedin/talent/middleware-platform/sync-candidates
    entities = [(key, restli.patch_set(fields)) for key, fields in patches]
    return _batch_write(
        creds, resource, entities, method="POST", restli_method="batch_partial_update"
    )


def _batch_write(
    creds: Credentials,
    resource: str,
    entities: Sequence[tuple[Key, dict]],
    *,
    method: str,
    restli_method: str,
) -> BatchResult:
    result = BatchResult()
    for group in restli.grouped(list(entities), lambda pair: pair[0]):
        keys = [key for key, _ in group]
        body = {"entities": {_entity_key(key): entity for key, entity in group}}
        answer = call(
            method,
            resource,
            creds=creds,
            query=_keys_query(keys),
            json_body=body,
            restli_method=restli_method,
            records=len(group),
        )
        result.merge(restli.parse_batch(answer))
    return result


def _simple(key: Key) -> bool:
    """A simple key is written `{"id": value}`; anything else is a compound key."""
    return list(key) == ["id"]


def _keys_query(keys: Sequence[Key]) -> str:
    if all(_simple(key) for key in keys):
        return restli.simple_ids_query([key["id"] for key in keys])
    return restli.ids_query(keys)


def _entity_key(key: Key) -> str:
    return str(key["id"]) if _simple(key) else restli.key_string(key)


def batch_create(creds: Credentials, resource: str, elements: Sequence[dict]) -> BatchResult:
    """POST `{"elements": [...]}` (`x-restli-method: batch_create`); answers in request order."""
    # Reference: https://learn.microsoft.com/en-us/linkedin/talent/job-postings/api/sync-job-postings
    result = BatchResult()
    for offset, group in enumerate(restli.chunks(list(elements))):
        answer = restli.parse_batch(
            call(
                "POST",
                resource,
                creds=creds,
                json_body={"elements": list(group)},
                restli_method="batch_create",
                records=len(group),
            )
        )
        start = offset * restli.BATCH_SIZE
        answer.errors = [
            ElementError(str(start + int(e.key)), e.status, e.message, e.service_error_code)
            for e in answer.errors
        ]
        result.merge(answer)
    return result


def batch_delete(creds: Credentials, resource: str, keys: Sequence[Key]) -> BatchResult:
    """DELETE `resource?ids...` (`x-restli-method: batch_delete`), 100 keys per request."""
    # Reference: https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/rsc-data-deletion
    result = BatchResult()
    for group in restli.key_chunks(keys):
        answer = call(
            "DELETE",
            resource,
            creds=creds,
            query=_keys_query(group),
            restli_method="batch_delete",
            records=len(group),
        )
        result.merge(restli.parse_batch(answer))
    return result


def finder(
    creds: Credentials, resource: str, params: Mapping[str, Any], *, page_size: int = 100
) -> list[dict]:
    """Every element of a finder (`q=…`), following `start`/`count` paging."""
    # Reference: https://learn.microsoft.com/en-us/linkedin/talent/middleware-platform/sync-candidates
    elements: list[dict] = []
    start = 0
    name = resource.rstrip("/").rsplit("/", 1)[-1]
    window = member_limit(name)
    member = str(params.get("viewer") or "") if window else ""
    if window and member:  # never ask for more records than the member may read in a minute
        page_size = min(page_size, paced_cap(window.limit))
    while True:
        query = restli.query({**params, "start": start, "count": page_size})
        taken_at = _wait_for_member(creds, name, member) if member else 0.0
        body = call("GET", resource, creds=creds, query=query)
        page = list(body.get("elements") or []) if isinstance(body, dict) else []
        if member:  # LinkedIn counts what the page held; the call counted one already
            more = len(page) - 1
            shared_limiter().count_member(name, creds.client_id, member, records=more, at=taken_at)
        elements.extend(page)
        total = (body.get("paging") or {}).get("total") if isinstance(body, dict) else None
        start += len(page)
        if len(page) < page_size or (total is not None and start >= int(total)) or not page:
            return elements


def _wait_for_member(creds: Credentials, resource: str, member: str) -> float:
    """Wait until the member's budget lets a call go; when it went."""
    limiter = shared_limiter()
    deadline = time.monotonic() + retry_policy().budget + MINUTE
    while True:
        now = time.time()
        wait = limiter.try_acquire_member(resource, creds.client_id, member)
        if wait <= 0:
            return now
        if time.monotonic() + wait > deadline:
            raise LinkedInRateLimited(
                f"Attract's own LinkedIn budget for {resource} of this member is used up for now.",
                retry_after=wait,
                status=429,
                path=resource,
            )
        time.sleep(wait)


# --- Provisioning (partner application) --------------------------------------------------------


@dataclass(frozen=True)
class ProvisionedApp:
    key: str  # urn:li:developerApplication:{id}
    credentials: Credentials
    name: str = ""


def provision_application(
    partner: Credentials,
    *,
    name: str,
    description: str,
    unique_foreign_id: str,
    callback_urls: Iterable[str],
    js_sdk_domains: Iterable[str],
) -> ProvisionedApp:
    """Create the customer's child application (RSC module 1, step 1)."""
    # Reference: https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/rsc-customer-configuration
    body = {
        "name": name,
        "description": description,
        "uniqueForeignId": unique_foreign_id,
        "oauth2AuthorizedCallbackUrls": list(callback_urls),
        "validJsSdkDomains": list(js_sdk_domains),
    }
    return _provisioned(call("POST", "/v2/provisionedApplications", creds=partner, json_body=body))


def find_provisioned_application(
    partner: Credentials, *, unique_foreign_id: str
) -> ProvisionedApp | None:
    """The child application already provisioned for this customer, if any."""
    # Reference: https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/rsc-customer-configuration
    query = restli.query(
        {"q": "credentialsByUniqueForeignId", "uniqueForeignId": unique_foreign_id}
    )
    try:
        body = call("GET", "/v2/provisionedApplications", creds=partner, query=query)
    except LinkedInNotFound:
        return None
    elements = body.get("elements") if isinstance(body, dict) else None
    if elements is not None:
        return _provisioned(elements[0]) if elements else None
    return _provisioned(body) if body else None


def update_provisioned_application(
    partner: Credentials, app_urn: str, fields: Mapping[str, Any]
) -> None:
    """Patch the child application (e.g. `validJsSdkDomains`, callback URLs)."""
    # Reference: https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/rsc-customer-configuration
    path = f"/v2/provisionedApplications/{restli.encode(app_urn)}"
    call("POST", path, creds=partner, json_body=restli.patch_set(fields))


def _provisioned(body: Any) -> ProvisionedApp:
    # Guess: the credentials object is `{"client_id", "client_secret"}` as in LinkedIn's samples.
    creds = body.get("credentials") or {} if isinstance(body, dict) else {}
    client_id = creds.get("client_id") or creds.get("clientId")
    client_secret = creds.get("client_secret") or creds.get("clientSecret")
    if not (body.get("key") and client_id and client_secret):
        raise LinkedInTemporaryError(
            "LinkedIn's provisioning answer lacked the key or credentials."
        )
    return ProvisionedApp(
        key=str(body["key"]),
        credentials=Credentials(str(client_id), str(client_secret)),
        name=str(body.get("name") or ""),
    )


# --- ATS integrations (customer application) ---------------------------------------------------

ATS_INTEGRATIONS = "/v2/atsIntegrations"


def integration_key(context: str, integration_type: str) -> dict[str, str]:
    """The compound key of one ATS integration, in LinkedIn's order."""
    return {
        "integrationContext": context,
        "integrationType": integration_type,
        "tenantType": "RECRUITER",
        "dataProvider": "ATS",
    }


def name_integrations(creds: Credentials, names: Sequence[tuple[Key, str]]) -> BatchResult:
    """Give each integration its user-facing name (RSC module 1, step 3)."""
    # Reference: https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/rsc-customer-configuration
    patches = [(key, {"integrationName": name}) for key, name in names]
    return batch_partial_update(creds, ATS_INTEGRATIONS, patches)


def set_integration_configurations(
    creds: Credentials, key: Key, values: Mapping[str, str]
) -> BatchResult:
    """Upsert configurations such as CALLBACK_URL on one integration (RSC module 1, step 4)."""
    # Reference: https://learn.microsoft.com/en-us/linkedin/talent/middleware-platform/customer-configuration
    path = f"{ATS_INTEGRATIONS}/{restli.key_path(key)}/configurations"
    entities = [({"id": name}, {"configurationValue": {"string": v}}) for name, v in values.items()]
    return batch_update(creds, path, entities)


def get_integrations(creds: Credentials, keys: Sequence[Key]) -> BatchResult:
    """The integrations with their status (batch get; RSC module 1, step 5)."""
    # Reference: https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/rsc-customer-configuration
    return batch_get(creds, ATS_INTEGRATIONS, keys)


def get_integrations_by_request(creds: Credentials, request_id: str) -> list[dict]:
    """The integrations an INTEGRATION_STATUS_CHANGE push is about."""
    # Reference: https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/rsc-customer-configuration
    query = restli.query({"q": "request", "requestId": request_id})
    body = call("GET", ATS_INTEGRATIONS, creds=creds, query=query)
    if not isinstance(body, dict):
        return []
    if "elements" in body:
        return list(body["elements"] or [])
    return [body] if body else []


# --- Seats (CSA_API, contract-scoped) ----------------------------------------------------------


def find_seats(creds: Credentials, *, contract: str, active: bool = True) -> list[dict]:
    """The Recruiter seats of a contract, every page."""
    # Reference: https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/recruiter-prospect-interactions
    params = {"q": "seatsByAttributes", "contracts": contract, "active": str(active).lower()}
    return finder(creds, "/v2/seats", params)


# --- ATS Integration Configuration Plugin ------------------------------------------------------


def ats_plugin_url(*, api_key: str, redirect_uri: str, state: str) -> str:
    """Where the customer's Recruiter admin requests the integration for a contract.

    LinkedIn ships this as a JavaScript widget (extension `ATSIntegrationWidget` served from
    /recruiter/widget/ATSIntegration); the sandbox stands it in with a page at the same path that
    returns to `redirect_uri` with what `onintegrate` receives.
    """
    # Reference: https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/rsc-customer-configuration
    params = {"api_key": api_key, "redirect_uri": redirect_uri, "state": state}
    base = settings.LINKEDIN_OAUTH_BASE_URL.rstrip("/")
    return f"{base}/recruiter/widget/ATSIntegration?{urlencode(params)}"


# Errors a Celery task retries later; everything else is permanent.
TEMPORARY_ERRORS = (LinkedInTemporaryError, LinkedInRateLimited)


def retry_countdown(exc: Exception, retries: int) -> float:
    """Seconds before a task retries: LinkedIn's Retry-After, else exponential up to 10 minutes."""
    if isinstance(exc, LinkedInRateLimited):
        return max(exc.retry_after, 1.0)
    return min(600.0, 15.0 * 2**retries)
