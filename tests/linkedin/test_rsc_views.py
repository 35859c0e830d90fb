"""Recruiter System Connect from the admin LinkedIn tab, end to end against the sandbox.

The administrator's browser on LinkedIn's side (sign-in, consent, the ATS Integration
Configuration Plugin) is played by `OnLinkedIn`, a requests session on the sandbox's own pages.
"""

import logging
import re
import uuid
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import requests
from django.urls import reverse

from attract.models import Event
from linkedin import client as linkedin_client
from linkedin.models_rsc import AccessLevel, OAuthState, RecruiterConnection, RscStatus
from tests.xss import assert_inert

TAB = reverse("settings:linkedin")


@pytest.fixture(autouse=True)
def _own_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": uuid.uuid4().hex,
        }
    }
    settings.LINKEDIN_BACKOFF_BASE = 0.02
    settings.LINKEDIN_BACKOFF_MAX = 0.1


class _Forms(HTMLParser):
    """Every form of a page: its action and its inputs' names and values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action"), "fields": {}})
        elif tag == "input" and self.forms and attrs.get("name"):
            checked = attrs.get("type") not in ("radio", "checkbox") or "checked" in attrs
            if checked:
                self.forms[-1]["fields"][attrs["name"]] = attrs.get("value") or ""


class OnLinkedIn:
    """A LinkedIn member's browser on the sandbox: signs in, consents, requests RSC."""

    def __init__(self, sandbox, email: str | None = None) -> None:
        self.sandbox = sandbox
        self.http = requests.Session()
        self.http.post(
            f"{sandbox.url}/login",
            data={
                "email": email or sandbox.admin_email,
                "password": sandbox.member_password,
                "next": "/",
            },
            allow_redirects=False,
            timeout=10,
        ).raise_for_status()

    def _submit(self, url: str, target: str, **choices: str) -> str:
        page = self.http.get(url, timeout=10)
        page.raise_for_status()
        parser = _Forms()
        parser.feed(page.text)
        form = next(f for f in parser.forms if f["action"] == target)
        answer = self.http.post(
            f"{self.sandbox.url}{target}",
            data={**form["fields"], **choices},
            allow_redirects=False,
            timeout=10,
        )
        assert answer.status_code == 303, answer.text
        return answer.headers["Location"]

    def allow(self, authorize_url: str) -> str:
        """Consent on the authorization page; LinkedIn's redirect back to the product."""
        return self._submit(authorize_url, "/oauth/v2/authorization", decision="allow")

    def cancel(self, authorize_url: str) -> str:
        return self._submit(authorize_url, "/oauth/v2/authorization", decision="cancel")

    def request_rsc(self, plugin_url: str, contract: str) -> str:
        """Press Request in the ATS Integration Configuration Plugin."""
        return self._submit(
            plugin_url, "/recruiter/widget/ATSIntegration", contract=contract, action="request"
        )


def linkedin_url(response) -> str:
    """Where the "Continue to LinkedIn" page sends the browser."""
    assert response.status_code == 200, response
    html = response.content.decode()
    href = re.search(r'id="linkedin-continue" href="([^"]+)"', html)
    assert href, html
    assert f'<meta http-equiv="refresh" content="0; url={href[1]}">' in html
    return unescape(href[1])


def local(url: str) -> str:
    """The product URL LinkedIn sent the browser back to, as the test client requests it."""
    parts = urlsplit(url)
    assert parts.netloc == "testserver", url
    return f"{parts.path}?{parts.query}"


def sign_in(client, sandbox) -> None:
    started = linkedin_url(client.post(reverse("linkedin:rsc_connect")))
    back = OnLinkedIn(sandbox).allow(started)
    assert client.get(local(back)).status_code == 302


def request_rsc(client, sandbox, contract: str | None = None) -> None:
    started = linkedin_url(client.post(reverse("linkedin:rsc_request")))
    back = OnLinkedIn(sandbox).request_rsc(started, contract or sandbox.contract)
    assert client.get(local(back)).status_code == 302


def connect_partner_ready(client, sandbox) -> RecruiterConnection:
    """Sign in, choose the Talent Acquisition contract, Request: "Partner ready"."""
    sign_in(client, sandbox)
    client.post(reverse("linkedin:rsc_contract"), {"contract": sandbox.contract})
    request_rsc(client, sandbox)
    return RecruiterConnection.objects.get()


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


# --- The whole flow ------------------------------------------------------------------------------


