"""Provisioning, ATS integrations with configurations and statuses, seats, and signed pushes."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import quote

import pytest
import requests

ORG = "urn:li:organization:5551234"
CONTRACT = "urn:li:contract:8800101"


def key(integration_type, context=ORG):
    return {
        "integrationContext": context,
        "integrationType": integration_type,
        "tenantType": "RECRUITER",
        "dataProvider": "ATS",
    }


def ids(keys):
    return "&".join(
        f"ids[{i}].{k}={quote(v, safe='')}" for i, one in enumerate(keys) for k, v in one.items()
    )


def entity_key(one):
    return "&".join(f"{k}={v}" for k, v in one.items())


EXPORT_KEY = entity_key(key("ONE_CLICK_EXPORT"))


@pytest.fixture
def callback():
    """A local HTTP server standing in for the product's callback endpoint."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append({"headers": dict(self.headers), "body": body, "path": self.path})
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.received = received
    server.url = f"http://127.0.0.1:{server.server_address[1]}/linkedin/callback/org-token/"
    yield server
    server.shutdown()
    server.server_close()


def bearer(token, **extra):
    return {"Authorization": f"Bearer {token}", **extra}


# Provisioning -------------------------------------------------------------------------------------


def provision(sandbox, **body):
    payload = {
        "name": "Attract - Nordlys",
        "description": "ATS",
        "uniqueForeignId": "tenant-9",
        **body,
    }
    return requests.post(
        f"{sandbox.url}/v2/provisionedApplications",
        json=payload,
        headers=bearer(sandbox.app_token()),
        timeout=10,
    )


def test_provision_find_and_patch(linkedin_sandbox):
    created = provision(linkedin_sandbox, validJsSdkDomains=["http://127.0.0.1:8000"])
    assert created.status_code == 201
    app = created.json()
    assert app["key"].startswith("urn:li:developerApplication:")
    assert created.headers["x-restli-id"] == app["key"]
    assert app["credentials"]["client_id"] and app["credentials"]["client_secret"]
    token = linkedin_sandbox.app_token()
    found = requests.get(
        f"{linkedin_sandbox.url}/v2/provisionedApplications",
        params={"q": "credentialsByUniqueForeignId", "uniqueForeignId": "tenant-9"},
        headers=bearer(token),
        timeout=10,
    ).json()
    assert [e["key"] for e in found["elements"]] == [app["key"]]
    assert found["elements"][0]["credentials"] == app["credentials"]
    patched = requests.post(
        f"{linkedin_sandbox.url}/v2/provisionedApplications/{quote(app['key'], safe='')}",
        json={"patch": {"$set": {"validJsSdkDomains": ["https://jobs.example.org"]}}},
        headers=bearer(token),
        timeout=10,
    )
    assert patched.status_code == 204
    state = linkedin_sandbox.state()
    child = next(a for a in state["application"] if a["key"] == app["key"])
    assert child["validJsSdkDomains"] == ["https://jobs.example.org"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"uniqueForeignId": ""}, 422),
        ({"name": ""}, 422),
        ({"validJsSdkDomains": ["https://jobs.example.org/"]}, 422),
        ({"colour": "blue"}, 422),
        ({"oauth2AuthorizedCallbackUrls": "https://x"}, 422),
    ],
)
def test_provision_validates(linkedin_sandbox, body, status):
    assert provision(linkedin_sandbox, **body).status_code == status


def test_provision_twice_for_one_customer_conflicts(linkedin_sandbox):
    assert provision(linkedin_sandbox).status_code == 201
    assert provision(linkedin_sandbox).status_code == 409


def test_customer_token_cannot_provision(linkedin_sandbox):
    customer = linkedin_sandbox.provision_customer()
    token = linkedin_sandbox.app_token(customer["client_id"], customer["client_secret"])
    answer = requests.post(
        f"{linkedin_sandbox.url}/v2/provisionedApplications",
        json={"name": "x", "uniqueForeignId": "y"},
        headers=bearer(token),
        timeout=10,
    )
    assert answer.status_code == 403


# Integrations -------------------------------------------------------------------------------------


def customer_token(sandbox, **kwargs):
    customer = sandbox.provision_customer(**kwargs)
    return customer, sandbox.app_token(customer["client_id"], customer["client_secret"])


