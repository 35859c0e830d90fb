"""Shared set-up of the career-site tests: public jobs, documents to upload, fresh rate limits."""

import copy
import io
import uuid
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from attract.selectors import organisation_get
from jobs.services import job_activate

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


def docx_bomb() -> bytes:
    """A DOCX whose document part inflates 5 MB of zeros out of a few kilobytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\x00" * (5 * 1024 * 1024))
    return buffer.getvalue()


def upload(name: str = "cv.pdf", content: bytes = PDF, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    """Every test counts applications from zero: its own key prefix in the configured cache
    (clearing the shared cache would wipe other processes' counters too)."""
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"careers-test-{uuid.uuid4().hex}"
    settings.CACHES = caches


@pytest.fixture(autouse=True)
def _organisation(db):
    """The settings row exists, as after the first page of any installation: counts stay honest."""
    return organisation_get()


@pytest.fixture
def make_public_job(make_job, recruiter):
    """An active, public job; fields as given (title, city, workplace_type, ...)."""

    def make(**fields):
        job = make_job(**fields)
        return job_activate(job=job, by=recruiter)

    return make
