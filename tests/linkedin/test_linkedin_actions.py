"""The candidate LinkedIn tab's Recruiter actions against the real sandbox: save to a project,
send an InMail, keep me updated, done with the acting user's own LinkedIn connection."""

import uuid

import pytest
import requests
from django.test import Client
from django.urls import reverse

from attract.models import Event, SecurityRole
from linkedin import services_prospects
from linkedin.models_prospects import InMailEvent
from linkedin.models_rsc import LinkedInAccount
from tests.factories import UserFactory
from tests.linkedin.test_rsc_views import OnLinkedIn, connect_partner_ready, linkedin_url, local

pytestmark = pytest.mark.django_db

KENJI = "kNakamu05"  # Kenji Nakamura in the sandbox's member directory
KENJI_URN = f"urn:li:person:{KENJI}"
INGRID = "ingrid.haugen@nordlys.example"  # holds Recruiter seat 900003
EMMA = "emma.bakker@nordlys.example"  # holds Recruiter seat 900004
BACKEND = "urn:li:recruiterProject:7001"  # "Backend engineers 2026" on Talent Acquisition
ACTION_EVENTS = (
    "linkedin.recruiter_project_saved",
    "linkedin.recruiter_inmail_sent",
    "linkedin.recruiter_alert_created",
)


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": uuid.uuid4().hex,
        }
    }
    settings.LINKEDIN_BACKOFF_BASE = 0.01
    settings.LINKEDIN_BACKOFF_MAX = 0.02
    settings.LINKEDIN_RETRY_BUDGET = 2.0
    settings.LINKEDIN_PROSPECTS_LOOKBACK_HOURS = 1


@pytest.fixture
def rsc(admin_user, linkedin_sandbox):
    """Recruiter System Connect enabled at contract level by ada."""
    admin = Client()
    admin.force_login(admin_user)
    connect_partner_ready(admin, linkedin_sandbox)
    linkedin_sandbox.enable_integration(deliver=False)
    admin.post(reverse("linkedin:rsc_refresh"))
    return linkedin_sandbox


def connect(client: Client, sandbox, email: str) -> None:
    """The signed-in user connects their LinkedIn account (user settings → Connections)."""
    authorize = linkedin_url(client.post(reverse("linkedin:account_connect")))
    client.get(local(OnLinkedIn(sandbox, email).allow(authorize)))


@pytest.fixture
def kenji(application):
    candidate = application.candidate
    candidate.linkedin_member_urn = KENJI_URN
    candidate.save()
    return candidate


@pytest.fixture
def rita(client, recruiter, rsc):
    """rita is signed in and connected as Ingrid, who holds a Recruiter seat."""
    client.force_login(recruiter)
    connect(client, rsc, INGRID)
    assert LinkedInAccount.objects.filter(user=recruiter).exists()
    return client


def tab(candidate) -> str:
    return reverse("candidates:linkedin", args=[candidate.pk])


def act(name: str, candidate) -> str:
    return reverse(f"linkedin:{name}", args=[candidate.pk])


def sandbox_kind(sandbox, kind: str) -> list[dict]:
    return sandbox.state().get(kind, [])


def member_page(sandbox, email: str) -> str:
    """Kenji's Recruiter profile page on the sandbox, seen by the member signed in as `email`."""
    browser = OnLinkedIn(sandbox, email).http
    page = browser.get(f"{sandbox.url}/members/{KENJI}", timeout=10)
    page.raise_for_status()
    return page.text


# --- End to end -----------------------------------------------------------------------------------


