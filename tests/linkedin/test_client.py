"""The LinkedIn client against the real sandbox over HTTP: tokens, Rest.li, faults and logs."""

import logging
import time
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest

from linkedin import client
from linkedin.client import (
    Credentials,
    LinkedInAuthError,
    LinkedInRateLimited,
    LinkedInTemporaryError,
    LinkedInValidationError,
)

EXPORT, INDICATOR, PLUGIN = "ONE_CLICK_EXPORT", "IN_ATS_INDICATOR", "PROFILE_PLUGIN"


@pytest.fixture(autouse=True)
def _fast_client(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": uuid.uuid4().hex,  # a cache of its own: no token of another test
        }
    }
    settings.LINKEDIN_BACKOFF_BASE = 0.02
    settings.LINKEDIN_BACKOFF_MAX = 0.1
    settings.LINKEDIN_RETRY_BUDGET = 10


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.INFO, logger="linkedin.client")
    return caplog


def calls(caplog, path: str) -> list[str]:
    """The logged attempts on a path, as "METHOD status" strings."""
    return [
        f"{r.args[0]} {r.args[2]}"
        for r in caplog.records
        if r.name == "linkedin.client" and r.args[1] == path
    ]


@pytest.fixture
def customer(linkedin_sandbox):
    """A provisioned customer application, requested for the contract and "Partner ready"."""
    app = linkedin_sandbox.provision_customer(foreign_id="client-tests")
    return Credentials(app["client_id"], app["client_secret"])


def keys(sandbox) -> list[dict[str, str]]:
    org_keys = [client.integration_key(sandbox.organization, t) for t in (EXPORT, INDICATOR)]
    return [*org_keys, client.integration_key(sandbox.contract, "CSA_API")]


# --- Tokens ------------------------------------------------------------------------------------


def test_the_app_token_is_minted_once_and_shared(linkedin_sandbox, customer, logs):
    client.get_integrations(customer, keys(linkedin_sandbox))
    client.get_integrations(customer, keys(linkedin_sandbox))
    assert calls(logs, "/oauth/v2/accessToken") == ["POST 200"]
    assert calls(logs, "/v2/atsIntegrations") == ["GET 200", "GET 200"]


def test_an_expired_token_is_renewed_on_401(linkedin_sandbox, customer, logs):
    client.get_integrations(customer, keys(linkedin_sandbox))
    # when LinkedIn's clock passes the token's 30 minutes while our cache still holds it
    linkedin_sandbox.advance_clock(31 * 60)
    answer = client.get_integrations(customer, keys(linkedin_sandbox))
    # then the call is answered 401, a new token is minted and the call goes through
    assert answer.ok and len(answer.results) == 3
    assert calls(logs, "/v2/atsIntegrations") == ["GET 200", "GET 401", "GET 200"]
    assert calls(logs, "/oauth/v2/accessToken") == ["POST 200", "POST 200"]


def test_a_wrong_client_secret_is_an_auth_error_not_retried(linkedin_sandbox, logs):
    wrong = Credentials(linkedin_sandbox.partner_client_id, "not-the-secret")
    with pytest.raises(LinkedInAuthError) as caught:
        client.fetch_app_token(wrong)
    assert caught.value.status == 401
    assert calls(logs, "/oauth/v2/accessToken") == ["POST 401"]


def test_a_member_signs_in_and_is_read_from_me(linkedin_sandbox):
    redirect_uri = "http://testserver/linkedin/oauth/callback/"
    back = linkedin_sandbox.authorize(redirect_uri=redirect_uri, state="s-1")
    answer = parse_qs(urlsplit(back).query)
    assert answer["state"] == ["s-1"]
    token = client.exchange_code(
        client.partner_credentials(), code=answer["code"][0], redirect_uri=redirect_uri
    )
    me = client.get_me(token.access_token)
    assert (me["id"], me["localizedFirstName"]) == ("aSolbrg01", "Astrid")
    assert token.expires_in > 3600


