"""The `linkedin_sandbox` fixture: the real sandbox process on a free loopback port.

One process per test session (`manage.py linkedin_sandbox --port 0 --storage :memory:`), reset
before every test that uses it; the product's base URLs point at it for the test.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0


class LinkedInSandbox:
    """A handle on the running sandbox: its URL and the control endpoints."""

    partner_client_id = "attract-partner"
    partner_client_secret = "attract-partner-secret"
    organization = "urn:li:organization:5551234"
    contract = "urn:li:contract:8800101"  # Talent Acquisition (admin, two recruiters)
    other_contract = "urn:li:contract:8800102"  # Campus Hiring
    admin_email = "astrid.solberg@nordlys.example"  # admin seat on both contracts
    recruiter_seat = "urn:li:seat:900003"  # Ingrid Haugen, Talent Acquisition
    member_password = "linkedin"

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = requests.Session()

    def _post(self, path: str, payload: dict[str, Any] | None = None) -> Any:
        response = self.http.post(f"{self.url}{path}", json=payload or {}, timeout=30)
        response.raise_for_status()
        return response.json()

    def control(self, fault: dict[str, Any]) -> Any:
        """Set the fault switch: `{"mode": "5xx"|"429"|"timeout"|"slow"|"malformed"|"off", ...}`."""
        return self._post("/_sandbox/faults", fault)

    def reset(self) -> Any:
        return self._post("/_sandbox/reset")

    def advance_clock(self, seconds: float) -> Any:
        return self._post("/_sandbox/clock", {"advance_seconds": seconds})

    def state(self) -> dict[str, Any]:
        response = self.http.get(f"{self.url}/_sandbox/state", timeout=30)
        response.raise_for_status()
        return response.json()

    def set_rate_scale(self, scale: float) -> Any:
        """Multiply LinkedIn's rate limits (e.g. 0.001: 100 sync calls a day); reset restores 1."""
        return self._post("/_sandbox/ratelimits", {"scale": scale})

    def request_integration(self, contract: str | None = None, client_id: str | None = None) -> Any:
        """What the customer's admin does in the ATS Integration Configuration Plugin."""
        payload = {
            "action": "request",
            "contract": contract or self.contract,
            "client_id": client_id,
        }
        return self._post("/_sandbox/integrations", payload)

    def enable_integration(
        self, contract: str | None = None, level: str = "contract", deliver: bool = True
    ) -> Any:
        """What the Recruiter admin does on the ATS tab; pushes INTEGRATION_STATUS_CHANGE."""
        payload = {"action": "enable", "contract": contract or self.contract, "level": level}
        return self._post("/_sandbox/integrations", {**payload, "deliver": deliver})

    def disable_integration(
        self, contract: str | None = None, level: str = "contract", deliver: bool = True
    ) -> Any:
        payload = {"action": "disable", "contract": contract or self.contract, "level": level}
        return self._post("/_sandbox/integrations", {**payload, "deliver": deliver})

    def push(self, kind: str, deliver: bool = True, **fields: Any) -> dict[str, Any]:
        """Make the sandbox send a signed push. EXPORT_CANDIDATE_PROFILE takes `member` (person
        id), `job` (externalJobPostingId) and `seat`; INTEGRATION_STATUS_CHANGE takes
        `client_id`. With `deliver=False` nothing is posted: the answer holds `url`, `headers`
        and the raw `body` for the test to post itself."""
        return self._post("/_sandbox/push", {"type": kind, "deliver": deliver, **fields})

    def activity(self, kind: str, **fields: Any) -> dict[str, Any]:
        """Recruiter activity: kind inmail (seat, member, subject, body), note (seat, member,
        note, visibility), note_delete (id), share (member, conversation, share_email)."""
        return self._post("/_sandbox/activity", {"kind": kind, **fields})

    # Shortcuts that speak the LinkedIn API the way a client would ------------------------------

    def app_token(self, client_id: str | None = None, client_secret: str | None = None) -> str:
        """A 2-legged token (the partner application's unless told otherwise)."""
        response = self.http.post(
            f"{self.url}/oauth/v2/accessToken",
            data={
                "grant_type": "client_credentials",
                "client_id": client_id or self.partner_client_id,
                "client_secret": client_secret or self.partner_client_secret,
            },
            timeout=30,
        )
        response.raise_for_status()
        return str(response.json()["access_token"])

    def provision_customer(
        self,
        foreign_id: str = "tenant-1",
        callback_url: str | None = "http://127.0.0.1:9/linkedin/callback/tenant-1/",
        contract: str | None = None,
        name_integrations: bool = True,
    ) -> dict[str, Any]:
        """Provision a child application, let the customer request RSC for the contract, and (as
        the partner) name the integrations and register the callback URL: "Partner ready"."""
        partner = self.app_token()
        created = self.http.post(
            f"{self.url}/v2/provisionedApplications",
            json={
                "name": f"Attract {foreign_id}",
                "description": "ATS",
                "uniqueForeignId": foreign_id,
            },
            headers={"Authorization": f"Bearer {partner}"},
            timeout=30,
        )
        created.raise_for_status()
        app = created.json()
        client_id = app["credentials"]["client_id"]
        secret = app["credentials"]["client_secret"]
        self.request_integration(contract, client_id)
        if name_integrations:
            self._configure(client_id, secret, contract or self.contract, callback_url)
        return {"key": app["key"], "client_id": client_id, "client_secret": secret}

    def _configure(
        self, client_id: str, secret: str, contract: str, callback_url: str | None
    ) -> None:
        token = self.app_token(client_id, secret)
        headers = {"Authorization": f"Bearer {token}", "x-restli-method": "batch_partial_update"}
        types = ["IN_ATS_INDICATOR", "ONE_CLICK_EXPORT", "PROFILE_PLUGIN", "CSA_API"]
        keys = [
            {
                "integrationContext": contract if t == "CSA_API" else self.organization,
                "integrationType": t,
                "tenantType": "RECRUITER",
                "dataProvider": "ATS",
            }
            for t in types
        ]
        query = "&".join(
            f"ids[{i}].{k}={requests.utils.quote(v, safe='')}"
            for i, key in enumerate(keys)
            for k, v in key.items()
        )
        entities = {
            "&".join(f"{k}={v}" for k, v in key.items()): {
                "patch": {"$set": {"integrationName": f"Attract {key['integrationType']}"}}
            }
            for key in keys
        }
        self.http.post(
            f"{self.url}/v2/atsIntegrations?{query}",
            json={"entities": entities},
            headers=headers,
            timeout=30,
        ).raise_for_status()
        if callback_url:
            path = "&".join(f"{k}={v}" for k, v in keys[1].items())
            self.http.put(
                f"{self.url}/v2/atsIntegrations/{path}/configurations?ids=CALLBACK_URL",
                json={
                    "entities": {"CALLBACK_URL": {"configurationValue": {"string": callback_url}}}
                },
                headers={**headers, "x-restli-method": "batch_update"},
                timeout=30,
            ).raise_for_status()

    def authorize(
        self,
        client_id: str | None = None,
        redirect_uri: str = "http://testserver/linkedin/oauth/callback/",
        state: str = "state-1",
        scope: str = "r_liteprofile",
        email: str | None = None,
        allow: bool = True,
    ) -> str:
        """Sign in on the sandbox's pages and answer its consent page like a member would;
        returns the redirect back to the product (with `code` and `state`, or an `error`)."""
        browser = requests.Session()
        params = {
            "response_type": "code",
            "client_id": client_id or self.partner_client_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "scope": scope,
        }
        target = "/oauth/v2/authorization?" + requests.compat.urlencode(params)
        browser.post(
            f"{self.url}/login",
            data={
                "email": email or self.admin_email,
                "password": self.member_password,
                "next": target,
            },
            timeout=30,
            allow_redirects=False,
        ).raise_for_status()
        page = browser.get(f"{self.url}{target}", timeout=30)
        page.raise_for_status()
        csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        decision = {**params, "csrf": csrf, "decision": "allow" if allow else "cancel"}
        answer = browser.post(
            f"{self.url}/oauth/v2/authorization", data=decision, timeout=30, allow_redirects=False
        )
        assert answer.status_code == 303, answer.text
        return str(answer.headers["Location"])