def batch_get(sandbox, token, keys):
    return requests.get(
        f"{sandbox.url}/v2/atsIntegrations?{ids(keys)}", headers=bearer(token), timeout=10
    )


def test_integration_statuses_from_request_to_enabled(linkedin_sandbox, callback):
    customer, token = customer_token(linkedin_sandbox, name_integrations=False)
    keys = [key("ONE_CLICK_EXPORT"), key("CSA_API", CONTRACT)]
    answer = batch_get(linkedin_sandbox, token, keys).json()
    assert {v["status"] for v in answer["results"].values()} == {"PENDING_PARTNER"}
    assert set(answer["results"]) == {entity_key(k) for k in keys}
    linkedin_sandbox._configure(
        customer["client_id"], customer["client_secret"], CONTRACT, callback.url
    )
    answer = batch_get(linkedin_sandbox, token, keys).json()
    assert {v["status"] for v in answer["results"].values()} == {"PARTNER_READY"}
    result = linkedin_sandbox.enable_integration(level="contract")
    assert result["pushes"][0]["delivered"] is True
    answer = batch_get(linkedin_sandbox, token, keys).json()
    statuses = {
        v["integrationType"]: (v["status"], v["bundledIntegrationType"])
        for v in answer["results"].values()
    }
    assert statuses == {
        "ONE_CLICK_EXPORT": ("ENABLED", "RECRUITER_SYSTEM_CONNECT_CONTRACT"),
        "CSA_API": ("ENABLED", "RECRUITER_SYSTEM_CONNECT_CONTRACT"),
    }