def test_a_code_is_good_once(linkedin_sandbox):
    redirect_uri = "http://testserver/linkedin/oauth/callback/"
    code = parse_qs(urlsplit(linkedin_sandbox.authorize(redirect_uri=redirect_uri)).query)["code"]
    partner = client.partner_credentials()
    client.exchange_code(partner, code=code[0], redirect_uri=redirect_uri)
    with pytest.raises(LinkedInValidationError):
        client.exchange_code(partner, code=code[0], redirect_uri=redirect_uri)


def test_the_authorization_url_carries_state_and_scope(settings):
    url = client.authorization_url(
        client_id="abc", redirect_uri="https://ats.example/cb/", state="x y", scope="r_liteprofile"
    )
    assert url.startswith(f"{settings.LINKEDIN_OAUTH_BASE_URL}/oauth/v2/authorization?")
    query = parse_qs(urlsplit(url).query)
    assert query == {
        "response_type": ["code"],
        "client_id": ["abc"],
        "redirect_uri": ["https://ats.example/cb/"],
        "state": ["x y"],
        "scope": ["r_liteprofile"],
    }


# --- Provisioning and integrations -------------------------------------------------------------


def test_provision_find_and_patch_a_customer_application(linkedin_sandbox):
    partner = client.partner_credentials()
    assert client.find_provisioned_application(partner, unique_foreign_id="org-9") is None
    created = client.provision_application(
        partner,
        name="Nordlys (Attract)",
        description="ATS",
        unique_foreign_id="org-9",
        callback_urls=["http://testserver/linkedin/oauth/callback/"],
        js_sdk_domains=["http://testserver"],
    )
    assert created.key.startswith("urn:li:developerApplication:")
    found = client.find_provisioned_application(partner, unique_foreign_id="org-9")
    assert found == created
    client.update_provisioned_application(
        partner, created.key, {"validJsSdkDomains": ["https://jobs.example"]}
    )
    stored = next(a for a in linkedin_sandbox.state()["application"] if a["key"] == created.key)
    assert stored["validJsSdkDomains"] == ["https://jobs.example"]


def test_a_validation_error_is_never_retried(linkedin_sandbox, logs):
    with pytest.raises(LinkedInValidationError) as caught:
        client.provision_application(
            client.partner_credentials(),
            name="x",
            description="",
            unique_foreign_id="org-10",
            callback_urls=[],
            js_sdk_domains=["https://jobs.example/"],  # a trailing "/" is refused
        )
    assert caught.value.status == 422
    assert "validJsSdkDomains" in caught.value.message
    assert calls(logs, "/v2/provisionedApplications") == ["POST 422"]


def test_naming_and_the_callback_make_the_integrations_partner_ready(linkedin_sandbox):
    app = linkedin_sandbox.provision_customer(foreign_id="naming", name_integrations=False)
    creds = Credentials(app["client_id"], app["client_secret"])
    all_keys = [
        *(client.integration_key(linkedin_sandbox.organization, t) for t in (EXPORT, INDICATOR)),
        client.integration_key(linkedin_sandbox.organization, PLUGIN),
    ]
    named = client.name_integrations(
        creds, [(k, f"Nordlys {k['integrationType']}") for k in all_keys]
    )
    assert named.ok and len(named.results) == 3
    client.set_integration_configurations(
        creds, all_keys[0], {"CALLBACK_URL": "http://127.0.0.1:9/linkedin/callback/abc/"}
    )
    answer = client.get_integrations(creds, all_keys)
    assert {v["status"] for v in answer.results.values()} == {"PARTNER_READY"}
    assert answer.get(all_keys[0])["integrationName"] == "Nordlys ONE_CLICK_EXPORT"


def test_element_errors_of_a_batch_are_reported_per_key(linkedin_sandbox, customer):
    good = client.integration_key(linkedin_sandbox.organization, EXPORT)
    bad = client.integration_key(linkedin_sandbox.organization, INDICATOR)
    answer = client.name_integrations(customer, [(good, "Fine name"), (bad, "x" * 201)])
    assert len(answer.results) == 1
    [error] = answer.errors
    assert (error.status, client.restli.parse_key(error.key)) == (422, bad)
    assert "200 characters" in error.message