def _start(env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    command = [
        sys.executable, "manage.py", "linkedin_sandbox", "--port", "0",
        "--storage", ":memory:", "--quiet",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()  # "LinkedIn sandbox listening on http://127.0.0.1:PORT/"
    if "listening on" not in line:
        process.kill()
        raise RuntimeError(f"the LinkedIn sandbox did not start: {line!r}")
    return process, line.rsplit(" ", 1)[-1].strip().rstrip("/")


def _wait_until_up(url: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            requests.get(f"{url}/_sandbox/faults", timeout=2).raise_for_status()
            return
        except requests.RequestException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@pytest.fixture(scope="session")
def _linkedin_sandbox_process() -> Iterator[LinkedInSandbox]:
    env = {**os.environ, "LINKEDIN_SANDBOX_RATE_SCALE": "1", "PYTHONUNBUFFERED": "1"}
    process, url = _start(env)
    try:
        _wait_until_up(url)
        yield LinkedInSandbox(url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        if process.stdout:
            process.stdout.close()


@pytest.fixture
def linkedin_sandbox(_linkedin_sandbox_process: LinkedInSandbox, settings: Any) -> LinkedInSandbox:
    """The running sandbox, reset, with the product's LinkedIn base URLs pointing at it."""
    sandbox = _linkedin_sandbox_process
    sandbox.reset()
    settings.LINKEDIN_API_BASE_URL = sandbox.url
    settings.LINKEDIN_OAUTH_BASE_URL = sandbox.url
    return sandbox
