"""Applying on the career site (SPEC 1 "Career site"): the candidate is found or created by email,
the application lands in the Application stage with source "career site", the documents are
checked by content, the recruiters hear of it after commit, and bad input creates nothing.
"""

import datetime
import logging
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from attract.models import Notification, SecurityRole
from attract.selectors import organisation_get
from candidates.models import (
    Application,
    Candidate,
    CandidateSource,
    Document,
    DocumentKind,
)
from candidates.services.apply import candidate_apply
from jobs import careers
from jobs.choices import StageKind, TeamRole
from jobs.services import job_close, team_delegate_add
from tests.careers.conftest import PNG, docx_bomb, upload
from tests.factories import CandidateFactory, UserFactory
from tests.xss import PAYLOADS, assert_inert

FORM = {
    "first_name": "Nora",
    "last_name": "Berg",
    "email": "Nora.Berg@example.org",
    "phone": "+47 912 34 567",
    "consent": "on",
}


def apply_url(job) -> str:
    return reverse("careers:apply", args=[job.number])


def post(client, job, *, resume=None, cover_letter=None, **fields):
    data = {**FORM, **fields}
    data = {k: v for k, v in data.items() if v is not None}
    data["resume"] = resume if resume is not None else upload()
    if cover_letter is not None:
        data["cover_letter"] = cover_letter
    return client.post(apply_url(job), data)


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def nothing_created() -> bool:
    return not (
        Candidate.objects.exists()
        or Application.objects.exists()
        or Document.objects.exists()
        or Notification.objects.exists()
    )


@pytest.fixture
def job(make_public_job, recruiter, manager, interviewer):
    """A public job: rita recruits (with a delegate, dora), hank manages, ivan interviews."""
    from jobs.services import team_member_add

    job = make_public_job(title="Backend engineer")
    team_member_add(job=job, by=recruiter, user=manager, role=TeamRole.HIRING_MANAGER)
    team_member_add(job=job, by=recruiter, user=interviewer, role=TeamRole.INTERVIEWER)
    return job


@pytest.fixture
def delegate(job, recruiter):
    dora = UserFactory(username="dora", roles=[SecurityRole.RECRUITER])
    team_delegate_add(job=job, by=recruiter, delegate=dora)
    return dora


# --- The form


def test_the_form_asks_for_everything_and_shows_the_privacy_terms(client, job):
    organisation = organisation_get()
    organisation.privacy_notice = "Fjord Health keeps your CV to assess you."
    organisation.retention_days = 365
    organisation.save()

    html = client.get(apply_url(job)).content.decode()

    for label in ("First name", "Last name", "Email", "Phone", "Résumé", "Cover letter"):
        assert label in html
    assert 'type="file" name="resume"' in html and "required" in html
    assert 'enctype="multipart/form-data"' in html
    assert "csrfmiddlewaretoken" in html
    assert "Fjord Health keeps your CV to assess you." in html
    assert "We keep your data for 365 days" in html
    assert 'name="consent"' in html
    assert "PDF, Word (DOCX), OpenDocument (ODT), RTF or plain text; at most 10 MB." in html


def test_the_honeypot_is_hidden_from_people_and_keyboards(client, job):
    html = client.get(apply_url(job)).content.decode()
    start = html.index('<div class="visually-hidden" aria-hidden="true">')
    trap = html[start : html.index("</div>", start)]
    assert 'name="website"' in trap
    assert 'tabindex="-1"' in trap
    assert 'autocomplete="off"' in trap


# --- Applying