def test_status_change_requests_are_read_back(linkedin_sandbox, customer):
    linkedin_sandbox.enable_integration(level="company", deliver=False)
    [push] = linkedin_sandbox.state()["push"]
    records = client.get_integrations_by_request(customer, push["requestId"])
    assert {(r["integrationType"], r["status"]) for r in records} == {
        (EXPORT, "ENABLED"),
        (INDICATOR, "ENABLED"),
        (PLUGIN, "ENABLED"),
    }
    assert {r["bundledIntegrationType"] for r in records} == {"RECRUITER_SYSTEM_CONNECT_COMPANY"}


def test_seats_of_the_contract(linkedin_sandbox, customer):
    seats = client.find_seats(customer, contract=linkedin_sandbox.contract)
    holders = {s["seatHolder"] for s in seats}
    assert holders == {
        "urn:li:person:aSolbrg01",
        "urn:li:person:iHaugen02",
        "urn:li:person:eBakker03",
    }


def test_batch_writes_go_in_groups_of_100(linkedin_sandbox, customer, logs):
    org = linkedin_sandbox.organization
    entities = [
        (
            {"atsCandidateId": f"c-{n}", "dataProvider": "ATS", "integrationContext": org},
            {"atsCreatedAt": 1_700_000_000_000 + n, "addresses": [], "firstName": f"Ana {n}"},
        )
        for n in range(150)
    ]
    answer = client.batch_update(customer, "/v2/atsCandidates", entities)
    assert answer.ok and len(answer.results) == 150
    puts = calls(logs, "/v2/atsCandidates")
    # 100 records at most, and fewer: 100 compound keys would not fit in a 4 KB query string
    assert len(puts) >= 2 and set(puts) == {"PUT 200"}
    stored = linkedin_sandbox.state()["ats_candidate"]
    assert len(stored) == 150


# --- Faults: recover within the budget, give up cleanly after it --------------------------------


def test_5xx_are_retried_until_they_pass(linkedin_sandbox, customer, logs):
    linkedin_sandbox.control({"mode": "5xx", "count": 2, "path_prefix": "/v2/atsIntegrations"})
    answer = client.get_integrations(customer, keys(linkedin_sandbox))
    assert answer.ok
    assert calls(logs, "/v2/atsIntegrations") == ["GET 500", "GET 500", "GET 200"]


def test_5xx_past_the_budget_give_a_temporary_error(linkedin_sandbox, customer, logs):
    linkedin_sandbox.control({"mode": "5xx", "path_prefix": "/v2/atsIntegrations", "status": 503})
    with pytest.raises(LinkedInTemporaryError) as caught:
        client.get_integrations(customer, keys(linkedin_sandbox))
    assert caught.value.status == 503
    assert calls(logs, "/v2/atsIntegrations") == ["GET 503"] * 4


def test_a_timeout_is_retried(linkedin_sandbox, customer, settings, logs):
    settings.LINKEDIN_REQUEST_TIMEOUT = 1
    linkedin_sandbox.control(
        {"mode": "timeout", "count": 1, "delay": 2, "path_prefix": "/v2/atsIntegrations"}
    )
    assert client.get_integrations(customer, keys(linkedin_sandbox)).ok
    assert calls(logs, "/v2/atsIntegrations") == ["GET timeout", "GET 200"]


def test_timeouts_past_the_budget_give_a_temporary_error(
    linkedin_sandbox, customer, settings, logs
):
    settings.LINKEDIN_REQUEST_TIMEOUT = 1
    settings.LINKEDIN_MAX_ATTEMPTS = 2
    linkedin_sandbox.control({"mode": "timeout", "delay": 2, "path_prefix": "/v2/atsIntegrations"})
    with pytest.raises(LinkedInTemporaryError, match="did not answer in time"):
        client.get_integrations(customer, keys(linkedin_sandbox))
    assert calls(logs, "/v2/atsIntegrations") == ["GET timeout", "GET timeout"]