def test_an_admin_connects_recruiter_system_connect(admin_client, admin_user, linkedin_sandbox):
    sandbox = linkedin_sandbox
    page = admin_client.get(TAB)
    assert "Not connected" in page.content.decode()
    # Connect: LinkedIn sign-in with the partner application
    started = linkedin_url(admin_client.post(reverse("linkedin:rsc_connect")))
    assert started.startswith(f"{sandbox.url}/oauth/v2/authorization?")
    back = OnLinkedIn(sandbox).allow(started)
    done = admin_client.get(local(back))
    assert done.url == TAB
    connection = RecruiterConnection.objects.get()
    # Astrid administers two contracts: she picks one
    assert connection.status == RscStatus.CHOOSE_CONTRACT
    assert connection.admin_member_name == "Astrid Solberg"
    assert {c["urn"] for c in connection.contracts} == {sandbox.contract, sandbox.other_contract}
    page = admin_client.get(TAB).content.decode()
    assert "Campus Hiring" in page and "Use this contract" in page
    admin_client.post(reverse("linkedin:rsc_contract"), {"contract": sandbox.contract})
    connection.refresh_from_db()
    assert connection.status == RscStatus.READY_TO_REQUEST
    # Request: provision the customer application, pre-authorise it in the plugin, configure
    request_rsc(admin_client, sandbox)
    connection.refresh_from_db()
    assert connection.status == RscStatus.PARTNER_READY
    assert connection.organization_urn == sandbox.organization
    assert connection.application_urn.startswith("urn:li:developerApplication:")
    state = sandbox.state()
    [app] = [a for a in state["application"] if a["key"] == connection.application_urn]
    assert app["oauth2AuthorizedCallbackUrls"] == ["http://testserver/linkedin/oauth/callback/"]
    assert app["validJsSdkDomains"] == ["http://testserver"]
    [callback] = [c["configurationValue"]["string"] for c in state["configuration"]]
    assert callback == f"http://testserver/linkedin/callback/{connection.callback_token}/"
    names = {i["integrationType"]: i["integrationName"] for i in state["integration"]}
    assert names["ONE_CLICK_EXPORT"].endswith("LinkedIn Recruiter One-Click Export Integration")
    assert set(names) == {"ONE_CLICK_EXPORT", "IN_ATS_INDICATOR", "PROFILE_PLUGIN", "CSA_API"}
    assert "Partner ready" in admin_client.get(TAB).content.decode()
    # the Recruiter admin enables contract level access in LinkedIn; the admin refreshes
    sandbox.enable_integration(level="contract", deliver=False)
    admin_client.post(reverse("linkedin:rsc_refresh"))
    connection.refresh_from_db()
    assert (connection.status, connection.access_level) == (RscStatus.ENABLED, "contract")
    assert connection.tasks_enabled
    page = admin_client.get(TAB).content.decode()
    assert "Enabled" in page and "Contract level access" in page
    for feature in ("1-click export", "In-ATS indicator", "InMail history", "InMail stub profiles"):
        assert feature in page
    # every state change left an audit event
    types = list(Event.objects.order_by("id").values_list("type", flat=True))
    assert types.count("linkedin.rsc_status_changed") == 4
    assert {
        "linkedin.rsc_signed_in",
        "linkedin.rsc_contract_chosen",
        "linkedin.rsc_requested",
    } <= set(types)


