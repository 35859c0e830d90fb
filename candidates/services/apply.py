"""The career site's apply: candidate, application and documents in one transaction."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from attract.models import Organisation
from attract.notifications import notify_job_recruiters
from attract.selectors import organisation_get
from candidates import events
from candidates.documents import check_document
from candidates.models import Application, Candidate, CandidateSource, DocumentKind
from candidates.services.applications import application_create
from candidates.services.candidates import MAX_PHONES, candidate_create, normalise_email
from candidates.services.documents import document_add
from jobs.models import Job

DUPLICATE_MESSAGE = "You have already applied to this job; we will be in touch."
NAME_MAX = Candidate._meta.get_field("first_name").max_length or 100
PHONE_MAX = 40


def retention_sentence(organisation: Organisation) -> str:
    days = organisation.retention_days
    return f"We keep your data for {days} day{'s' if days != 1 else ''} after your last activity."


def consent_text(organisation: Organisation) -> str:
    """What the applicant agreed to: the privacy notice and the retention period, as shown."""
    notice = organisation.privacy_notice.strip()
    return f"{notice}\n\n{retention_sentence(organisation)}".strip()


def apply_documents_check(
    *, resume: UploadedFile | None, cover_letter: UploadedFile | None = None
) -> None:
    """Check both uploads by content and size; one ValidationError names each refused file."""
    errors: dict[str, ValidationError] = {}
    for field, upload in (("resume", resume), ("cover_letter", cover_letter)):
        if upload is None:
            continue
        try:
            check_document(upload, max_bytes=settings.DOCUMENT_MAX_BYTES)
        except ValidationError as exc:
            errors[field] = exc
    if errors:
        raise ValidationError(errors)


def candidate_apply(
    *,
    job: Job,
    first_name: str,
    last_name: str,
    email: str,
    phone: str,
    resume: UploadedFile,
    cover_letter: UploadedFile | None = None,
    consent: bool,
) -> Application:
    """A job seeker applies on the career site; the job's recruiters are notified (in the app
    with the application, by email once it commits)."""
    _validate_person(first_name, last_name, phone, consent)
    address = normalise_email(email)
    apply_documents_check(resume=resume, cover_letter=cover_letter)
    stored: list[str] = []
    try:
        return _apply(
            job=job,
            names=(first_name.strip(), last_name.strip()),
            email=address,
            phones=[phone.strip()],
            uploads=[(DocumentKind.RESUME, resume), (DocumentKind.COVER_LETTER, cover_letter)],
            stored=stored,
        )
    except BaseException:
        _delete_files(stored)  # the rows rolled back; their files go too
        raise


def _validate_person(first_name: str, last_name: str, phone: str, consent: bool) -> None:
    errors = {}
    limits = (("first_name", first_name, NAME_MAX), ("last_name", last_name, NAME_MAX))
    for field, value, limit in (*limits, ("phone", phone, PHONE_MAX)):
        if not (value or "").strip():
            errors[field] = ValidationError("This field is required.", code="required")
        elif len(value.strip()) > limit:
            errors[field] = ValidationError(f"At most {limit} characters.", code="max_length")
    if not consent:
        errors["consent"] = ValidationError(
            "Please agree to how we handle your data: we cannot consider you without it.",
            code="consent_required",
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def _apply(
    *,
    job: Job,
    names: tuple[str, str],
    email: str,
    phones: list[str],
    uploads: list[tuple[str, UploadedFile | None]],
    stored: list[str],
) -> Application:
    job = _lock_public(job)
    organisation = organisation_get()
    candidate = Candidate.objects.filter(emails__email=email).first()
    if candidate is not None and Application.objects.filter(candidate=candidate, job=job).exists():
        raise ValidationError(DUPLICATE_MESSAGE, code="duplicate_application")
    candidate = _candidate(candidate, organisation, names=names, email=email, phones=phones)
    application = application_create(
        candidate=candidate, job=job, by=None, source=CandidateSource.CAREER_SITE
    )
    for kind, upload in uploads:
        if upload is not None:
            document = document_add(
                candidate=candidate, by=None, upload=upload, kind=kind, application=application
            )
            stored.append(document.file.name)
    notify_job_recruiters(
        job=job,
        verb="application.created",
        text=f"{candidate.full_name} applied to {job.number} {job.title} on the career site.",
        url=reverse("candidates:detail", args=[candidate.pk]),
    )
    return application


def _lock_public(job: Job) -> Job:
    """The job's row, locked so one person's two quick submits cannot both get through."""
    from jobs.public import public_jobs

    locked = public_jobs().select_for_update().filter(pk=job.pk).first()
    if locked is None:
        raise ValidationError("This job no longer takes applications.", code="job_not_public")
    return locked


@dataclass(frozen=True)
class _Consent:
    given_at: datetime.datetime
    text: str
    retention_until: datetime.date


def _candidate(
    candidate: Candidate | None,
    organisation: Organisation,
    *,
    names: tuple[str, str],
    email: str,
    phones: list[str],
) -> Candidate:
    now = timezone.now()
    retention = datetime.timedelta(days=organisation.retention_days)
    consent = _Consent(now, consent_text(organisation), timezone.localdate(now) + retention)
    if candidate is not None:
        return _record_consent(candidate, consent, phones=phones)
    created, _ = candidate_create(
        by=None,
        first_name=names[0],
        last_name=names[1],
        email=email,
        phones=phones,
        source=CandidateSource.CAREER_SITE,
        consent_given_at=consent.given_at,
        consent_text=consent.text,
        retention_until=consent.retention_until,
    )
    return created


def _record_consent(candidate: Candidate, consent: _Consent, *, phones: list[str]) -> Candidate:
    """A known person applies again: their new consent, a longer retention, their phone."""
    candidate.consent_given_at, candidate.consent_text = consent.given_at, consent.text
    if candidate.retention_until is None or candidate.retention_until < consent.retention_until:
        candidate.retention_until = consent.retention_until
    candidate.phones = list(dict.fromkeys([*candidate.phones, *phones]))[:MAX_PHONES]
    fields = ["consent_given_at", "consent_text", "retention_until", "phones"]
    candidate.save(update_fields=[*fields, "updated_at"])
    events.candidate_updated(candidate=candidate, by=None, fields=fields)
    return candidate


def _delete_files(names: list[str]) -> None:
    from candidates.models import Document

    storage = Document._meta.get_field("file").storage
    for name in names:
        storage.delete(name)
