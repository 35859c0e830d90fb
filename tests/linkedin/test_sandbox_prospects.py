"""LinkedIn → ATS: exportedCandidates after an EXPORT_CANDIDATE_PROFILE push, and the CSA_API
prospect interactions (conversationEvents, prospectNotes, mailStubs)."""

import hashlib
import hmac
import json
from urllib.parse import quote

import pytest
import requests

ORG = "urn:li:organization:5551234"
CONTRACT = "urn:li:contract:8800101"
SEAT = "urn:li:seat:900003"
HOUR_MS = 3600 * 1000


class Customer:
    """A customer with RSC set up and enabled, and an open job synced for 1-click export."""

    def __init__(self, sandbox, level="contract", with_job=True):
        self.sandbox = sandbox
        creds = sandbox.provision_customer()
        self.client_id, self.secret = creds["client_id"], creds["client_secret"]
        self.token = sandbox.app_token(self.client_id, self.secret)
        sandbox.enable_integration(level=level, deliver=False)
        if with_job:
            self.sync_job()

    def get(self, path, **params):
        return requests.get(
            f"{self.sandbox.url}{path}",
            params=params,
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=10,
        )

    def sync_job(self, external_id="J-000012", title="Backend engineer"):
        element = {
            "integrationContext": ORG,
            "companyApplyUrl": "https://jobs.nordlys.example/j/12/",
            "externalJobPostingId": external_id,
            "jobPostingOperationType": "CREATE",
            "title": title,
            "description": "x" * 120,
            "listedAt": 1_700_000_000_000,
            "location": "Oslo, Norway",
            "availability": "PRIVATE_TO_ATS_INTEGRATION",
            "posterEmail": "ingrid.haugen@nordlys.example",
        }
        requests.post(
            f"{self.sandbox.url}/v2/simpleJobPostings",
            json={"elements": [element]},
            headers={"Authorization": f"Bearer {self.token}", "x-restli-method": "batch_create"},
            timeout=10,
        ).raise_for_status()
        self.sandbox.advance_clock(300)


@pytest.fixture
def customer(linkedin_sandbox):
    return Customer(linkedin_sandbox)


def now_ms(sandbox):
    return sandbox.state()["_meta"]["now_ms"]


# Export -------------------------------------------------------------------------------------------


def test_export_push_then_exported_candidate(linkedin_sandbox, customer):
    pushed = linkedin_sandbox.push(
        "EXPORT_CANDIDATE_PROFILE", deliver=False, member="kNakamu05", job="J-000012", seat=SEAT
    )
    body = pushed["body"].encode()
    expected = hmac.new(customer.secret.encode(), b"hmacsha256=" + body, hashlib.sha256).hexdigest()
    assert pushed["headers"]["X-LI-Signature"] == expected
    payload = json.loads(body)
    assert payload["type"] == "EXPORT_CANDIDATE_PROFILE" and payload["integrationContext"] == ORG
    answer = customer.get("/v2/exportedCandidates", q="request", requestId=payload["requestId"])
    assert answer.status_code == 200
    element = answer.json()["elements"][0]
    assert element["externalJobPostingId"] == "J-000012"
    assert element["exporter"] == SEAT and element["exporterPerson"] == "urn:li:person:iHaugen02"
    assert element["candidate"]["person"] == "urn:li:person:kNakamu05"
    assert element["candidate"]["emailAddresses"] == ["kenji.nakamura@mail.example"]


def test_exported_candidates_errors(linkedin_sandbox, customer):
    assert customer.get("/v2/exportedCandidates", q="request", requestId="nope").status_code == 404
    assert customer.get("/v2/exportedCandidates", q="request").status_code == 400
    assert customer.get("/v2/exportedCandidates", q="criteria", requestId="x").status_code == 400


def test_export_needs_an_open_synced_job_and_enabled_export(linkedin_sandbox):
    Customer(linkedin_sandbox, with_job=False)
    answer = requests.post(
        f"{linkedin_sandbox.url}/_sandbox/push",
        json={"type": "EXPORT_CANDIDATE_PROFILE", "member": "kNakamu05", "job": "J-000012"},
        timeout=10,
    )
    assert answer.status_code == 400


