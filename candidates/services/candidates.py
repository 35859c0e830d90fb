"""Writes on candidate records: create with de-duplication, update, merge, erase."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from attract.access import can_use_pools, is_admin
from attract.errors import field_error
from attract.models import User
from candidates import events
from candidates.models import (
    Application,
    Candidate,
    CandidateEmail,
    CandidateSource,
    Document,
    Tag,
)
from candidates.tasks import enqueue_search_refresh
from linkedin import outbox

CANDIDATE_FIELDS = frozenset(
    {
        "first_name",
        "last_name",
        "city",
        "region",
        "country",
        "current_company",
        "current_title",
        "linkedin_url",
        "linkedin_member_urn",
        "consent_given_at",
        "consent_text",
        "retention_until",
    }
)
MAX_PHONES = 10


def normalise_email(email: str) -> str:
    """Trimmed, lower-case, validated email; raises ValidationError."""
    value = (email or "").strip().lower()
    if len(value) > 254:
        raise ValidationError({"email": "An email address has at most 254 characters."})
    try:
        validate_email(value)
    except ValidationError as exc:
        raise ValidationError({"email": f"{email!r} is not a valid email address."}) from exc
    return value


def candidate_find_by_email(email: str) -> Candidate | None:
    try:
        value = normalise_email(email)
    except ValidationError:
        return None
    return Candidate.objects.filter(emails__email=value).first()


def require_can_add_candidates(by: User | None) -> None:
    """`by` None is the system (career site, LinkedIn sync)."""
    if by is not None and not (is_admin(by) or can_use_pools(by)):
        raise PermissionDenied(
            "Only recruiters, hiring managers and administrators add candidates."
        )


def _clean_phones(phones: Iterable[str]) -> list[str]:
    cleaned = [p.strip() for p in phones if p and p.strip()]
    if len(cleaned) > MAX_PHONES or any(len(p) > 40 for p in cleaned):
        raise ValidationError({"phones": f"At most {MAX_PHONES} phone numbers of 40 characters."})
    return list(dict.fromkeys(cleaned))


@transaction.atomic
def candidate_create(
    *,
    by: User | None,
    first_name: str,
    last_name: str,
    email: str = "",
    phones: Iterable[str] = (),
    source: str = CandidateSource.MANUAL,
    tags: Iterable[str] = (),
    **fields: Any,
) -> tuple[Candidate, bool]:
    """Find the person by email or create them; returns (candidate, created)."""
    require_can_add_candidates(by)
    normalised = normalise_email(email) if email else ""
    if normalised:
        existing = Candidate.objects.filter(emails__email=normalised).first()
        if existing is not None:
            return existing, False
    if source not in CandidateSource.values:
        raise ValidationError({"source": f"Unknown source {source!r}."})
    unknown = set(fields) - CANDIDATE_FIELDS
    if unknown:
        raise ValidationError(f"Unknown candidate fields: {', '.join(sorted(unknown))}.")
    candidate = Candidate(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        phones=_clean_phones(phones),
        source=source,
        created_by=by,
        **fields,
    )
    candidate.full_clean()
    candidate.save()
    if normalised:
        CandidateEmail.objects.create(candidate=candidate, email=normalised, is_primary=True)
    _set_tags(candidate, tags)
    events.candidate_created(candidate=candidate, by=by)
    enqueue_search_refresh(candidate.pk)
    return candidate, True


def _set_tags(candidate: Candidate, names: Iterable[str]) -> None:
    tags = []
    for name in dict.fromkeys(n.strip() for n in names if n and n.strip()):
        if len(name) > 50:
            raise ValidationError({"tags": "A tag has at most 50 characters."})
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
        tags.append(tag)
    candidate.tags.add(*tags)


@transaction.atomic
def candidate_update(
    *,
    candidate: Candidate,
    by: User,
    phones: Iterable[str] | None = None,
    tags: Iterable[str] | None = None,
    **fields: Any,
) -> Candidate:
    """Edit contact and profile fields, phones and tags."""
    require_can_add_candidates(by)
    unknown = set(fields) - CANDIDATE_FIELDS
    if unknown:
        raise ValidationError(f"Unknown candidate fields: {', '.join(sorted(unknown))}.")
    changed = [k for k, v in fields.items() if getattr(candidate, k) != v]
    for key in changed:
        setattr(candidate, key, fields[key])
    if phones is not None:
        candidate.phones = _clean_phones(phones)
        changed.append("phones")
    candidate.full_clean()
    candidate.save()
    if tags is not None:
        candidate.tags.clear()
        _set_tags(candidate, tags)
        changed.append("tags")
    if changed:
        events.candidate_updated(candidate=candidate, by=by, fields=sorted(changed))
        enqueue_search_refresh(candidate.pk)
        outbox.candidate_changed(candidate)
    return candidate


@transaction.atomic
def candidate_add_email(
    *, candidate: Candidate, by: User | None, email: str, primary: bool = False
) -> CandidateEmail:
    """Add an address; one that belongs to another person is refused (merge them instead)."""
    require_can_add_candidates(by)
    value = normalise_email(email)
    owner = CandidateEmail.objects.filter(email=value).select_related("candidate").first()
    if owner and owner.candidate_id != candidate.pk:
        raise field_error(
            "email", f"{value} belongs to another candidate: merge the two records.", "email_taken"
        )
    if owner:
        return owner
    if primary:
        candidate.emails.update(is_primary=False)
    is_primary = primary or not candidate.emails.exists()
    row = CandidateEmail.objects.create(candidate=candidate, email=value, is_primary=is_primary)
    events.candidate_updated(candidate=candidate, by=by, fields=["emails"])
    enqueue_search_refresh(candidate.pk)
    return row


@transaction.atomic
def candidate_merge(*, primary: Candidate, duplicate: Candidate, by: User) -> Candidate:
    """Fold `duplicate` into `primary`, keeping everything of both; the duplicate disappears."""
    if not (is_admin(by) or can_use_pools(by)):
        raise PermissionDenied("Only recruiters, hiring managers and administrators merge.")
    if primary.pk == duplicate.pk:
        raise ValidationError("A candidate cannot be merged with itself.", code="same")
    conflicts: list[str] = []
    _merge_fields(primary, duplicate)
    duplicate.emails.update(candidate=primary, is_primary=False)
    primary.tags.add(*duplicate.tags.all())
    for membership in duplicate.pool_memberships.all():
        if not primary.pool_memberships.filter(pool=membership.pool_id).exists():
            membership.candidate = primary
            membership.save(update_fields=["candidate"])
    duplicate.notes.update(candidate=primary)
    duplicate.documents.update(candidate=primary)
    for application in duplicate.applications.all():
        conflicts += _merge_application(primary, application)
    outbox.candidate_merged(primary=primary, duplicate=duplicate)
    merged_id = duplicate.pk
    duplicate.delete()
    primary.full_clean()
    primary.save()
    events.candidates_merged(candidate=primary, by=by, merged_id=merged_id, conflicts=conflicts)
    enqueue_search_refresh(primary.pk)
    return primary


def _merge_fields(primary: Candidate, duplicate: Candidate) -> None:
    if duplicate.linkedin_member_urn:
        # Free the unique member id before the primary may take it.
        Candidate.objects.filter(pk=duplicate.pk).update(linkedin_member_urn="")
    for field in CANDIDATE_FIELDS - {"consent_given_at", "consent_text", "retention_until"}:
        if not getattr(primary, field) and getattr(duplicate, field):
            setattr(primary, field, getattr(duplicate, field))
    primary.phones = list(dict.fromkeys([*primary.phones, *duplicate.phones]))[:MAX_PHONES]
    if duplicate.consent_given_at and (
        not primary.consent_given_at or duplicate.consent_given_at > primary.consent_given_at
    ):
        primary.consent_given_at, primary.consent_text = (
            duplicate.consent_given_at,
            duplicate.consent_text,
        )
    dates = [d for d in (primary.retention_until, duplicate.retention_until) if d]
    primary.retention_until = max(dates) if dates else None


def _merge_application(primary: Candidate, application: Application) -> list[str]:
    kept = primary.applications.filter(job=application.job_id).first()
    if kept is None:
        application.candidate = primary
        application.save(update_fields=["candidate", "updated_at"])
        return []
    # Both applied to the same job: keep the primary's, carry over what hangs on the other.
    application.notes.update(application=kept)
    application.documents.update(application=kept)
    dropped = []
    for feedback in application.feedback.all():
        if kept.feedback.filter(interviewer=feedback.interviewer_id).exists():
            dropped.append(f"feedback {feedback.pk} by user {feedback.interviewer_id} kept as note")
            _feedback_as_note(kept, feedback)
        else:
            feedback.application = kept
            feedback.save(update_fields=["application"])
    return [f"application {application.pk} merged into {kept.pk}", *dropped]


def _feedback_as_note(application: Application, feedback) -> None:
    application.notes.create(
        candidate=application.candidate,
        author=feedback.interviewer,
        visibility="team",
        body=(
            f"Feedback from a merged record ({feedback.get_recommendation_display()}).\n"
            f"Strengths: {feedback.strengths}\nConcerns: {feedback.concerns}\n{feedback.comments}"
        ),
    )


@transaction.atomic
def candidate_erase(*, candidate: Candidate, by: User | None, reason: str) -> None:
    """Erase a person: the record, applications, notes, feedback and stored files."""
    if by is not None and not is_admin(by) and not can_use_pools(by):
        raise PermissionDenied("Only recruiters, hiring managers and administrators erase data.")
    files = [d.file.name for d in candidate.documents.all()]
    events.candidate_erased(candidate=candidate, by=by, reason=reason)
    storage = Document._meta.get_field("file").storage
    outbox.candidate_erased(candidate)
    candidate.delete()

    def delete_files() -> None:
        for name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)


def candidates_past_retention() -> list[int]:
    today = timezone.localdate()
    return list(
        Candidate.objects.filter(retention_until__lt=today)
        .exclude(applications__status="active")
        .values_list("pk", flat=True)
    )


def build_search_document(candidate: Candidate) -> str:
    """The text search looks at: names, emails, titles, companies, tags and notes."""
    parts = [
        candidate.first_name,
        candidate.last_name,
        candidate.current_title,
        candidate.current_company,
        candidate.city,
        candidate.country,
        *candidate.emails.values_list("email", flat=True),
        *candidate.tags.values_list("name", flat=True),
        *candidate.notes.filter(~Q(visibility="private")).values_list("body", flat=True),
    ]
    return " ".join(p for p in parts if p)[:100_000]


def candidate_refresh_search(*, candidate_id: int) -> bool:
    """Recompute the stored search text of one candidate; False when it no longer exists."""
    candidate = Candidate.objects.filter(pk=candidate_id).first()
    if candidate is None:
        return False
    Candidate.objects.filter(pk=candidate_id).update(
        search_document=build_search_document(candidate), search_refreshed_at=timezone.now()
    )
    return True
