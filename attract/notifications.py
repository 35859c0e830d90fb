"""In-app notifications and their emails: written with the change, mailed after commit."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from attract.models import Notification, User
from attract.selectors import organisation_get

log = logging.getLogger(__name__)
TEXT_MAX = Notification._meta.get_field("text").max_length or 300
EMAIL_TEMPLATE = "emails/job_notification.txt"


def job_recruiters(job) -> list[User]:
    """Active users recruiting on the job, delegates included, each once."""
    from jobs.choices import TeamRole

    members = job.team.filter(role=TeamRole.RECRUITER, user__is_active=True).select_related("user")
    return list({m.user_id: m.user for m in members.order_by("id")}.values())


@transaction.atomic
def notify_job_recruiters(*, job, verb: str, text: str, url: str = "") -> list[Notification]:
    """A notification for each recruiter of the job now; an email each once the change commits."""
    text = text if len(text) <= TEXT_MAX else text[: TEXT_MAX - 1] + "…"
    rows = Notification.objects.bulk_create(
        Notification(recipient=user, verb=verb, text=text, url=url, job=job)
        for user in job_recruiters(job)
    )
    if rows:
        transaction.on_commit(lambda: _send_emails(rows))
    return rows


def _send_emails(rows: list[Notification]) -> None:
    """One email per notification; a mail failure is logged and never undoes the change."""
    site = organisation_get().public_site_url.rstrip("/")
    for notification in rows:
        if notification.recipient.email:
            _send_one(notification, site)


def _send_one(notification: Notification, site: str) -> None:
    context = {
        "notification": notification,
        "recipient": notification.recipient,
        "link": f"{site}{notification.url}" if notification.url else "",
    }
    try:
        send_mail(
            subject=notification.text.replace("\n", " "),
            message=render_to_string(EMAIL_TEMPLATE, context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.recipient.email],
            fail_silently=False,
        )
    except Exception:
        log.exception(
            "Notification email %s to user %s failed", notification.verb, notification.recipient_id
        )


# --- Reads and the inbox actions of the signed-in user.


def notifications_of(user: User) -> QuerySet[Notification]:
    """The user's notifications, newest first (index notification_inbox)."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def safe_link(url: str) -> str:
    """Only site-relative paths become links: a stored URL never sends anyone elsewhere."""
    if url.startswith("/") and not url.startswith(("//", "/\\")):
        return url
    return ""
