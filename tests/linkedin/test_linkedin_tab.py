"""The candidate's LinkedIn tab: the linked member, InMail history and Recruiter notes."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils.html import escape

from attract.models import SecurityRole
from linkedin.models_prospects import InMailEvent, ProspectNote
from linkedin.models_rsc import RecruiterSeat
from tests.factories import CandidateFactory, UserFactory
from tests.xss import PAYLOADS, assert_inert

pytestmark = pytest.mark.django_db

MEMBER_URN = "urn:li:person:eBakker03"
RITA_SEAT = "urn:li:seat:900003"
HANK_SEAT = "urn:li:seat:900004"
WHEN = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def url(candidate_pk: int) -> str:
    return reverse("candidates:linkedin", args=[candidate_pk])


@pytest.fixture
def linked(application, recruiter, manager):
    """The applicant is a linked member; rita and hank hold Recruiter seats."""
    candidate = application.candidate
    candidate.linkedin_member_urn = MEMBER_URN
    candidate.linkedin_url = "https://www.linkedin.com/in/emma-bakker"
    candidate.current_title = "Backend engineer"
    candidate.save()
    RecruiterSeat.objects.create(
        seat_urn=RITA_SEAT, contract_urn="urn:li:contract:1", user=recruiter
    )
    RecruiterSeat.objects.create(seat_urn=HANK_SEAT, contract_urn="urn:li:contract:1", user=manager)
    return candidate


def inmail(seat: str, n: int, subject: str = "", body: str = "") -> InMailEvent:
    return InMailEvent.objects.create(
        event_id=f"{seat}-{n}",
        seat_urn=seat,
        member_urn=MEMBER_URN,
        direction="SENT",
        conversation=f"urn:li:conversation:{seat}",
        subject=subject or f"Subject {seat[-1]}{n}",
        body=body or f"Body {seat[-1]}{n}",
        occurred_at=WHEN + timedelta(minutes=n),
    )


def note(seat: str, n: int, visibility: str, text: str = "") -> ProspectNote:
    return ProspectNote.objects.create(
        note_id=f"note-{seat}-{n}",
        seat_urn=seat,
        member_urn=MEMBER_URN,
        text=text or f"Note {seat[-1]}{n} {visibility}",
        visibility=visibility,
        updated_at=WHEN + timedelta(minutes=n),
    )


def test_a_linked_candidate_shows_the_profile_card(client, recruiter, linked):
    client.force_login(recruiter)
    html = client.get(url(linked.pk)).content.decode()
    assert 'data-testid="linkedin-card"' in html
    assert "Backend engineer" in html
    assert 'href="https://www.linkedin.com/in/emma-bakker"' in html
    assert "No InMails with this person yet." in html


def test_an_unlinked_candidate_says_no_match_found(client, recruiter, application):
    client.force_login(recruiter)
    html = client.get(url(application.candidate_id)).content.decode()
    assert "No match found" in html
    assert "InMail history" not in html


def test_inmail_bodies_only_for_the_viewers_own_conversations(client, recruiter, manager, linked):
    inmail(RITA_SEAT, 1, "Rita subject", "Rita body")
    inmail(HANK_SEAT, 2, "Hank subject", "Hank body")
    client.force_login(recruiter)
    html = client.get(url(linked.pk)).content.decode()
    assert str(recruiter) in html and str(manager) in html  # who exchanged InMails
    assert "2 Nov 2026" in html
    assert "Rita subject" in html and "Rita body" in html
    assert "Hank subject" not in html and "Hank body" not in html
    assert "Not your conversation" in html
    client.force_login(manager)
    html = client.get(url(linked.pk)).content.decode()
    assert "Hank body" in html and "Rita body" not in html


def test_notes_public_and_the_viewers_own_private_ones(client, recruiter, manager, linked):
    note(RITA_SEAT, 1, "PUBLIC")
    note(RITA_SEAT, 2, "PRIVATE")
    note(HANK_SEAT, 3, "PRIVATE")
    client.force_login(recruiter)
    html = client.get(url(linked.pk)).content.decode()
    assert "Note 31 PUBLIC" in html and "Note 32 PRIVATE" in html
    assert "Note 43 PRIVATE" not in html
    client.force_login(manager)
    html = client.get(url(linked.pk)).content.decode()
    assert "Note 31 PUBLIC" in html and "Note 43 PRIVATE" in html
    assert "Note 32 PRIVATE" not in html


def test_an_interviewer_on_no_team_of_theirs_gets_404(client, linked):
    inmail(RITA_SEAT, 1)
    client.force_login(UserFactory(username="ian", roles=[SecurityRole.INTERVIEWER]))
    assert client.get(url(linked.pk)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, linked):
    assert client.get(url(linked.pk)).status_code == 302


@pytest.mark.parametrize("payload", PAYLOADS)
def test_linkedin_text_is_rendered_inert(client, recruiter, linked, payload):
    inmail(RITA_SEAT, 1, payload[:400], payload)
    note(RITA_SEAT, 2, "PUBLIC", payload)
    client.force_login(recruiter)
    html = client.get(url(linked.pk)).content.decode()
    assert_inert(html)
    assert escape(payload) in html


@pytest.mark.parametrize("rows", [3, 6])
def test_the_tab_query_count_is_flat(client, recruiter, linked, rows, django_assert_num_queries):
    for n in range(rows):
        inmail(RITA_SEAT if n % 2 else HANK_SEAT, n)
        note(RITA_SEAT if n % 2 else HANK_SEAT, n, "PUBLIC")
    client.force_login(recruiter)
    # session, user, roles, candidate (visibility scoped), the viewer's own seats with their
    # LinkedIn connection (who may act in Recruiter), InMail events, notes (public or the
    # viewer's own seats), seats with their users; then base.html: organisation (get, and its
    # first-use create: savepoint, insert, release), unread notifications.
    with django_assert_num_queries(13):
        response = client.get(url(linked.pk))
    assert response.status_code == 200


# --- Link and unlink ----------------------------------------------------------------------------


def link_url(name: str, candidate_pk: int) -> str:
    return reverse(f"linkedin:{name}", args=[candidate_pk])


def test_link_and_unlink_without_linkedin_connected(client, recruiter, application):
    candidate = application.candidate
    client.force_login(recruiter)
    response = client.post(link_url("candidate_link", candidate.pk), {"member_urn": MEMBER_URN})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.linkedin_member_urn == MEMBER_URN
    html = client.get(url(candidate.pk)).content.decode()
    assert "LinkedIn was not told" in html and "Unlink from LinkedIn" in html
    client.post(link_url("candidate_unlink", candidate.pk))
    candidate.refresh_from_db()
    assert candidate.linkedin_member_urn == ""


@pytest.mark.parametrize("bad", ["", "someone", "urn:li:person:", "urn:li:person:" + "x" * 100])
def test_a_bad_member_is_refused(client, recruiter, application, bad):
    client.force_login(recruiter)
    client.post(link_url("candidate_link", application.candidate_id), {"member_urn": bad})
    application.candidate.refresh_from_db()
    assert application.candidate.linkedin_member_urn == ""


def test_a_member_linked_to_another_candidate_is_refused(client, recruiter, application):
    CandidateFactory(linkedin_member_urn=MEMBER_URN)
    client.force_login(recruiter)
    response = client.post(
        link_url("candidate_link", application.candidate_id),
        {"member_urn": MEMBER_URN},
        follow=True,
    )
    assert "Another candidate is linked to this member." in response.content.decode()
    application.candidate.refresh_from_db()
    assert application.candidate.linkedin_member_urn == ""


def test_an_interviewer_may_see_but_not_link(client, interviewer, application):
    client.force_login(interviewer)
    html = client.get(url(application.candidate_id)).content.decode()
    assert "Unlink" not in html
    response = client.post(
        link_url("candidate_link", application.candidate_id), {"member_urn": MEMBER_URN}
    )
    assert response.status_code == 403
    application.candidate.refresh_from_db()
    assert application.candidate.linkedin_member_urn == ""


def test_an_outsider_cannot_link_a_candidate_they_cannot_see(client, linked):
    client.force_login(UserFactory(username="ian", roles=[SecurityRole.INTERVIEWER]))
    assert client.post(link_url("candidate_unlink", linked.pk)).status_code == 404
    linked.refresh_from_db()
    assert linked.linkedin_member_urn == MEMBER_URN


def test_link_needs_post(client, recruiter, application):
    client.force_login(recruiter)
    assert client.get(link_url("candidate_link", application.candidate_id)).status_code == 405