def test_a_recruiter_saves_sends_an_inmail_and_follows_in_linkedin_recruiter(
    rita, recruiter, kenji, rsc
):
    # given: the tab lists the seat's projects from LinkedIn
    html = rita.get(tab(kenji)).content.decode()
    assert "Backend engineers 2026" in html and "Nordics talent pipeline" in html
    assert "Send InMail" in html and "Keep me updated" in html

    # when: she saves Kenji to a project
    response = rita.post(act("candidate_project", kenji), {"project": BACKEND}, follow=True)
    assert "is saved to the project Backend engineers 2026." in response.content.decode()
    [saved] = sandbox_kind(rsc, "recruiter_project_member")
    assert (saved["project"], saved["member"], saved["addedBy"]) == (
        BACKEND,
        KENJI_URN,
        rsc.recruiter_seat,
    )

    # when: she sends an InMail
    message = {"subject": "Backend role in Oslo", "body": "Hi Kenji,\nwould you talk to us?"}
    response = rita.post(act("candidate_inmail", kenji), message, follow=True)
    assert "InMail sent to" in response.content.decode()
    [event] = sandbox_kind(rsc, "conversation_event")
    assert (event["viewer"], event["recipients"], event["direction"]) == (
        rsc.recruiter_seat,
        [KENJI_URN],
        "SENT",
    )
    assert (event["subject"], event["body"]) == (message["subject"], message["body"])

    # when: she asks to be kept updated
    response = rita.post(act("candidate_alert", kenji), follow=True)
    assert "get LinkedIn Recruiter alerts when" in response.content.decode()
    [alert] = sandbox_kind(rsc, "recruiter_alert")
    assert (alert["seat"], alert["member"], alert["alertType"]) == (
        rsc.recruiter_seat,
        KENJI_URN,
        "PROFILE_UPDATES",
    )

    # then: Recruiter's profile page shows the project and the alert to Ingrid
    page = member_page(rsc, INGRID)
    assert "Backend engineers 2026" in page and "you get alerts when this profile changes" in page
    # and one audit event per action, naming the seat and never the message
    events = Event.objects.filter(type__in=ACTION_EVENTS)
    assert sorted(e.type for e in events) == sorted(ACTION_EVENTS)
    assert all(e.actor == recruiter and e.parameters["member"] == KENJI_URN for e in events)
    assert all(message["body"] not in str(e.parameters) for e in events)

    # then: the next prospect pull brings the InMail into the InMail history of the tab
    now = int(rsc.state()["_meta"]["now_ms"]) + 1
    assert services_prospects.prospects_pull(now_ms=now).stored["events"] == 1
    assert InMailEvent.objects.get().member_urn == KENJI_URN
    html = rita.get(tab(kenji)).content.decode()
    assert "Backend role in Oslo" in html and "would you talk to us?" in html


def test_saving_or_following_twice_says_so_and_records_once(rita, kenji, rsc):
    rita.post(act("candidate_project", kenji), {"project": BACKEND})
    rita.post(act("candidate_alert", kenji))
    again = rita.post(act("candidate_project", kenji), {"project": BACKEND}, follow=True)
    assert "was already in the project Backend engineers 2026." in again.content.decode()
    again = rita.post(act("candidate_alert", kenji), follow=True)
    assert "You already get LinkedIn Recruiter alerts" in again.content.decode()
    assert len(sandbox_kind(rsc, "recruiter_project_member")) == 1
    assert len(sandbox_kind(rsc, "recruiter_alert")) == 1
    assert Event.objects.filter(type__in=ACTION_EVENTS).count() == 2


def test_the_same_inmail_resent_is_sent_once(rita, kenji, rsc):
    message = {"subject": "Hello", "body": "Same words"}
    rita.post(act("candidate_inmail", kenji), message)
    rita.post(act("candidate_inmail", kenji), message)
    assert len(sandbox_kind(rsc, "conversation_event")) == 1


def test_a_hiring_manager_with_a_seat_may_act(manager, kenji, rsc):
    hank = Client()
    hank.force_login(manager)
    connect(hank, rsc, EMMA)
    hank.post(act("candidate_inmail", kenji), {"subject": "Hi", "body": "From Emma's seat"})
    [event] = sandbox_kind(rsc, "conversation_event")
    assert event["viewer"] == "urn:li:seat:900004"