def test_a_job_seeker_applies_and_the_recruiters_hear_of_it_after_commit(
    client, job, recruiter, delegate, manager, django_capture_on_commit_callbacks
):
    organisation = organisation_get()
    organisation.retention_days = 100
    organisation.public_site_url = "https://jobs.fjord.example"
    organisation.save()

    # when Nora applies with a résumé and a cover letter
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client, job, cover_letter=upload("letter.txt", b"Dear team,\nHire me.\n", "text/plain")
        )

    # then she sees the confirmation, with nothing personal in its address
    assert response.status_code == 302
    assert response["Location"] == reverse("careers:applied", args=[job.number])
    assert "Thank you for applying" in client.get(response["Location"]).content.decode()

    # and she is a candidate from the career site, with her consent and retention date
    candidate = Candidate.objects.get()
    assert (candidate.first_name, candidate.last_name) == ("Nora", "Berg")
    assert candidate.primary_email == "nora.berg@example.org"
    assert candidate.phones == ["+47 912 34 567"]
    assert candidate.source == CandidateSource.CAREER_SITE
    assert candidate.consent_given_at is not None
    assert organisation.privacy_notice in candidate.consent_text
    assert "We keep your data for 100 days after your last activity." in candidate.consent_text
    assert candidate.retention_until == timezone.localdate() + datetime.timedelta(days=100)

    # on the job, in the Application stage, from the career site, added by nobody
    application = Application.objects.get()
    assert (application.candidate, application.job) == (candidate, job)
    assert application.stage.kind == StageKind.APPLICATION
    assert application.source == CandidateSource.CAREER_SITE
    assert application.created_by is None

    # with both documents tied to the application, checked by content
    documents = {d.kind: d for d in application.documents.all()}
    assert set(documents) == {DocumentKind.RESUME, DocumentKind.COVER_LETTER}
    assert documents[DocumentKind.RESUME].content_type == "application/pdf"
    assert documents[DocumentKind.RESUME].original_name == "cv.pdf"
    assert documents[DocumentKind.COVER_LETTER].content_type == "text/plain"
    assert all(d.candidate == candidate for d in documents.values())

    # the recruiter and her delegate are notified, in the app and by email; nobody else is
    notifications = Notification.objects.order_by("recipient__username")
    assert [n.recipient for n in notifications] == [delegate, recruiter]
    for notification in notifications:
        assert notification.url == reverse("candidates:detail", args=[candidate.pk])
        assert notification.job == job
        assert notification.read_at is None
        assert "Nora Berg applied to" in notification.text
    assert sorted(m.to[0] for m in mail.outbox) == sorted([recruiter.email, delegate.email])
    body = mail.outbox[0].body
    assert f"https://jobs.fjord.example/candidates/{candidate.pk}/" in body
    assert job.number in mail.outbox[0].subject


