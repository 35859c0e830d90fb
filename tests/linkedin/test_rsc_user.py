"""User settings → Connections: a user connects their own LinkedIn account and Recruiter seat."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection as db
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from attract.models import Event
from linkedin.models_rsc import LinkedInAccount, OAuthState, RecruiterSeat
from tests.factories import UserFactory
from tests.linkedin.test_rsc_views import OnLinkedIn, connect_partner_ready, linkedin_url, local

PAGE = reverse("settings:connections")
INGRID = "ingrid.haugen@nordlys.example"


@pytest.fixture(autouse=True)
def _own_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": uuid.uuid4().hex,
        }
    }


@pytest.fixture
def rsc(admin_user, linkedin_sandbox):
    """The organisation's Recruiter System Connect, enabled at contract level by ada."""
    admin = Client()
    admin.force_login(admin_user)
    connect_partner_ready(admin, linkedin_sandbox)
    linkedin_sandbox.enable_integration(deliver=False)
    admin.post(reverse("linkedin:rsc_refresh"))
    return linkedin_sandbox


@pytest.fixture
def rita(client, recruiter):
    client.force_login(recruiter)
    return client


def start(client) -> str:
    return linkedin_url(client.post(reverse("linkedin:account_connect")))


def test_a_recruiter_connects_and_their_seat_is_linked(rita, recruiter, rsc):
    assert "Connect LinkedIn" in rita.get(PAGE).content.decode()
    authorize = start(rita)
    # the customer application, not the partner one, asks the member
    child = next(a for a in rsc.state()["application"] if a["parent"])
    assert f"client_id={child['clientId']}" in authorize
    back = OnLinkedIn(rsc, INGRID).allow(authorize)
    response = rita.get(local(back), follow=True)
    html = response.content.decode()
    assert "Your LinkedIn account (Ingrid Haugen) is connected." in html
    assert "urn:li:seat:900003" in html and "attributed to you" in html
    account = LinkedInAccount.objects.get(user=recruiter)
    assert account.member_urn == "urn:li:person:iHaugen02"
    assert account.access_token and account.access_token not in html
    seat = RecruiterSeat.objects.get(user=recruiter)
    assert (seat.seat_urn, seat.contract_urn) == ("urn:li:seat:900003", rsc.contract)
    # every seat of the contract is known, only Ingrid's is attributed
    assert RecruiterSeat.objects.count() == 3
    assert Event.objects.filter(type="linkedin.account_connected").count() == 1


def test_the_token_is_stored_encrypted(rita, recruiter, rsc):
    rita.get(local(OnLinkedIn(rsc, INGRID).allow(start(rita))))
    token = LinkedInAccount.objects.get().access_token
    with db.cursor() as cursor:
        cursor.execute("SELECT access_token FROM linkedin_linkedinaccount")
        stored = cursor.fetchone()[0]
    assert token not in stored and stored.startswith("gAAAA")


def test_a_member_without_a_seat_is_connected_without_attribution(rita, recruiter, rsc):
    back = OnLinkedIn(rsc, "kenji.nakamura@mail.example").allow(start(rita))
    html = rita.get(local(back), follow=True).content.decode()
    assert "No LinkedIn Recruiter seat" in html
    assert LinkedInAccount.objects.filter(user=recruiter).exists()
    assert not RecruiterSeat.objects.filter(user=recruiter).exists()


def test_a_replayed_state_is_refused_and_nothing_is_stored(rita, recruiter, rsc):
    back = OnLinkedIn(rsc, INGRID).allow(start(rita))
    rita.get(local(back))
    rita.post(reverse("linkedin:account_disconnect"))
    # when the same return link is opened again
    html = rita.get(local(back), follow=True).content.decode()
    # then
    assert "already used. Nothing was saved." in html
    assert not LinkedInAccount.objects.exists()
    assert not RecruiterSeat.objects.filter(user=recruiter).exists()


def test_a_state_of_another_user_is_refused(rita, manager, rsc, client):
    back = OnLinkedIn(rsc, INGRID).allow(start(rita))
    hank = Client()
    hank.force_login(manager)
    html = hank.get(local(back), follow=True).content.decode()
    assert "not started from your session" in html
    assert not LinkedInAccount.objects.exists()
    # rita's own sign-in is untouched and still works
    assert rita.get(local(back)).status_code == 302
    assert LinkedInAccount.objects.get().user.username == "rita"