# --- Bad input: a clear form error, nothing sent --------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "body", "error"),
    [
        ("Hello", "", "This field is required."),
        ("Hello", "   ", "This field is required."),
        ("x" * 201, "Hi", "Ensure this value has at most 200 characters (it has 201)."),
        ("Hello", "y" * 1901, "Ensure this value has at most 1900 characters (it has 1901)."),
    ],
)
def test_a_bad_inmail_is_refused_and_nothing_is_sent(rita, kenji, rsc, subject, body, error):
    response = rita.post(act("candidate_inmail", kenji), {"subject": subject, "body": body})
    assert response.status_code == 422
    assert error in response.content.decode()
    assert sandbox_kind(rsc, "conversation_event") == []
    assert not Event.objects.filter(type__in=ACTION_EVENTS).exists()


def test_an_unknown_project_is_refused_and_nothing_is_saved(rita, kenji, rsc):
    response = rita.post(
        act("candidate_project", kenji), {"project": "urn:li:recruiterProject:9999"}
    )
    assert response.status_code == 422
    assert "Choose one of your LinkedIn Recruiter projects." in response.content.decode()
    assert sandbox_kind(rsc, "recruiter_project_member") == []
    assert not Event.objects.filter(type__in=ACTION_EVENTS).exists()


# --- LinkedIn down or throttling: a clear message, nothing half-done ------------------------------


def test_linkedin_answering_5xx_sends_nothing(rita, kenji, rsc):
    rsc.control({"mode": "5xx", "status": 503, "path_prefix": "/v2/recruiterInMails"})
    response = rita.post(act("candidate_inmail", kenji), {"subject": "Hi", "body": "Hello"})
    assert response.status_code == 422
    assert "LinkedIn is not answering" in response.content.decode()
    assert "Nothing was sent" in response.content.decode()
    rsc.control({"mode": "off"})
    assert sandbox_kind(rsc, "conversation_event") == []
    assert not Event.objects.filter(type__in=ACTION_EVENTS).exists()


def test_no_answer_says_it_may_be_done_and_a_repeat_sends_once(rita, kenji, rsc, settings):
    settings.LINKEDIN_REQUEST_TIMEOUT = 0.3
    settings.LINKEDIN_RETRY_BUDGET = 0.5
    rsc.control({"mode": "timeout", "delay": 1, "path_prefix": "/v2/recruiterInMails"})
    form = {"subject": "Hi", "body": "Hello once"}
    response = rita.post(act("candidate_inmail", kenji), form)
    assert response.status_code == 422
    assert "LinkedIn may have done it" in response.content.decode()
    assert not Event.objects.filter(type__in=ACTION_EVENTS).exists()
    rsc.control({"mode": "off"})
    assert rita.post(act("candidate_inmail", kenji), form).status_code == 302
    assert rita.post(act("candidate_inmail", kenji), form).status_code == 302
    assert len(sandbox_kind(rsc, "conversation_event")) == 1


def test_linkedin_down_for_every_action_says_so_on_the_tab(rita, kenji, rsc):
    rsc.control({"mode": "5xx", "status": 502, "path_prefix": "/v2/recruiter"})
    response = rita.post(act("candidate_project", kenji), {"project": BACKEND})
    html = response.content.decode()
    assert response.status_code == 422
    assert "LinkedIn is not answering" in html and "Nothing was sent" in html
    assert "so your projects cannot be listed" in html
    rsc.control({"mode": "off"})
    assert sandbox_kind(rsc, "recruiter_project_member") == []


def test_linkedin_throttling_says_when_to_try_again(rita, kenji, rsc):
    rsc.control({"mode": "429", "retry_after": 60, "path_prefix": "/v2/recruiterProjectMembers"})
    response = rita.post(act("candidate_project", kenji), {"project": BACKEND})
    assert response.status_code == 422
    assert "LinkedIn asks us to slow down; try again in 60 s." in response.content.decode()
    rsc.control({"mode": "off"})
    assert sandbox_kind(rsc, "recruiter_project_member") == []


def test_a_revoked_linkedin_token_asks_to_connect_again(rita, recruiter, kenji, rsc):
    LinkedInAccount.objects.filter(user=recruiter).update(access_token="revoked-token")
    response = rita.post(act("candidate_alert", kenji), follow=True)
    assert "connect LinkedIn again in your settings" in response.content.decode()
    assert sandbox_kind(rsc, "recruiter_alert") == []


