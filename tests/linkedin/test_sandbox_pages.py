"""The pages standing in for LinkedIn: sign-in, the ATS integration plugin, the Recruiter admin's
ATS tab, the member directory, and a recruiter's export, InMail, notes; a member's sharing."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.linkedin.test_sandbox_prospects import Customer

ORG = "urn:li:organization:5551234"
CONTRACT = "urn:li:contract:8800101"


class Browser:
    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.session = requests.Session()

    def login(self, email):
        answer = self.session.post(
            f"{self.sandbox.url}/login",
            data={"email": email, "password": "linkedin", "next": "/"},
            timeout=10,
            allow_redirects=False,
        )
        assert answer.status_code == 303
        return self

    def get(self, path, **params):
        answer = self.session.get(
            f"{self.sandbox.url}{path}", params=params, timeout=10, allow_redirects=False
        )
        self.last = answer.text
        return answer

    def csrf(self):
        return re.search(r'name="csrf" value="([^"]+)"', self.last).group(1)

    def post(self, path, data):
        return self.session.post(
            f"{self.sandbox.url}{path}",
            data={"csrf": self.csrf(), **data},
            timeout=10,
            allow_redirects=False,
        )

    def follow(self, answer):
        assert answer.status_code == 303, answer.text
        location = answer.headers["Location"]
        return self.get(location) if location.startswith("/") else location


def test_pages_are_accessible_html(linkedin_sandbox):
    for path in ("/", "/login", "/members", "/members/kNakamu05", "/_sandbox/pushes"):
        answer = requests.get(f"{linkedin_sandbox.url}{path}", timeout=10)
        assert answer.status_code == 200, path
        assert answer.headers["Content-Type"].startswith("text/html")
        assert answer.text.count("<h1>") == 1 and '<html lang="en">' in answer.text
        for field in re.findall(r'<input[^>]+id="([^"]+)"', answer.text):
            assert f'for="{field}"' in answer.text, (path, field)


def test_admin_pages_need_sign_in(linkedin_sandbox):
    answer = requests.get(
        f"{linkedin_sandbox.url}/recruiter/admin/ats", timeout=10, allow_redirects=False
    )
    assert answer.status_code == 303 and answer.headers["Location"].startswith("/login?next=")


def test_recruiter_without_admin_seat_is_refused(linkedin_sandbox):
    browser = Browser(linkedin_sandbox).login("ingrid.haugen@nordlys.example")
    assert browser.get("/recruiter/admin/ats").status_code == 403


def test_plugin_request_goes_back_with_the_onintegrate_data(linkedin_sandbox):
    creds = linkedin_sandbox.provision_customer(name_integrations=False)
    linkedin_sandbox.reset()
    partner = linkedin_sandbox.app_token()
    app = requests.post(
        f"{linkedin_sandbox.url}/v2/provisionedApplications",
        json={
            "name": "Attract Nordlys",
            "uniqueForeignId": "t",
            "validJsSdkDomains": ["http://127.0.0.1:8000"],
        },
        headers={"Authorization": f"Bearer {partner}"},
        timeout=10,
    ).json()
    client_id = app["credentials"]["client_id"]
    browser = Browser(linkedin_sandbox).login("astrid.solberg@nordlys.example")
    page = browser.get(
        "/recruiter/widget/ATSIntegration",
        api_key=client_id,
        redirect_uri="http://127.0.0.1:8000/linkedin/rsc/requested/",
        state="st-1",
    )
    assert (
        page.status_code == 200
        and "Talent Acquisition" in page.text
        and "Campus Hiring" in page.text
    )
    answer = browser.post(
        "/recruiter/widget/ATSIntegration",
        {
            "api_key": client_id,
            "redirect_uri": "http://127.0.0.1:8000/linkedin/rsc/requested/",
            "state": "st-1",
            "contract": CONTRACT,
            "action": "request",
        },
    )
    assert answer.status_code == 303
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query["integrationContext"] == [ORG] and query["contract"] == [CONTRACT]
    assert query["state"] == ["st-1"]
    assert set(query["integrationTypes"][0].split(",")) == {
        "IN_ATS_INDICATOR",
        "ONE_CLICK_EXPORT",
        "PROFILE_PLUGIN",
        "CSA_API",
    }
    statuses = {i["status"] for i in linkedin_sandbox.state()["integration"]}
    assert statuses == {"PENDING_PARTNER"}
    assert creds["client_id"] != client_id


def test_plugin_refuses_foreign_domain(linkedin_sandbox):
    partner = linkedin_sandbox.app_token()
    app = requests.post(
        f"{linkedin_sandbox.url}/v2/provisionedApplications",
        json={
            "name": "A",
            "uniqueForeignId": "t",
            "validJsSdkDomains": ["https://jobs.example.org"],
        },
        headers={"Authorization": f"Bearer {partner}"},
        timeout=10,
    ).json()
    browser = Browser(linkedin_sandbox).login("astrid.solberg@nordlys.example")
    page = browser.get(
        "/recruiter/widget/ATSIntegration",
        api_key=app["credentials"]["client_id"],
        redirect_uri="https://evil.example/x",
    )
    assert page.status_code == 400


def test_admin_turns_contract_level_on_and_off(linkedin_sandbox):
    linkedin_sandbox.provision_customer()
    browser = Browser(linkedin_sandbox).login("astrid.solberg@nordlys.example")
    page = browser.get("/recruiter/admin/ats", contract=CONTRACT)
    assert page.status_code == 200
    assert "PARTNER_READY" in page.text and "Turn on contract level access" in page.text
    answer = browser.post(
        "/recruiter/admin/ats",
        {"contract": CONTRACT, "level": "RECRUITER_SYSTEM_CONNECT_CONTRACT", "switch": "on"},
    )
    page = browser.follow(answer)
    assert "Turn off contract level access" in page.text
    assert "0 of 1 partner notification(s) delivered" in page.text  # nothing listens on port 9
    integrations = linkedin_sandbox.state()["integration"]
    assert {(i["integrationType"], i["status"]) for i in integrations} == {
        ("IN_ATS_INDICATOR", "ENABLED"),
        ("ONE_CLICK_EXPORT", "ENABLED"),
        ("PROFILE_PLUGIN", "ENABLED"),
        ("CSA_API", "ENABLED"),
    }
    pushes = linkedin_sandbox.state()["push"]
    assert [p["type"] for p in pushes] == ["INTEGRATION_STATUS_CHANGE"]
    answer = browser.post(
        "/recruiter/admin/ats",
        {"contract": CONTRACT, "level": "RECRUITER_SYSTEM_CONNECT_CONTRACT", "switch": "off"},
    )
    browser.follow(answer)
    assert {i["status"] for i in linkedin_sandbox.state()["integration"]} == {"DISABLED"}


def test_admin_switch_waits_for_partner(linkedin_sandbox):
    linkedin_sandbox.provision_customer(name_integrations=False)
    browser = Browser(linkedin_sandbox).login("astrid.solberg@nordlys.example")
    browser.get("/recruiter/admin/ats")
    page = browser.follow(
        browser.post(
            "/recruiter/admin/ats",
            {"contract": CONTRACT, "level": "RECRUITER_SYSTEM_CONNECT_COMPANY", "switch": "on"},
        )
    )
    assert "has not finished configuring" in page.text
    assert {i["status"] for i in linkedin_sandbox.state()["integration"]} == {"PENDING_PARTNER"}


def test_forms_need_the_session_token(linkedin_sandbox):
    linkedin_sandbox.provision_customer()
    browser = Browser(linkedin_sandbox).login("astrid.solberg@nordlys.example")
    answer = browser.session.post(
        f"{linkedin_sandbox.url}/recruiter/admin/ats",
        data={
            "contract": CONTRACT,
            "level": "RECRUITER_SYSTEM_CONNECT_CONTRACT",
            "switch": "on",
            "csrf": "forged",
        },
        timeout=10,
    )
    assert answer.status_code == 403
    assert {i["status"] for i in linkedin_sandbox.state()["integration"]} == {"PARTNER_READY"}


def test_directory_search(linkedin_sandbox):
    page = requests.get(f"{linkedin_sandbox.url}/members", params={"q": "fjord"}, timeout=10).text
    assert "Kenji" in page and "Henrik" in page and "Amara" not in page
    assert "2 member(s)" in page
    assert (
        "No member matches"
        in requests.get(f"{linkedin_sandbox.url}/members", params={"q": "zzz"}, timeout=10).text
    )


def test_recruiter_exports_a_member_to_a_job_found_by_number(linkedin_sandbox):
    customer = Customer(linkedin_sandbox)
    customer.sync_job("J-000099", "Data <script>alert(1)</script> scientist")
    browser = Browser(linkedin_sandbox).login("ingrid.haugen@nordlys.example")
    page = browser.get("/members/kNakamu05", job_q="J-000099")
    assert "<script>alert(1)</script>" not in page.text
    assert "Data &lt;script&gt;alert(1)&lt;/script&gt; scientist" in page.text
    assert "Backend engineer" not in page.text
    by_title = browser.get("/members/kNakamu05", job_q="backend")
    assert "Backend engineer" in by_title.text
    job_value = re.search(r'id="job-0" name="job" value="([^"]+)"', by_title.text).group(1)
    page = browser.follow(
        browser.post("/members/kNakamu05/export", {"job": job_value.replace("&amp;", "&")})
    )
    assert "Exported to the ATS" in page.text
    export = linkedin_sandbox.state()["export"][0]
    assert (
        export["externalJobPostingId"] == "J-000012"
        and export["member"] == "urn:li:person:kNakamu05"
    )
    push = linkedin_sandbox.state()["push"][-1]
    assert push["type"] == "EXPORT_CANDIDATE_PROFILE" and push["requestId"] == export["requestId"]
    found = customer.get("/v2/exportedCandidates", q="request", requestId=export["requestId"])
    assert found.json()["elements"][0]["candidate"]["lastName"] == "Nakamura"


def test_inmail_note_and_share_through_the_pages(linkedin_sandbox):
    Customer(linkedin_sandbox, with_job=False)
    browser = Browser(linkedin_sandbox).login("ingrid.haugen@nordlys.example")
    browser.get("/members/aOkafor06")
    page = browser.follow(
        browser.post(
            "/members/aOkafor06/inmail",
            {"seat": "urn:li:seat:900003", "subject": "Design lead", "body": "Hi Amara"},
        )
    )
    assert "InMail sent." in page.text and "Accept and share my profile" in page.text
    page = browser.follow(
        browser.post(
            "/members/aOkafor06/notes",
            {
                "seat": "urn:li:seat:900003",
                "note": "Portfolio <b>great</b>",
                "visibility": "PUBLIC",
            },
        )
    )
    assert "Portfolio &lt;b&gt;great&lt;/b&gt;" in page.text
    conversation = linkedin_sandbox.state()["conversation_event"][0]["conversation"]
    page = browser.follow(
        browser.post("/members/aOkafor06/share", {"conversation": conversation, "share_email": "1"})
    )
    assert "shared their profile" in page.text and "Profile shared." in page.text
    state = linkedin_sandbox.state()
    assert state["mail_stub"][0]["emailAddress"] == "amara.okafor@mail.example"
    assert [e["direction"] for e in state["conversation_event"]] == ["SENT", "RECEIVED"]
    note_id = state["prospect_note"][0]["id"]
    assert state["prospect_note"][0]["visibility"] == "PUBLIC"
    browser.follow(browser.post("/members/aOkafor06/notes/delete", {"id": note_id}))
    assert linkedin_sandbox.state()["prospect_note"][0]["active"] is False


def test_recruiter_cannot_act_with_someone_elses_seat(linkedin_sandbox):
    browser = Browser(linkedin_sandbox).login("ingrid.haugen@nordlys.example")
    browser.get("/members/aOkafor06")
    page = browser.follow(
        browser.post(
            "/members/aOkafor06/inmail", {"seat": "urn:li:seat:900004", "subject": "x", "body": "y"}
        )
    )
    assert "Not done" in page.text
    assert "conversation_event" not in linkedin_sandbox.state()


def test_push_deliveries_page_and_redeliver(linkedin_sandbox):
    linkedin_sandbox.provision_customer()
    linkedin_sandbox.enable_integration()
    page = requests.get(f"{linkedin_sandbox.url}/_sandbox/pushes", timeout=10).text
    assert "INTEGRATION_STATUS_CHANGE" in page
    push_id = linkedin_sandbox.state()["push"][0]["id"]
    answer = requests.post(
        f"{linkedin_sandbox.url}/_sandbox/pushes",
        data={"id": push_id},
        timeout=10,
        allow_redirects=False,
    )
    assert answer.status_code == 303
    assert len(linkedin_sandbox.state()["push"][0]["attempts"]) == 2


@pytest.mark.parametrize("path", ["/members/nobody", "/members/nobody/inmail"])
def test_unknown_member_is_404(linkedin_sandbox, path):
    method = requests.post if path.endswith("inmail") else requests.get
    assert method(f"{linkedin_sandbox.url}{path}", timeout=10).status_code in (403, 404)
