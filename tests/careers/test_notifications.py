"""In-app notifications: who gets them, the inbox page, "mark all read" and the count in the
navigation. rita recruits on `job`, hank manages it, ivan interviews, otto is on no team.
"""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from attract.models import Notification, SecurityRole
from attract.notifications import job_recruiters, notify_job_recruiters
from jobs.choices import TeamRole
from jobs.services import team_delegate_add, team_member_add
from tests.factories import UserFactory
from tests.xss import PAYLOADS, assert_inert

LIST = reverse("notifications:list")
MARK_ALL = reverse("notifications:mark_all_read")


def note(user, text="Something happened", url="/candidates/1/", read=False, job=None):
    return Notification.objects.create(
        recipient=user,
        verb="test",
        text=text,
        url=url,
        job=job,
        read_at=timezone.now() if read else None,
    )


# --- Who is notified


def test_the_recruiters_and_their_delegates_are_notified_and_nobody_else(
    job, recruiter, manager, outsider, django_capture_on_commit_callbacks
):
    # given a second recruiter, a delegate of rita and a recruiter who left
    second = UserFactory(username="sam", roles=[SecurityRole.RECRUITER])
    team_member_add(job=job, by=recruiter, user=second, role=TeamRole.RECRUITER)
    dora = UserFactory(username="dora", roles=[SecurityRole.RECRUITER])
    team_delegate_add(job=job, by=recruiter, delegate=dora)
    gone = UserFactory(username="gone", roles=[SecurityRole.RECRUITER])
    team_member_add(job=job, by=recruiter, user=gone, role=TeamRole.RECRUITER)
    gone.is_active = False
    gone.save()

    with django_capture_on_commit_callbacks(execute=True):
        rows = notify_job_recruiters(job=job, verb="test", text="Hello", url="/candidates/1/")

    assert {r.recipient.username for r in rows} == {"rita", "sam", "dora"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [recruiter.email, second.email, dora.email]
    )
    assert set(job_recruiters(job)) == {recruiter, second, dora}


def test_a_recruiter_without_email_is_notified_in_the_app_only(
    job, recruiter, django_capture_on_commit_callbacks
):
    recruiter.email = ""
    recruiter.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify_job_recruiters(job=job, verb="test", text="Hello")
    assert Notification.objects.filter(recipient=recruiter).count() == 1
    assert mail.outbox == []


def test_a_long_text_is_shortened_to_fit(job, recruiter):
    (row,) = notify_job_recruiters(job=job, verb="test", text="x" * 500)
    assert len(row.text) == 300
    assert row.text.endswith("…")


# --- The inbox


def test_the_inbox_needs_a_signed_in_user(client, db):
    response = client.get(LIST)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert client.post(MARK_ALL).status_code == 302


def test_the_inbox_lists_my_notifications_newest_first_unread_highlighted(
    client, recruiter, manager
):
    old = note(recruiter, "Old news", read=True)
    new = note(recruiter, "Fresh news")
    note(manager, "Not for rita")
    client.force_login(recruiter)

    response = client.get(LIST)

    html = response.content.decode()
    assert [n.pk for n, _ in response.context["rows"]] == [new.pk, old.pk]
    assert "Not for rita" not in html
    fresh = html[html.index("Fresh news") - 400 : html.index("Fresh news")]
    assert "list-group-item-primary" in fresh and ">New</span>" in fresh
    stale = html[html.index("Old news") - 300 : html.index("Old news")]
    assert "list-group-item-primary" not in stale
    assert '<a href="/candidates/1/">Fresh news</a>' in html


def test_a_stored_url_leading_elsewhere_is_not_a_link(client, recruiter):
    note(recruiter, "Offsite", url="https://evil.example/")
    note(recruiter, "Script", url="javascript:alert(1)")
    note(recruiter, "Protocol-relative", url="//evil.example/")
    client.force_login(recruiter)
    html = client.get(LIST).content.decode()
    assert "evil.example" not in html
    assert "javascript:" not in html
    assert "Offsite" in html and "Script" in html


def test_mark_all_read_marks_only_mine(client, recruiter, manager):
    mine = [note(recruiter), note(recruiter)]
    theirs = note(manager)
    client.force_login(recruiter)

    response = client.post(MARK_ALL, follow=True)

    assert response.redirect_chain == [(LIST, 302)]
    assert "2 notifications marked read." in response.content.decode()
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_mark_all_read_is_a_post(client, recruiter):
    note(recruiter)
    client.force_login(recruiter)
    assert client.get(MARK_ALL).status_code == 405
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_the_navigation_shows_my_unread_count(client, recruiter, manager):
    note(recruiter)
    note(recruiter)
    note(recruiter, read=True)
    note(manager)
    client.force_login(recruiter)

    html = client.get(reverse("dashboard")).content.decode()

    assert f'href="{LIST}">Notifications (2)</a>' in html
    client.post(MARK_ALL)
    assert f'href="{LIST}" aria-current="page">Notifications (0)</a>' in (
        client.get(LIST).content.decode()
    )


def test_the_unread_count_is_one_query_and_only_for_signed_in_users(
    client, recruiter, django_assert_num_queries
):
    from django.test import RequestFactory

    from attract.context_processors import organisation

    request = RequestFactory().get("/")
    request.user = recruiter
    context = organisation(request)
    with django_assert_num_queries(1):
        assert context["unread_notifications"]() == 0
        assert context["unread_notifications"]() == 0  # asked twice, counted once
    anonymous = RequestFactory().get("/")
    anonymous.user = type("Anonymous", (), {"is_authenticated": False})()
    assert "unread_notifications" not in organisation(anonymous)


@pytest.mark.parametrize("rows", [3, 12])
def test_the_inbox_query_count_is_pinned(client, recruiter, django_assert_num_queries, rows):
    for i in range(rows):
        note(recruiter, f"Notice {i}", read=i % 2 == 0)
    client.force_login(recruiter)
    client.get(LIST)  # the organisation row exists from here on
    # 1 session, 2 user, 3 the user's security roles (navigation), 4 organisation,
    # 5 count of my notifications (pages), 6 the page of notifications, 7 unread count (nav).
    with django_assert_num_queries(7):
        response = client.get(LIST)
    assert len(response.context["rows"]) == rows


@pytest.mark.parametrize("payload", PAYLOADS)
def test_notification_text_renders_inert(client, recruiter, payload):
    note(recruiter, text=payload)
    client.force_login(recruiter)
    assert_inert(client.get(LIST).content.decode())