# --- Who may act ----------------------------------------------------------------------------------


def test_a_recruiter_without_a_linkedin_connection_is_told_to_connect(
    client, recruiter, kenji, rsc
):
    client.force_login(recruiter)
    html = client.get(tab(kenji)).content.decode()
    assert "Connect LinkedIn in your settings" in html
    assert reverse("settings:connections") in html
    assert "Send InMail</button>" not in html
    response = client.post(act("candidate_inmail", kenji), {"subject": "Hi", "body": "Hello"})
    assert response.status_code == 302
    assert sandbox_kind(rsc, "conversation_event") == []


def test_an_interviewer_with_a_seat_may_not_act(client, interviewer, kenji, rsc):
    client.force_login(interviewer)
    connect(client, rsc, EMMA)
    html = client.get(tab(kenji)).content.decode()
    assert "Only recruiters, hiring managers and administrators act in LinkedIn" in html
    client.post(act("candidate_inmail", kenji), {"subject": "Hi", "body": "Hello"})
    client.post(act("candidate_alert", kenji))
    assert sandbox_kind(rsc, "conversation_event") == []
    assert sandbox_kind(rsc, "recruiter_alert") == []


def test_a_user_who_cannot_see_the_candidate_gets_404_and_nothing_is_sent(kenji, rsc):
    ian = Client()
    ian.force_login(UserFactory(username="ian", roles=[SecurityRole.INTERVIEWER]))
    response = ian.post(act("candidate_inmail", kenji), {"subject": "Hi", "body": "Hello"})
    assert response.status_code == 404
    assert ian.post(act("candidate_alert", kenji)).status_code == 404
    assert sandbox_kind(rsc, "conversation_event") == []


def test_an_unlinked_candidate_offers_no_actions(rita, application, rsc):
    html = rita.get(tab(application.candidate)).content.decode()
    assert "Act in LinkedIn Recruiter" not in html
    response = rita.post(act("candidate_alert", application.candidate), follow=True)
    assert "Link the candidate to a LinkedIn member first." in response.content.decode()
    assert sandbox_kind(rsc, "recruiter_alert") == []


def test_actions_need_post(rita, kenji):
    assert rita.get(act("candidate_inmail", kenji)).status_code == 405


# --- The sandbox's stand-in endpoints speak Rest.li 2.0 with member tokens ------------------------


def test_the_sandbox_checks_protocol_token_and_seat(rita, recruiter, rsc):
    token = LinkedInAccount.objects.get(user=recruiter).access_token
    url = f"{rsc.url}/v2/recruiterInMails"
    body = {"seat": rsc.recruiter_seat, "recipient": KENJI_URN, "subject": "Hi", "body": "Hi"}
    auth = {"Authorization": f"Bearer {token}"}
    v2 = {**auth, "X-Restli-Protocol-Version": "2.0.0"}
    # no protocol header
    assert requests.post(url, json=body, headers=auth, timeout=10).status_code == 400
    # Emma's seat is not Ingrid's
    answer = requests.post(url, json={**body, "seat": "urn:li:seat:900004"}, headers=v2, timeout=10)
    assert answer.status_code == 403
    assert answer.json()["serviceErrorCode"] == 100
    # an application token is not a member token
    app = next(a for a in rsc.state()["application"] if a["parent"])
    app_token = rsc.app_token(app["clientId"], app["clientSecrets"][0])
    answer = requests.post(
        url,
        json=body,
        headers={"Authorization": f"Bearer {app_token}", "X-Restli-Protocol-Version": "2.0.0"},
        timeout=10,
    )
    assert answer.status_code == 403
    # and the real thing: 201 with x-restli-id
    answer = requests.post(url, json=body, headers=v2, timeout=10)
    assert answer.status_code == 201
    assert answer.headers["x-restli-id"] == answer.json()["urn"]
    assert answer.json()["urn"].startswith("urn:li:recruiterInMail:")