def test_status_change_push_is_signed_and_fetchable(linkedin_sandbox, callback):
    customer, token = customer_token(linkedin_sandbox, callback_url=callback.url)
    linkedin_sandbox.enable_integration(level="company")
    assert len(callback.received) == 1
    delivery = callback.received[0]
    assert delivery["path"] == "/linkedin/callback/org-token/"
    expected = hmac.new(
        customer["client_secret"].encode(), b"hmacsha256=" + delivery["body"], hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(delivery["headers"]["X-LI-Signature"], expected)
    payload = json.loads(delivery["body"])
    assert payload["type"] == "INTEGRATION_STATUS_CHANGE"
    found = requests.get(
        f"{linkedin_sandbox.url}/v2/atsIntegrations",
        params={"q": "request", "requestId": payload["requestId"]},
        headers=bearer(token),
        timeout=10,
    ).json()
    kinds = {
        (e["integrationType"], e["status"], e["bundledIntegrationType"]) for e in found["elements"]
    }
    assert kinds == {
        ("IN_ATS_INDICATOR", "ENABLED", "RECRUITER_SYSTEM_CONNECT_COMPANY"),
        ("ONE_CLICK_EXPORT", "ENABLED", "RECRUITER_SYSTEM_CONNECT_COMPANY"),
        ("PROFILE_PLUGIN", "ENABLED", "RECRUITER_SYSTEM_CONNECT_COMPANY"),
    }
    pushes = linkedin_sandbox.state()["push"]
    assert pushes[0]["attempts"][0]["status"] == 200


def test_disable_pushes_again(linkedin_sandbox, callback):
    customer_token(linkedin_sandbox, callback_url=callback.url)
    linkedin_sandbox.enable_integration()
    linkedin_sandbox.disable_integration()
    assert len(callback.received) == 2


def test_push_without_delivery_returns_the_signed_request(linkedin_sandbox):
    customer, _ = customer_token(linkedin_sandbox)
    linkedin_sandbox.enable_integration(deliver=False)
    record = linkedin_sandbox.push(
        "INTEGRATION_STATUS_CHANGE", deliver=False, client_id=customer["client_id"]
    )
    body = record["body"].encode()
    assert (
        record["headers"]["X-LI-Signature"]
        == hmac.new(
            customer["client_secret"].encode(), b"hmacsha256=" + body, hashlib.sha256
        ).hexdigest()
    )
    assert record["attempts"] == []
    assert record["url"] == "http://127.0.0.1:9/linkedin/callback/tenant-1/"


def test_unreachable_callback_is_recorded(linkedin_sandbox):
    customer_token(linkedin_sandbox)  # callback on port 9: nothing listens
    result = linkedin_sandbox.enable_integration()
    push = result["pushes"][0]
    assert push["delivered"] is False and push["attempts"][0]["error"]


def test_name_integration_validation(linkedin_sandbox):
    _, token = customer_token(linkedin_sandbox)
    good = key("ONE_CLICK_EXPORT")
    bad_type = key("TELEPATHY")
    wrong_context = key("CSA_API")  # wants a contract URN
    other_org = key("PROFILE_PLUGIN", "urn:li:organization:1")
    keys = [good, bad_type, wrong_context, other_org]
    body = {
        "entities": {
            entity_key(good): {"patch": {"$set": {"integrationName": "Nordlys export"}}},
            entity_key(bad_type): {"patch": {"$set": {"integrationName": "x"}}},
            entity_key(wrong_context): {"patch": {"$set": {"integrationName": "x"}}},
            entity_key(other_org): {"patch": {"$set": {"integrationName": "x"}}},
        }
    }
    answer = requests.post(
        f"{linkedin_sandbox.url}/v2/atsIntegrations?{ids(keys)}",
        json=body,
        headers=bearer(token, **{"x-restli-method": "batch_partial_update"}),
        timeout=10,
    )
    assert answer.status_code == 200
    out = answer.json()
    assert out["results"] == {entity_key(good): {"status": 204}}
    assert out["errors"][entity_key(bad_type)]["status"] == 400
    assert out["errors"][entity_key(wrong_context)]["status"] == 400
    assert out["errors"][entity_key(other_org)]["status"] == 403


def test_batch_partial_update_needs_header_and_matching_keys(linkedin_sandbox):
    _, token = customer_token(linkedin_sandbox)
    one = key("ONE_CLICK_EXPORT")
    body = {"entities": {entity_key(one): {"patch": {"$set": {"integrationName": "x"}}}}}
    no_header = requests.post(
        f"{linkedin_sandbox.url}/v2/atsIntegrations?{ids([one])}",
        json=body,
        headers=bearer(token),
        timeout=10,
    )
    assert no_header.status_code == 400
    mismatch = requests.post(
        f"{linkedin_sandbox.url}/v2/atsIntegrations?{ids([key('PROFILE_PLUGIN')])}",
        json=body,
        headers=bearer(token, **{"x-restli-method": "batch_partial_update"}),
        timeout=10,
    )
    assert mismatch.status_code == 400


def test_integration_name_must_not_be_empty(linkedin_sandbox):
    _, token = customer_token(linkedin_sandbox)
    one = key("ONE_CLICK_EXPORT")
    answer = requests.post(
        f"{linkedin_sandbox.url}/v2/atsIntegrations?{ids([one])}",
        json={"entities": {entity_key(one): {"patch": {"$set": {"integrationName": " "}}}}},
        headers=bearer(token, **{"x-restli-method": "batch_partial_update"}),
        timeout=10,
    ).json()
    assert answer["errors"][entity_key(one)]["status"] == 422


def test_unrequested_integration_is_404_per_key(linkedin_sandbox):
    _, token = customer_token(linkedin_sandbox)
    answer = batch_get(linkedin_sandbox, token, [key("UNIFIED_SEARCH")]).json()
    assert answer["errors"][entity_key(key("UNIFIED_SEARCH"))]["status"] == 404


def test_configurations_roundtrip_and_validation(linkedin_sandbox):
    _, token = customer_token(linkedin_sandbox)
    path = f"{linkedin_sandbox.url}/v2/atsIntegrations/{EXPORT_KEY}/configurations"
    put = requests.put(
        f"{path}?ids=JOB_POSTING_VIEWERS&ids=APPLICATION_VIEWERS&ids=CALLBACK_URL",
        json={
            "entities": {
                "JOB_POSTING_VIEWERS": {"configurationValue": {"string": "ALL_PRODUCT_USERS"}},
                "APPLICATION_VIEWERS": {"configurationValue": {"string": "ALL_PRODUCT_USERS"}},
                "CALLBACK_URL": {"configurationValue": {"string": "http://jobs.example.org/cb"}},
            }
        },
        headers=bearer(token, **{"x-restli-method": "batch_update"}),
        timeout=10,
    ).json()
    assert put["results"] == {"JOB_POSTING_VIEWERS": {"status": 204}}
    assert put["errors"]["APPLICATION_VIEWERS"]["status"] == 400  # only on IN_ATS_INDICATOR
    assert put["errors"]["CALLBACK_URL"]["status"] == 422  # not HTTPS
    got = requests.get(
        f"{path}?ids=JOB_POSTING_VIEWERS&ids=CALLBACK_URL", headers=bearer(token), timeout=10
    ).json()
    assert got["results"]["JOB_POSTING_VIEWERS"] == {
        "configurationValue": {"string": "ALL_PRODUCT_USERS"}
    }
    assert got["results"]["CALLBACK_URL"] == {
        "configurationValue": {"string": "http://127.0.0.1:9/linkedin/callback/tenant-1/"}
    }
    deleted = requests.delete(
        f"{path}?ids=JOB_POSTING_VIEWERS",
        headers=bearer(token, **{"x-restli-method": "batch_delete"}),
        timeout=10,
    ).json()
    assert deleted["results"] == {"JOB_POSTING_VIEWERS": {"status": 204}}


def test_callback_url_is_unique_per_customer(linkedin_sandbox):
    customer_token(linkedin_sandbox, foreign_id="a", callback_url="https://jobs.example.org/cb/1")
    _, token = customer_token(linkedin_sandbox, foreign_id="b", callback_url=None)
    path = f"{linkedin_sandbox.url}/v2/atsIntegrations/{EXPORT_KEY}/configurations"
    answer = requests.put(
        f"{path}?ids=CALLBACK_URL",
        json={
            "entities": {
                "CALLBACK_URL": {"configurationValue": {"string": "https://jobs.example.org/cb/1"}}
            }
        },
        headers=bearer(token, **{"x-restli-method": "batch_update"}),
        timeout=10,
    ).json()
    assert answer["errors"]["CALLBACK_URL"]["status"] == 422


# Seats --------------------------------------------------------------------------------------------


def test_seats_for_a_tied_contract(linkedin_sandbox):
    _, token = customer_token(linkedin_sandbox)
    answer = requests.get(
        f"{linkedin_sandbox.url}/v2/seats?q=seatsByAttributes&contracts={quote(CONTRACT, safe='')}"
        "&active=true&start=0&count=100",
        headers=bearer(token),
        timeout=10,
    )
    assert answer.status_code == 200
    body = answer.json()
    assert [e["id"] for e in body["elements"]] == [900001, 900003, 900004]
    assert body["paging"]["total"] == 3
    assert body["elements"][1]["seatHolder"] == "urn:li:person:iHaugen02"
    only_ids = requests.get(
        f"{linkedin_sandbox.url}/v2/seats?q=seatsByAttributes"
        f"&contracts={quote(CONTRACT, safe='')}&fields=id&count=2",
        headers=bearer(token),
        timeout=10,
    ).json()
    assert only_ids["elements"] == [{"id": 900001}, {"id": 900003}]


def test_seats_refused_for_an_untied_contract(linkedin_sandbox):
    _, token = customer_token(linkedin_sandbox)
    answer = requests.get(
        f"{linkedin_sandbox.url}/v2/seats?q=seatsByAttributes&contracts=urn%3Ali%3Acontract%3A8800102",
        headers=bearer(token),
        timeout=10,
    )
    assert answer.status_code == 403
    missing = requests.get(
        f"{linkedin_sandbox.url}/v2/seats?q=seatsByAttributes", headers=bearer(token), timeout=10
    )
    assert missing.status_code == 400


def test_member_sees_own_seats_to_choose_a_contract(linkedin_sandbox):
    from urllib.parse import parse_qs, urlsplit

    code = parse_qs(urlsplit(linkedin_sandbox.authorize()).query)["code"][0]
    token = requests.post(
        f"{linkedin_sandbox.url}/oauth/v2/accessToken",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "http://testserver/linkedin/oauth/callback/",
            "client_id": "attract-partner",
            "client_secret": "attract-partner-secret",
        },
        timeout=10,
    ).json()["access_token"]
    seats = requests.get(
        f"{linkedin_sandbox.url}/v2/seats?q=seatsByAttributes&active=true",
        headers=bearer(token),
        timeout=10,
    ).json()["elements"]
    assert {(s["contract"], s["role"]) for s in seats} == {
        ("urn:li:contract:8800101", "ADMIN"),
        ("urn:li:contract:8800102", "ADMIN"),
    }
    assert all(s["contractName"] for s in seats)