def test_company_level_access_unlocks_less(admin_client, linkedin_sandbox):
    connect_partner_ready(admin_client, linkedin_sandbox)
    linkedin_sandbox.enable_integration(level="company", deliver=False)
    response = admin_client.post(reverse("linkedin:rsc_refresh"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="linkedin-rsc-section"' in html
    assert "Company level access" in html and "Profile widget" in html
    assert "InMail history</li>" not in html
    assert "data-focus-after-swap" in html
    connection = RecruiterConnection.objects.get()
    assert connection.access_level == AccessLevel.COMPANY
    assert connection.integration_statuses["CSA_API"] == "PARTNER_READY"


def test_a_single_contract_is_chosen_by_itself(admin_user, linkedin_sandbox):
    from linkedin import services_rsc

    # the sandbox's admin has two contracts; a sign-in that finds one goes straight to Request
    connection = services_rsc._save_sign_in(
        by=admin_user,
        me={"id": "x", "localizedFirstName": "One"},
        token=linkedin_client.AccessToken("t", expires_at=0),
        contracts=[{"urn": linkedin_sandbox.contract, "name": "TA"}],
    )
    assert connection.status == RscStatus.READY_TO_REQUEST
    assert connection.contract_urn == linkedin_sandbox.contract


def test_only_admin_seats_count_as_contracts():
    from linkedin.services_rsc import _admin_contracts

    seats = {
        "elements": [
            {"contract": "urn:li:contract:1", "contractName": "A", "role": "ADMIN"},
            {"contract": "urn:li:contract:1", "contractName": "A", "role": "ADMIN"},
            {"contract": "urn:li:contract:2", "contractName": "B", "role": "RECRUITER"},
            {"contract": "urn:li:contract:3", "role": "ADMIN", "active": False},
        ]
    }
    assert _admin_contracts(seats) == [{"urn": "urn:li:contract:1", "name": "A"}]


def test_a_member_without_an_admin_seat_cannot_connect(admin_client, linkedin_sandbox):
    started = linkedin_url(admin_client.post(reverse("linkedin:rsc_connect")))
    back = OnLinkedIn(linkedin_sandbox, "ingrid.haugen@nordlys.example").allow(started)
    response = admin_client.get(local(back), follow=True)
    assert "not a Recruiter admin of any contract" in response.content.decode()
    assert RecruiterConnection.objects.get().status == RscStatus.NOT_CONNECTED


def test_cancelling_the_sign_in_changes_nothing(admin_client, linkedin_sandbox):
    started = linkedin_url(admin_client.post(reverse("linkedin:rsc_connect")))
    back = OnLinkedIn(linkedin_sandbox).cancel(started)
    response = admin_client.get(local(back), follow=True)
    assert "LinkedIn did not connect: user cancelled authorize." in response.content.decode()
    assert RecruiterConnection.objects.get().status == RscStatus.NOT_CONNECTED


def test_a_replayed_sign_in_is_refused(admin_client, linkedin_sandbox):
    started = linkedin_url(admin_client.post(reverse("linkedin:rsc_connect")))
    back = OnLinkedIn(linkedin_sandbox).allow(started)
    admin_client.get(local(back))
    RecruiterConnection.objects.update(status=RscStatus.NOT_CONNECTED, admin_member_urn="")
    response = admin_client.get(local(back), follow=True)
    assert "already used" in response.content.decode()
    connection = RecruiterConnection.objects.get()
    assert (connection.status, connection.admin_member_urn) == (RscStatus.NOT_CONNECTED, "")


def test_a_sign_in_of_another_admin_is_refused(client, admin_user, linkedin_sandbox):
    from tests.factories import UserFactory

    other = UserFactory(username="alva", roles=["administrator"])
    client.force_login(other)
    started = linkedin_url(client.post(reverse("linkedin:rsc_connect")))
    back = OnLinkedIn(linkedin_sandbox).allow(started)
    # ada opens alva's return link in her own session
    client.force_login(admin_user)
    response = client.get(local(back), follow=True)
    assert "not started from your session" in response.content.decode()
    assert RecruiterConnection.objects.get().status == RscStatus.NOT_CONNECTED
    assert OAuthState.objects.get().used_at is None


def test_a_contract_outside_the_sign_in_is_refused(admin_client, linkedin_sandbox):
    sign_in(admin_client, linkedin_sandbox)
    response = admin_client.post(
        reverse("linkedin:rsc_contract"), {"contract": "urn:li:contract:999"}
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert RecruiterConnection.objects.get().contract_urn == ""


def test_notify_partner_when_the_configuration_failed(admin_client, linkedin_sandbox):
    sign_in(admin_client, linkedin_sandbox)
    admin_client.post(reverse("linkedin:rsc_contract"), {"contract": linkedin_sandbox.contract})
    # LinkedIn fails while we name the integrations
    linkedin_sandbox.control({"mode": "5xx", "path_prefix": "/v2/atsIntegrations"})
    request_rsc(admin_client, linkedin_sandbox)
    connection = RecruiterConnection.objects.get()
    assert connection.status == RscStatus.NOTIFY_PARTNER
    assert "LinkedIn is not answering" in connection.last_error
    assert "Notify partner" in admin_client.get(TAB).content.decode()
    # LinkedIn is back: Notify partner finishes the set-up
    linkedin_sandbox.control({"mode": "off"})
    response = admin_client.post(reverse("linkedin:rsc_notify"), follow=True)
    assert "Partner ready" in response.content.decode()
    connection.refresh_from_db()
    assert (connection.status, connection.last_error) == (RscStatus.PARTNER_READY, "")


def test_reconnecting_reuses_the_provisioned_application(admin_client, linkedin_sandbox):
    first = connect_partner_ready(admin_client, linkedin_sandbox)
    admin_client.post(reverse("linkedin:rsc_disconnect"))
    second = connect_partner_ready(admin_client, linkedin_sandbox)
    assert second.application_urn == first.application_urn
    assert second.status == RscStatus.PARTNER_READY
    children = [a for a in linkedin_sandbox.state()["application"] if a["parent"]]
    assert len(children) == 1


# --- Disconnect --------------------------------------------------------------------------------


def test_disconnect_says_what_stays_and_stops_every_task(admin_client, linkedin_sandbox):
    from linkedin.selectors_rsc import linkedin_tasks_allowed

    connect_partner_ready(admin_client, linkedin_sandbox)
    linkedin_sandbox.enable_integration(deliver=False)
    admin_client.post(reverse("linkedin:rsc_refresh"))
    assert linkedin_tasks_allowed()
    confirm = admin_client.get(reverse("linkedin:rsc_disconnect")).content.decode()
    assert "What stays stored in Attract" in confirm and "talent pool" in confirm
    response = admin_client.post(reverse("linkedin:rsc_disconnect"), follow=True)
    assert "every LinkedIn task has stopped" in response.content.decode()
    connection = RecruiterConnection.objects.get()
    assert connection.status == RscStatus.DISCONNECTED
    assert not connection.tasks_enabled and connection.admin_access_token == ""
    assert connection.client_secret  # kept (encrypted) for a later reconnection
    assert not linkedin_tasks_allowed()
    assert Event.objects.filter(type="linkedin.rsc_disconnected").count() == 1


# --- Secrets ------------------------------------------------------------------------------------


def test_secrets_are_never_rendered_or_logged(admin_client, linkedin_sandbox, caplog):
    caplog.set_level(logging.DEBUG)
    connection = connect_partner_ready(admin_client, linkedin_sandbox)
    linkedin_sandbox.enable_integration(deliver=False)
    admin_client.post(reverse("linkedin:rsc_refresh"))
    admin_client.post(reverse("linkedin:rsc_secret"), {"client_secret": "rotated-secret-42"})
    page = admin_client.get(TAB).content.decode()
    connection.refresh_from_db()
    secrets = [
        connection.client_secret,
        connection.previous_client_secret,
        connection.admin_access_token,
        linkedin_sandbox.partner_client_secret,
        linkedin_client.app_token(linkedin_client.partner_credentials()),
    ]
    assert connection.client_secret == "rotated-secret-42"
    for secret in secrets:
        assert secret and secret not in page
        assert secret not in caplog.text
    events = str(list(Event.objects.values_list("parameters", flat=True)))
    assert not any(secret in events for secret in secrets)
    assert "Stored encrypted; never shown." in page


def test_a_too_short_secret_is_refused(admin_client, linkedin_sandbox):
    connect_partner_ready(admin_client, linkedin_sandbox)
    before = RecruiterConnection.objects.get().client_secret
    response = admin_client.post(reverse("linkedin:rsc_secret"), {"client_secret": "short"})
    assert response.status_code == 422
    assert "Paste the whole client secret" in response.content.decode()
    assert 'value="short"' not in response.content.decode()
    assert RecruiterConnection.objects.get().client_secret == before


# --- Who may do it ------------------------------------------------------------------------------

ACTIONS = ["rsc_connect", "rsc_contract", "rsc_request", "rsc_notify", "rsc_refresh", "rsc_secret"]


@pytest.mark.parametrize("name", [*ACTIONS, "rsc_disconnect"])
def test_only_administrators_may_act(client, recruiter, name):
    client.force_login(recruiter)
    response = client.post(reverse(f"linkedin:{name}"), {"contract": "x", "client_secret": "y" * 9})
    assert response.status_code == 403
    assert not RecruiterConnection.objects.exclude(status=RscStatus.NOT_CONNECTED).exists()
    assert not OAuthState.objects.exists()


@pytest.mark.parametrize("name", ["rsc_signed_in", "rsc_requested", "rsc_disconnect"])
def test_the_return_pages_are_for_administrators(client, recruiter, name):
    client.force_login(recruiter)
    assert client.get(reverse(f"linkedin:{name}"), {"state": "x", "code": "y"}).status_code == 403


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.post(reverse("linkedin:rsc_connect"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("name", ACTIONS)
def test_actions_are_post_only(admin_client, name):
    assert admin_client.get(reverse(f"linkedin:{name}")).status_code == 405


def test_linkedin_text_is_rendered_inert(admin_client, linkedin_sandbox, admin_user):
    from linkedin.selectors_rsc import connection_get

    connection = connection_get()
    connection.status = RscStatus.CHOOSE_CONTRACT
    connection.admin_member_name = '<script>alert("x")</script>'
    connection.contracts = [{"urn": "urn:li:contract:1", "name": "<img src=x onerror=alert(1)>"}]
    connection.save()
    html = admin_client.get(TAB).content.decode()
    assert_inert(html)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_the_section_reads_one_row(rf, admin_user, django_assert_num_queries):
    from linkedin import admin_rsc

    request = rf.get(TAB)
    request.user = admin_user
    admin_rsc.admin_context(request)  # creates the connection row on first use
    # the connection row (the administrator's roles are cached on the user by then)
    with django_assert_num_queries(1):
        context = admin_rsc.admin_context(request)
    assert context["rsc"].status == RscStatus.NOT_CONNECTED
