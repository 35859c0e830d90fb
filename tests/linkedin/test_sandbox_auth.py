"""The sandbox's OAuth: 2-legged and 3-legged tokens, bearer checks (401), expiry, /v2/me."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests


def token_call(sandbox, **form):
    return requests.post(f"{sandbox.url}/oauth/v2/accessToken", data=form, timeout=10)


def test_client_credentials_token(linkedin_sandbox):
    answer = token_call(
        linkedin_sandbox,
        grant_type="client_credentials",
        client_id="attract-partner",
        client_secret="attract-partner-secret",
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["access_token"] and body["expires_in"] == 1800


@pytest.mark.parametrize(
    ("form", "status", "error"),
    [
        (
            {"client_id": "attract-partner", "client_secret": "attract-partner-secret"},
            400,
            "invalid_request",
        ),
        (
            {"grant_type": "client_credentials", "client_id": "attract-partner"},
            400,
            "invalid_request",
        ),
        (
            {
                "grant_type": "client_credentials",
                "client_id": "attract-partner",
                "client_secret": "nope",
            },
            401,
            "invalid_client",
        ),
        (
            {"grant_type": "client_credentials", "client_id": "who", "client_secret": "x"},
            401,
            "invalid_client",
        ),
        (
            {
                "grant_type": "password",
                "client_id": "attract-partner",
                "client_secret": "attract-partner-secret",
            },
            400,
            "unsupported_grant_type",
        ),
    ],
)
def test_token_endpoint_refuses(linkedin_sandbox, form, status, error):
    answer = token_call(linkedin_sandbox, **form)
    assert answer.status_code == status
    assert answer.json()["error"] == error


def test_token_endpoint_wants_a_form(linkedin_sandbox):
    answer = requests.post(
        f"{linkedin_sandbox.url}/oauth/v2/accessToken",
        json={"grant_type": "client_credentials"},
        timeout=10,
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_request"


@pytest.mark.parametrize(
    ("header", "code"),
    [(None, 65604), ("Bearer", 65604), ("Basic abc", 65604), ("Bearer not-a-token", 65600)],
)
def test_missing_or_bad_token_is_401(linkedin_sandbox, header, code):
    headers = {"Authorization": header} if header else {}
    answer = requests.get(
        f"{linkedin_sandbox.url}/v2/seats?q=seatsByAttributes", headers=headers, timeout=10
    )
    assert answer.status_code == 401
    body = answer.json()
    assert body["status"] == 401 and body["serviceErrorCode"] == code and body["message"]


def test_app_token_expires_with_the_clock(linkedin_sandbox):
    customer = linkedin_sandbox.provision_customer()
    token = linkedin_sandbox.app_token(customer["client_id"], customer["client_secret"])
    contracts = "contracts=urn%3Ali%3Acontract%3A8800101"
    url = f"{linkedin_sandbox.url}/v2/seats?q=seatsByAttributes&{contracts}"
    headers = {"Authorization": f"Bearer {token}"}
    assert requests.get(url, headers=headers, timeout=10).status_code == 200
    linkedin_sandbox.advance_clock(1799)
    assert requests.get(url, headers=headers, timeout=10).status_code == 200
    linkedin_sandbox.advance_clock(2)
    expired = requests.get(url, headers=headers, timeout=10)
    assert expired.status_code == 401
    assert expired.json()["serviceErrorCode"] == 65602
    fresh = linkedin_sandbox.app_token(customer["client_id"], customer["client_secret"])
    assert requests.get(url, headers={"Authorization": f"Bearer {fresh}"}, timeout=10).ok


def test_partner_token_is_for_provisioning_only(linkedin_sandbox):
    token = linkedin_sandbox.app_token()
    answer = requests.get(
        f"{linkedin_sandbox.url}/v2/atsIntegrations?q=request&requestId=x",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert answer.status_code == 403
    assert answer.json()["serviceErrorCode"] == 100


# 3-legged -----------------------------------------------------------------------------------------


def exchange(sandbox, code, redirect_uri="http://testserver/linkedin/oauth/callback/"):
    return token_call(
        sandbox,
        grant_type="authorization_code",
        code=code,
        redirect_uri=redirect_uri,
        client_id="attract-partner",
        client_secret="attract-partner-secret",
    )


def test_authorization_code_flow_and_me(linkedin_sandbox):
    location = linkedin_sandbox.authorize(state="s-42")
    query = parse_qs(urlsplit(location).query)
    assert location.startswith("http://testserver/linkedin/oauth/callback/?")
    assert query["state"] == ["s-42"]
    answer = exchange(linkedin_sandbox, query["code"][0])
    assert answer.status_code == 200
    body = answer.json()
    assert body["expires_in"] == 60 * 24 * 3600
    assert body["refresh_token"] and body["scope"] == "r_liteprofile"
    me = requests.get(
        f"{linkedin_sandbox.url}/v2/me",
        headers={"Authorization": f"Bearer {body['access_token']}"},
        timeout=10,
    )
    assert me.status_code == 200
    assert me.json()["id"] == "aSolbrg01"
    assert me.json()["localizedFirstName"] == "Astrid"
    only_id = requests.get(
        f"{linkedin_sandbox.url}/v2/me?fields=id",
        headers={"Authorization": f"Bearer {body['access_token']}"},
        timeout=10,
    )
    assert only_id.json() == {"id": "aSolbrg01"}


def test_code_is_single_use_and_bound_to_redirect_uri(linkedin_sandbox):
    code = parse_qs(urlsplit(linkedin_sandbox.authorize()).query)["code"][0]
    assert exchange(linkedin_sandbox, code, "http://testserver/other/").status_code == 400
    code = parse_qs(urlsplit(linkedin_sandbox.authorize()).query)["code"][0]
    assert exchange(linkedin_sandbox, code).status_code == 200
    replay = exchange(linkedin_sandbox, code)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_request"


def test_code_expires_after_30_minutes(linkedin_sandbox):
    code = parse_qs(urlsplit(linkedin_sandbox.authorize()).query)["code"][0]
    linkedin_sandbox.advance_clock(31 * 60)
    assert exchange(linkedin_sandbox, code).status_code == 400


def test_member_cancels(linkedin_sandbox):
    location = linkedin_sandbox.authorize(allow=False, state="s-1")
    query = parse_qs(urlsplit(location).query)
    assert query["error"] == ["user_cancelled_authorize"]
    assert query["state"] == ["s-1"]
    assert "code" not in query


def test_refresh_token(linkedin_sandbox):
    code = parse_qs(urlsplit(linkedin_sandbox.authorize()).query)["code"][0]
    first = exchange(linkedin_sandbox, code).json()
    linkedin_sandbox.advance_clock(61 * 24 * 3600)
    me = requests.get(
        f"{linkedin_sandbox.url}/v2/me",
        headers={"Authorization": f"Bearer {first['access_token']}"},
        timeout=10,
    )
    assert me.status_code == 401 and me.json()["serviceErrorCode"] == 65602
    renewed = token_call(
        linkedin_sandbox,
        grant_type="refresh_token",
        refresh_token=first["refresh_token"],
        client_id="attract-partner",
        client_secret="attract-partner-secret",
    )
    assert renewed.status_code == 200
    token = renewed.json()["access_token"]
    assert requests.get(
        f"{linkedin_sandbox.url}/v2/me", headers={"Authorization": f"Bearer {token}"}, timeout=10
    ).ok


def test_authorization_refuses_foreign_redirect_and_unknown_client(linkedin_sandbox):
    base = f"{linkedin_sandbox.url}/oauth/v2/authorization"
    evil = requests.get(
        base,
        params={
            "response_type": "code",
            "client_id": "attract-partner",
            "scope": "r_liteprofile",
            "redirect_uri": "https://evil.example/cb",
            "state": "x",
        },
        timeout=10,
        allow_redirects=False,
    )
    assert evil.status_code == 400
    unknown = requests.get(
        base,
        params={
            "response_type": "code",
            "client_id": "nobody",
            "scope": "r_liteprofile",
            "redirect_uri": "http://127.0.0.1:8000/cb",
            "state": "x",
        },
        timeout=10,
        allow_redirects=False,
    )
    assert unknown.status_code == 400


def test_authorization_bad_scope_goes_back_with_an_error(linkedin_sandbox):
    answer = requests.get(
        f"{linkedin_sandbox.url}/oauth/v2/authorization",
        params={
            "response_type": "code",
            "client_id": "attract-partner",
            "scope": "w_everything",
            "redirect_uri": "http://127.0.0.1:8000/cb",
            "state": "x",
        },
        timeout=10,
        allow_redirects=False,
    )
    assert answer.status_code == 303
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query["error"] == ["unauthorized_scope_error"] and query["state"] == ["x"]


def test_authorization_asks_to_sign_in_first(linkedin_sandbox):
    answer = requests.get(
        f"{linkedin_sandbox.url}/oauth/v2/authorization",
        params={
            "response_type": "code",
            "client_id": "attract-partner",
            "scope": "r_liteprofile",
            "redirect_uri": "http://127.0.0.1:8000/cb",
            "state": "x",
        },
        timeout=10,
        allow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["Location"].startswith("/login?next=")


def test_wrong_password_stays_on_sign_in(linkedin_sandbox):
    answer = requests.post(
        f"{linkedin_sandbox.url}/login",
        data={"email": linkedin_sandbox.admin_email, "password": "wrong", "next": "/"},
        timeout=10,
        allow_redirects=False,
    )
    assert answer.status_code == 200
    assert "do not match" in answer.text
    assert "Set-Cookie" not in answer.headers