def test_a_state_from_another_session_is_refused(recruiter, rsc):
    first, second = Client(), Client()
    first.force_login(recruiter)
    second.force_login(recruiter)
    back = OnLinkedIn(rsc, INGRID).allow(start(first))
    html = second.get(local(back), follow=True).content.decode()
    assert "another browser session" in html
    assert not LinkedInAccount.objects.exists()


def test_a_forged_state_is_refused(rita, rsc):
    forged = {"code": "x", "state": "forged"}
    html = rita.get(reverse("linkedin:oauth_callback"), forged, follow=True).content.decode()
    assert "not started from your session" in html
    assert not LinkedInAccount.objects.exists()


def test_an_old_state_is_refused(rita, rsc):
    back = OnLinkedIn(rsc, INGRID).allow(start(rita))
    OAuthState.objects.update(created_at=timezone.now() - timedelta(minutes=20))
    html = rita.get(local(back), follow=True).content.decode()
    assert "expired" in html
    assert not LinkedInAccount.objects.exists()


def test_one_linkedin_member_connects_to_one_user(rita, manager, rsc):
    rita.get(local(OnLinkedIn(rsc, INGRID).allow(start(rita))))
    hank = Client()
    hank.force_login(manager)
    html = hank.get(local(OnLinkedIn(rsc, INGRID).allow(start(hank))), follow=True)
    assert "already connected to another Attract user" in html.content.decode()
    assert LinkedInAccount.objects.get().user.username == "rita"


def test_disconnect_removes_the_token_and_the_seat_link(rita, recruiter, rsc):
    rita.get(local(OnLinkedIn(rsc, INGRID).allow(start(rita))))
    response = rita.post(reverse("linkedin:account_disconnect"), follow=True)
    assert "its token is deleted" in response.content.decode()
    assert not LinkedInAccount.objects.exists()
    assert RecruiterSeat.objects.get(seat_urn="urn:li:seat:900003").user is None
    assert Event.objects.filter(type="linkedin.account_disconnected").count() == 1
    assert "Connect LinkedIn" in rita.get(PAGE).content.decode()


def test_nothing_to_connect_before_the_administrator_did(rita, linkedin_sandbox):
    html = rita.get(PAGE).content.decode()
    assert "has not connected LinkedIn Recruiter yet" in html
    response = rita.post(reverse("linkedin:account_connect"), follow=True)
    assert "ask an administrator" in response.content.decode()
    assert not OAuthState.objects.exists()


def test_a_user_without_a_role_may_not_connect(client, rsc):
    nobody = UserFactory(username="nora", roles=[])
    client.force_login(nobody)
    assert client.post(reverse("linkedin:account_connect")).status_code == 403
    assert not OAuthState.objects.filter(user=nobody).exists()


def test_the_pages_need_a_sign_in(client):
    assert "/accounts/login/" in client.get(PAGE).url
    assert "/accounts/login/" in client.post(reverse("linkedin:account_connect")).url
    assert "/accounts/login/" in client.get(reverse("linkedin:oauth_callback")).url


def test_connect_and_disconnect_are_post_only(rita):
    assert rita.get(reverse("linkedin:account_connect")).status_code == 405
    assert rita.get(reverse("linkedin:account_disconnect")).status_code == 405


def test_the_connections_page_query_count(rita, recruiter, rsc, django_assert_num_queries):
    rita.get(local(OnLinkedIn(rsc, INGRID).allow(start(rita))))
    # session, user, the LinkedIn account, the linked seat, whether RSC is live, the
    # organisation (context processor), the user's roles (menu), unread notifications (menu)
    with django_assert_num_queries(8):
        html = rita.get(PAGE).content.decode()
    assert "Ingrid Haugen" in html


def test_member_names_are_rendered_inert(rita, recruiter):
    LinkedInAccount.objects.create(
        user=recruiter, member_urn="urn:li:person:x", member_name="<script>alert('xss')</script>"
    )
    html = rita.get(PAGE).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in html