def test_a_429_waits_for_retry_after(linkedin_sandbox, customer, logs):
    linkedin_sandbox.control(
        {"mode": "429", "count": 1, "retry_after": 1, "path_prefix": "/v2/atsIntegrations"}
    )
    started = time.monotonic()
    assert client.get_integrations(customer, keys(linkedin_sandbox)).ok
    assert time.monotonic() - started >= 1
    assert calls(logs, "/v2/atsIntegrations") == ["GET 429", "GET 200"]


def test_a_429_longer_than_the_budget_gives_up_at_once(linkedin_sandbox, customer, logs):
    linkedin_sandbox.control(
        {"mode": "429", "retry_after": 3600, "path_prefix": "/v2/atsIntegrations"}
    )
    with pytest.raises(LinkedInRateLimited) as caught:
        client.get_integrations(customer, keys(linkedin_sandbox))
    assert caught.value.retry_after == 3600
    assert calls(logs, "/v2/atsIntegrations") == ["GET 429"]


def test_429s_past_the_attempts_give_a_rate_limited_error(linkedin_sandbox, customer, logs):
    linkedin_sandbox.control({"mode": "429", "path_prefix": "/v2/atsIntegrations"})
    with pytest.raises(LinkedInRateLimited):
        client.get_integrations(customer, keys(linkedin_sandbox))
    assert calls(logs, "/v2/atsIntegrations") == ["GET 429"] * 4


def test_a_malformed_body_is_retried(linkedin_sandbox, customer, logs):
    linkedin_sandbox.control(
        {"mode": "malformed", "count": 1, "path_prefix": "/v2/atsIntegrations"}
    )
    assert client.get_integrations(customer, keys(linkedin_sandbox)).ok
    assert calls(logs, "/v2/atsIntegrations") == ["GET 200", "GET 200"]


def test_a_slow_answer_within_the_timeout_is_fine(linkedin_sandbox, customer, logs):
    linkedin_sandbox.control(
        {"mode": "slow", "count": 1, "delay": 0.3, "path_prefix": "/v2/atsIntegrations"}
    )
    assert client.get_integrations(customer, keys(linkedin_sandbox)).ok
    assert calls(logs, "/v2/atsIntegrations") == ["GET 200"]


def test_an_unreachable_linkedin_is_a_temporary_error(settings):
    settings.LINKEDIN_OAUTH_BASE_URL = "http://127.0.0.1:9"
    settings.LINKEDIN_MAX_ATTEMPTS = 2
    with pytest.raises(LinkedInTemporaryError, match="could not be reached"):
        client.fetch_app_token(Credentials("id", "secret"))


# --- Logs ---------------------------------------------------------------------------------------


def test_logs_hold_no_secret_and_no_token(linkedin_sandbox, customer, logs):
    redirect_uri = "http://testserver/linkedin/oauth/callback/"
    code = parse_qs(urlsplit(linkedin_sandbox.authorize(redirect_uri=redirect_uri)).query)["code"]
    member = client.exchange_code(
        client.partner_credentials(), code=code[0], redirect_uri=redirect_uri
    )
    client.get_me(member.access_token)
    client.get_integrations(customer, keys(linkedin_sandbox))
    linkedin_sandbox.control({"mode": "5xx", "count": 1})
    client.get_integrations(customer, keys(linkedin_sandbox))
    text = logs.text
    app_token = client.app_token(customer)
    for secret in (
        customer.client_secret,
        linkedin_sandbox.partner_client_secret,
        app_token,
        member.access_token,
        member.refresh_token,
        code[0],
    ):
        assert secret not in text
    assert "Bearer" not in text and "Authorization" not in text
    assert "LinkedIn GET /v2/atsIntegrations -> 500" in text
    assert repr(customer) == f"Credentials(client_id='{customer.client_id}')"