def test_exports_per_seat_per_month_are_limited(linkedin_sandbox, customer):
    linkedin_sandbox.set_rate_scale(0.001)  # 300 a month → 1
    linkedin_sandbox.push(
        "EXPORT_CANDIDATE_PROFILE", deliver=False, member="kNakamu05", job="J-000012", seat=SEAT
    )
    answer = requests.post(
        f"{linkedin_sandbox.url}/_sandbox/push",
        json={
            "type": "EXPORT_CANDIDATE_PROFILE",
            "member": "aOkafor06",
            "job": "J-000012",
            "seat": SEAT,
            "deliver": False,
        },
        timeout=10,
    )
    assert answer.status_code == 400 and "month" in answer.json()["message"]


# Conversation events ------------------------------------------------------------------------------


def test_conversation_events_in_a_window(linkedin_sandbox, customer):
    event = linkedin_sandbox.activity(
        "inmail", seat=SEAT, member="kNakamu05", subject="Backend role", body="Hi Kenji"
    )
    now = now_ms(linkedin_sandbox)
    answer = customer.get(
        "/v2/conversationEvents",
        q="criteria",
        viewer=SEAT,
        **{"timeRange.start": now - HOUR_MS, "timeRange.end": now + 1, "start": 0, "count": 50},
    )
    assert answer.status_code == 200
    elements = answer.json()["elements"]
    assert [e["id"] for e in elements] == [event["id"]]
    assert elements[0]["direction"] == "SENT" and elements[0]["recipients"] == [
        "urn:li:person:kNakamu05"
    ]
    empty = customer.get(
        "/v2/conversationEvents",
        q="criteria",
        viewer=SEAT,
        **{"timeRange.start": now - 3 * HOUR_MS, "timeRange.end": now - 2 * HOUR_MS},
    )
    assert empty.json()["elements"] == []


def test_conversation_events_protocol_2_time_range(linkedin_sandbox, customer):
    linkedin_sandbox.activity("inmail", seat=SEAT, member="kNakamu05")
    now = now_ms(linkedin_sandbox)
    answer = requests.get(
        f"{linkedin_sandbox.url}/v2/conversationEvents?q=criteria&viewer={quote(SEAT, safe='')}"
        f"&timeRange=(start:{now - HOUR_MS},end:{now + 1})",
        headers={"Authorization": f"Bearer {customer.token}", "X-Restli-Protocol-Version": "2.0.0"},
        timeout=10,
    )
    assert answer.status_code == 200 and len(answer.json()["elements"]) == 1


@pytest.mark.parametrize(
    ("start", "end"),
    [(0, 13 * HOUR_MS), (HOUR_MS, HOUR_MS), (None, HOUR_MS)],
)
def test_conversation_events_window_validation(customer, start, end):
    params = {"q": "criteria", "viewer": SEAT, "timeRange.end": end}
    if start is not None:
        params["timeRange.start"] = start
    assert customer.get("/v2/conversationEvents", **params).status_code == 400


def test_conversation_events_member_rate_limit(linkedin_sandbox, customer):
    linkedin_sandbox.set_rate_scale(0.001)  # 12 records a member a minute → 1
    params = {"q": "criteria", "viewer": SEAT, "timeRange.start": 0, "timeRange.end": HOUR_MS}
    assert customer.get("/v2/conversationEvents", **params).status_code == 200
    limited = customer.get("/v2/conversationEvents", **params)
    assert limited.status_code == 429 and "MEMBER" in limited.json()["message"]


def test_company_level_access_does_not_open_csa(linkedin_sandbox):
    customer = Customer(linkedin_sandbox, level="company", with_job=False)
    answer = customer.get(
        "/v2/conversationEvents",
        q="criteria",
        viewer=SEAT,
        **{"timeRange.start": 0, "timeRange.end": HOUR_MS},
    )
    assert answer.status_code == 403
    assert (
        customer.get(
            "/v2/prospectNotes", q="criteria", contract=CONTRACT, cutoffDate=0, beforeDate=HOUR_MS
        ).status_code
        == 403
    )


# Prospect notes and mail stubs --------------------------------------------------------------------


