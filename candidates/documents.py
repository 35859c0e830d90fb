"""Identify an uploaded candidate document by its content, never by its name or declared type."""

import codecs
import zipfile
import zlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError

ALLOWED = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "rtf": "application/rtf",
    "txt": "text/plain",
}

KB = 1024
MB = 1024 * KB
CHUNK_BYTES = 64 * KB
SNIFF_BYTES = 64 * KB  # text is judged on this prefix; it also covers every other signature
PDF_MAGIC = b"%PDF-"
PDF_MAGIC_WINDOW = 1024  # PDF readers accept the header anywhere in the first 1024 bytes
RTF_MAGIC = b"{\\rtf"
ZIP_MAGIC = b"PK\x03\x04"
ODT_MIMETYPE = ALLOWED["odt"].encode("ascii")
DOCX_MEMBERS = frozenset({"[Content_Types].xml", "word/document.xml"})
ZIP_MAX_MEMBERS = 1000
ZIP_MAX_TOTAL_BYTES = 100 * MB
ZIP_MAX_RATIO = 100
ZIP_RATIO_MIN_BYTES = 1 * MB  # small members compress well legitimately (XML full of spaces)
# Whatever reading a malformed or exotic archive raises; all mean "we cannot trust this ZIP".
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
)

UNSUPPORTED_MESSAGE = (
    "This file type is not accepted. "
    "Upload a PDF, Word (DOCX), OpenDocument (ODT), RTF or plain-text file."
)


class DocumentRejected(ValidationError):
    """An uploaded document that is not accepted; `code` says why, the message tells the user."""


@dataclass(frozen=True)
class CheckedDocument:
    extension: str
    content_type: str
    size: int


def check_document(file, *, max_bytes: int) -> CheckedDocument:
    """Identify a document by content; raise DocumentRejected when it is empty, too large, of another type, or a zip bomb."""  # noqa: E501
    try:
        file.seek(0)
        size = _measure(file, max_bytes)
        if size == 0:
            raise DocumentRejected("The file is empty.", code="empty")
        if size > max_bytes:
            raise DocumentRejected(
                f"The file is larger than {_format_limit(max_bytes)}.", code="too_large"
            )
        file.seek(0)
        extension = _identify(file, file.read(SNIFF_BYTES), size)
        return CheckedDocument(extension=extension, content_type=ALLOWED[extension], size=size)
    finally:
        file.seek(0)


def _measure(file, max_bytes: int) -> int:
    """The file's size, or max_bytes + 1 when it is larger, without holding more in memory."""
    size = getattr(file, "size", None)
    if isinstance(size, int):
        return size
    total = 0
    while total <= max_bytes:
        chunk = file.read(min(CHUNK_BYTES, max_bytes + 1 - total))
        if not chunk:
            break
        total += len(chunk)
    return total


def _format_limit(max_bytes: int) -> str:
    """'10 MB', '2.5 MB'; tiny limits (tests, odd settings) in KB or bytes rather than '0 MB'."""
    for unit, name in ((MB, "MB"), (KB, "KB")):
        if max_bytes >= unit:
            return f"{max_bytes / unit:.1f}".removesuffix(".0") + f" {name}"
    return f"{max_bytes} bytes"


def _identify(file, head: bytes, size: int) -> str:
    """The ALLOWED extension of the content; raises DocumentRejected otherwise."""
    # Checked first so that an HTML page with a PDF header further down is not let through.
    if _looks_like_markup(head):
        raise _unsupported()
    if head.find(PDF_MAGIC, 0, PDF_MAGIC_WINDOW + len(PDF_MAGIC) - 1) != -1:
        return "pdf"
    if head.startswith(RTF_MAGIC):
        return "rtf"
    if head.startswith(ZIP_MAGIC):
        return _identify_zip(file)
    if _is_utf8_text(head, complete=size <= len(head)):
        return "txt"
    raise _unsupported()


def _looks_like_markup(head: bytes) -> bool:
    """True when the content opens with a tag, which browsers may render as HTML or SVG."""
    return head.removeprefix(codecs.BOM_UTF8).lstrip().startswith(b"<")


def _is_utf8_text(head: bytes, *, complete: bool) -> bool:
    """True for NUL-free UTF-8 (BOM allowed); a character cut at the end of a prefix is fine."""
    if b"\x00" in head:
        return False
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        decoder.decode(head, final=complete)
    except UnicodeDecodeError:
        return False
    return True


def _identify_zip(file) -> str:
    """'docx' or 'odt' for a sound Office archive; raises DocumentRejected otherwise."""
    file.seek(0)
    try:
        if not zipfile.is_zipfile(file):
            raise _corrupt()
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            _check_zip_limits(members)
            if DOCX_MEMBERS.issubset(member.filename for member in members):
                return "docx"
            if _is_odt(archive, members):
                return "odt"
    except ZIP_ERRORS as error:
        raise _corrupt() from error
    raise _unsupported()


def _check_zip_limits(members: list[zipfile.ZipInfo]) -> None:
    """Reject archives whose declared sizes or member count would exhaust whoever unpacks them."""
    if len(members) > ZIP_MAX_MEMBERS:
        raise _zip_bomb()
    if sum(member.file_size for member in members) > ZIP_MAX_TOTAL_BYTES:
        raise _zip_bomb()
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > ZIP_RATIO_MIN_BYTES and ratio > ZIP_MAX_RATIO:
            raise _zip_bomb()


def _is_odt(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> bool:
    """True when the first member is `mimetype` holding exactly the ODT media type."""
    if not members or members[0].filename != "mimetype":
        return False
    with archive.open(members[0]) as member:
        # Bounded read: a lying header cannot make us decompress more than this.
        return member.read(len(ODT_MIMETYPE) + 1) == ODT_MIMETYPE


def _unsupported() -> DocumentRejected:
    return DocumentRejected(UNSUPPORTED_MESSAGE, code="unsupported_type")


def _corrupt() -> DocumentRejected:
    return DocumentRejected(
        "The file is damaged and cannot be opened. Save it again and upload the new copy.",
        code="corrupt",
    )


def _zip_bomb() -> DocumentRejected:
    return DocumentRejected(
        "The file expands to far more data than a document should hold, so it was not accepted.",
        code="zip_bomb",
    )
