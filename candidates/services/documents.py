"""Writes on candidate documents: checked by content, stored under a random name."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from attract.access import Perm, can_use_pools, is_admin, require_job
from attract.models import User
from candidates import events
from candidates.documents import check_document
from candidates.models import Application, Candidate, Document, DocumentKind


def _require_document_access(by: User | None, candidate: Candidate, application) -> None:
    if application is not None and application.candidate_id != candidate.pk:
        raise ValidationError("That application belongs to another candidate.")
    if by is None:
        return
    if application is not None:
        require_job(by, application.job, Perm.EDIT_NOTES)
    elif not (is_admin(by) or can_use_pools(by)):
        raise PermissionDenied("Only recruiters, hiring managers and administrators add documents.")


@transaction.atomic
def document_add(
    *,
    candidate: Candidate,
    by: User | None,
    upload: UploadedFile,
    kind: str = DocumentKind.OTHER,
    application: Application | None = None,
) -> Document:
    """Store an uploaded document after checking its type by content and its size."""
    _require_document_access(by, candidate, application)
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": "Unknown document kind."})
    checked = check_document(upload, max_bytes=settings.DOCUMENT_MAX_BYTES)
    original = (upload.name or "document").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    document = Document(
        candidate=candidate,
        application=application,
        kind=kind,
        original_name=original,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=by,
    )
    document.file.save(f"{uuid.uuid4().hex}.{checked.extension}", upload, save=False)
    name = document.file.name
    try:
        document.save()
    except Exception:
        document.file.storage.delete(name)
        raise
    events.document_added(document=document, by=by)
    return document


@transaction.atomic
def document_delete(*, document: Document, by: User) -> None:
    _require_document_access(by, document.candidate, document.application)
    events.document_deleted(document=document, by=by)
    name, storage = document.file.name, document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


def documents_sweep_orphans(*, older_than: timedelta = timedelta(hours=6)) -> list[str]:
    """Delete stored files no Document row points at (left by rolled-back uploads)."""
    storage = Document._meta.get_field("file").storage
    known = set(Document.objects.values_list("file", flat=True))
    cutoff = timezone.now() - older_than
    removed = []
    for name in _stored_files(storage, "documents"):
        if name not in known and storage.get_modified_time(name) <= cutoff:
            storage.delete(name)
            removed.append(name)
    return removed


def _stored_files(storage, folder: str) -> list[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}/{f}" for f in files]
    for sub in folders:
        names += _stored_files(storage, f"{folder}/{sub}")
    return names