def test_prospect_notes_public_private_and_inactive(linkedin_sandbox, customer):
    private = linkedin_sandbox.activity(
        "note", seat=SEAT, member="kNakamu05", note="Knows Rust", visibility="PRIVATE"
    )
    linkedin_sandbox.activity(
        "note",
        seat="urn:li:seat:900004",
        member="kNakamu05",
        note="Met at PyCon",
        visibility="PUBLIC",
    )
    now = now_ms(linkedin_sandbox)
    window = {
        "q": "criteria",
        "contract": CONTRACT,
        "cutoffDate": now - HOUR_MS,
        "beforeDate": now + 1,
    }
    every = customer.get("/v2/prospectNotes", **window).json()["elements"]
    assert {(n["note"], n["visibility"], n["active"]) for n in every} == {
        ("Knows Rust", "PRIVATE", True),
        ("Met at PyCon", "PUBLIC", True),
    }
    owned = customer.get("/v2/prospectNotes", owners=SEAT, **window).json()["elements"]
    assert [n["id"] for n in owned] == [private["id"]]
    linkedin_sandbox.advance_clock(60)
    linkedin_sandbox.activity("note_delete", id=private["id"])
    later = now_ms(linkedin_sandbox)
    changed = customer.get(
        "/v2/prospectNotes",
        q="criteria",
        contract=CONTRACT,
        cutoffDate=now + 1,
        beforeDate=later + 1,
    ).json()["elements"]
    assert [(n["id"], n["active"]) for n in changed] == [(private["id"], False)]


def test_prospect_notes_validation(customer):
    assert (
        customer.get("/v2/prospectNotes", q="criteria", cutoffDate=0, beforeDate=1).status_code
        == 400
    )
    assert (
        customer.get(
            "/v2/prospectNotes",
            q="criteria",
            contract=CONTRACT,
            cutoffDate=0,
            beforeDate=13 * HOUR_MS,
        ).status_code
        == 400
    )
    assert (
        customer.get(
            "/v2/prospectNotes",
            q="criteria",
            contract="urn:li:contract:8800102",
            cutoffDate=0,
            beforeDate=1,
        ).status_code
        == 403
    )


def test_mail_stub_after_the_member_shares(linkedin_sandbox, customer):
    inmail = linkedin_sandbox.activity(
        "inmail", seat=SEAT, member="aOkafor06", subject="Design lead"
    )
    before = now_ms(linkedin_sandbox)
    stub = linkedin_sandbox.activity(
        "share", member="aOkafor06", conversation=inmail["conversation"], share_email=False
    )
    stubs = customer.get(
        "/v2/mailStubs",
        q="contract",
        contract=CONTRACT,
        owners=SEAT,
        createdDateStart=before - 1,
        createdDateEnd=before + HOUR_MS,
    ).json()["elements"]
    assert [s["id"] for s in stubs] == [stub["id"]]
    assert stubs[0]["firstName"] == "Amara" and "emailAddress" not in stubs[0]
    assert (
        customer.get(
            "/v2/mailStubs", q="contract", contract=CONTRACT, createdDateStart=before + HOUR_MS
        ).json()["elements"]
        == []
    )
    now = now_ms(linkedin_sandbox)
    events = customer.get(
        "/v2/conversationEvents",
        q="criteria",
        viewer=SEAT,
        **{"timeRange.start": now - HOUR_MS, "timeRange.end": now + 1},
    ).json()["elements"]
    assert [e["direction"] for e in events] == ["SENT", "RECEIVED"]


def test_activity_control_validates(linkedin_sandbox, customer):
    bad = [
        {"kind": "inmail", "seat": "urn:li:seat:1", "member": "kNakamu05"},
        {"kind": "inmail", "seat": SEAT, "member": "ghost"},
        {"kind": "note", "seat": SEAT, "member": "kNakamu05", "note": ""},
        {"kind": "note", "seat": SEAT, "member": "kNakamu05", "note": "x", "visibility": "SECRET"},
        {"kind": "share", "member": "kNakamu05", "conversation": "urn:li:conversation:none"},
        {"kind": "dance"},
    ]
    for payload in bad:
        answer = requests.post(
            f"{linkedin_sandbox.url}/_sandbox/activity", json=payload, timeout=10
        )
        assert answer.status_code == 400, payload