def test_emails_wait_for_the_commit(client, job, recruiter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post(client, job)
    assert Notification.objects.filter(recipient=recruiter).exists()
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [[recruiter.email]]


def test_a_failing_mail_server_never_breaks_the_application(
    client, job, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("SMTP is down")

    monkeypatch.setattr("attract.notifications.send_mail", refuse)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = post(client, job)
    assert response.status_code == 302
    assert Application.objects.count() == 1
    assert "Notification email application.created" in caplog.text


def test_an_existing_email_applies_as_the_same_candidate(
    client, job, make_public_job, django_capture_on_commit_callbacks
):
    # given Nora is already known, under her address in another case
    known = CandidateFactory(first_name="Nora", last_name="Berg", email="nora.berg@example.org")

    # when she applies
    with django_capture_on_commit_callbacks(execute=True):
        post(client, job, first_name="Nora-Lise")

    # then the application is hers, her consent recorded, her record otherwise left alone
    assert Candidate.objects.count() == 1
    application = Application.objects.get()
    assert application.candidate == known
    known.refresh_from_db()
    assert known.first_name == "Nora"
    assert known.consent_given_at is not None
    assert known.retention_until is not None
    assert known.phones == ["+47 912 34 567"]


def test_a_second_application_to_the_same_job_is_turned_down_politely(
    client, job, make_public_job, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, job)
    mail.outbox.clear()
    before = (Document.objects.count(), Notification.objects.count())

    response = post(client, job, email="  NORA.BERG@example.org ")

    html = response.content.decode()
    assert response.status_code == 200
    assert "You have already applied to this job; we will be in touch." in html
    assert Application.objects.count() == 1
    assert (Document.objects.count(), Notification.objects.count()) == before
    assert mail.outbox == []

    # and the same person may still apply to another job
    other = make_public_job(title="Frontend engineer")
    assert post(client, other).status_code == 302
    assert Application.objects.filter(candidate__emails__email="nora.berg@example.org").count() == 2


# --- Bad input: every error on the form, the values kept, nothing created


REFUSED = {
    "png-named-pdf": (lambda: upload("cv.pdf", PNG), "This file type is not accepted."),
    "over-limit": (lambda: upload("cv.txt", b"x" * 2048), "The file is larger than 1000 bytes"),
    "docx-zip-bomb": (lambda: upload("cv.docx", docx_bomb()), "far more data"),
    "empty": (lambda: upload("cv.pdf", b""), "The submitted file is empty."),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_refused_resume_is_shown_on_the_form_and_nothing_is_created(client, job, settings, case):
    document, message = REFUSED[case]
    if case == "over-limit":
        settings.DOCUMENT_MAX_BYTES = 1000

    response = post(client, job, resume=document())

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors["resume"]
    assert message in html
    # the other values are kept, the file must be chosen again, and the page says so
    assert 'value="Nora"' in html and 'value="Nora.Berg@example.org"' in html
    assert "choose your résumé" in html
    assert 'aria-invalid="true"' in html
    assert nothing_created()
    assert stored_files(settings) == []
    assert mail.outbox == []


def test_a_refused_cover_letter_keeps_the_good_resume_out_of_storage_too(client, job, settings):
    response = post(client, job, cover_letter=upload("letter.pdf", PNG))
    assert response.status_code == 200
    assert "This file type is not accepted." in str(response.context["form"].errors["cover_letter"])
    assert nothing_created()
    assert stored_files(settings) == []


def test_every_missing_field_is_named_with_the_others_kept(client, job):
    response = client.post(apply_url(job), {"first_name": "Nora", "email": "not-an-email"})
    errors = response.context["form"].errors
    assert response.status_code == 200
    assert set(errors) == {"last_name", "email", "phone", "resume", "consent"}
    html = response.content.decode()
    assert 'value="Nora"' in html
    assert "Enter a valid email address." in html
    assert "Please agree to how we handle your data" in html
    assert nothing_created()


def test_the_service_refuses_without_consent_and_names_the_field(job):
    with pytest.raises(ValidationError) as refused:
        candidate_apply(
            job=job, first_name="Nora", last_name="Berg", email="nora@example.org",
            phone="123456", resume=upload(), consent=False,
        )  # fmt: skip
    assert "consent" in refused.value.error_dict
    assert nothing_created()


def test_a_failure_after_the_documents_are_stored_leaves_no_row_and_no_file(
    job, settings, monkeypatch
):
    # given the last step of the apply fails (after the candidate, application and files)
    def broken(**kwargs):
        raise RuntimeError("notification store down")

    monkeypatch.setattr("candidates.services.apply.notify_job_recruiters", broken)

    with pytest.raises(RuntimeError):
        candidate_apply(
            job=job, first_name="Nora", last_name="Berg", email="nora@example.org",
            phone="123456", resume=upload(), cover_letter=upload("letter.pdf"), consent=True,
        )  # fmt: skip

    assert nothing_created()
    assert stored_files(settings) == []


def test_the_service_refuses_a_job_that_closed_meanwhile(job, recruiter):
    job_close(job=job, by=recruiter, reason="cancelled")
    with pytest.raises(ValidationError) as refused:
        candidate_apply(
            job=job, first_name="Nora", last_name="Berg", email="nora@example.org",
            phone="123456", resume=upload(), consent=True,
        )  # fmt: skip
    assert refused.value.code == "job_not_public"
    assert nothing_created()


@pytest.mark.parametrize("kind", ["draft", "closed", "internal"])
def test_applying_to_a_job_that_is_not_public_answers_404(
    client, make_job, make_public_job, recruiter, kind
):
    if kind == "draft":
        job = make_job()
    elif kind == "internal":
        job = make_public_job(internal_only=True)
    else:
        job = job_close(job=make_public_job(), by=recruiter, reason="cancelled")
    assert client.get(apply_url(job)).status_code == 404
    assert post(client, job).status_code == 404
    assert nothing_created()


# --- Spam


def test_a_filled_honeypot_looks_accepted_but_creates_nothing(
    client, job, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, job, website="https://spam.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("careers:applied", args=[job.number])
    assert nothing_created()
    assert mail.outbox == []


def test_applications_from_one_address_are_limited(client, job, monkeypatch):
    monkeypatch.setattr(careers, "APPLY_RATE", careers.ratelimit.Rate(limit=3, seconds=3600))

    statuses = [post(client, job, email=f"person{i}@example.org").status_code for i in range(3)]
    refused = post(client, job, email="person9@example.org")

    assert statuses == [302, 302, 302]
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Please wait a moment" in refused.content.decode()
    assert Application.objects.count() == 3
    # another address is still welcome, and so is reading the form
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert post(other, job, email="someone@example.org").status_code == 302
    assert client.get(apply_url(job)).status_code == 200


def test_the_form_needs_its_csrf_token(job):
    client = Client(enforce_csrf_checks=True)
    assert post(client, job).status_code == 403
    assert nothing_created()


# --- Untrusted text stays text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_typed_into_the_form_come_back_inert(client, job, payload):
    response = post(client, job, first_name=payload, phone="", resume=upload("x.pdf", PNG))
    assert response.status_code == 200
    assert_inert(response.content.decode())


def test_the_confirmation_carries_no_personal_data(client, job, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, job)
    page = client.get(response["Location"]).content.decode()
    assert "nora" not in response["Location"].lower()
    assert "Nora" not in page
    assert "Backend engineer" in page
