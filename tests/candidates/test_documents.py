"""Content-based identification of uploaded candidate documents."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from candidates import documents
from candidates.documents import ALLOWED, CheckedDocument, DocumentRejected, check_document

LIMIT = 10 * 1024 * 1024
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
RTF = b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Arial;}}\\f0 Curriculum vitae\\par}"
TEXT = "Zoë Müller, Développeuse, Kraków, São Paulo\n".encode()
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _docx(document_xml: bytes = b"<w:document/>") -> bytes:
    return _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": document_xml,
        }
    )


def _odt(mimetype: bytes = b"application/vnd.oasis.opendocument.text") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", b"<office:document-content/>", zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", b"<manifest:manifest/>", zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _rejected(file, max_bytes: int = LIMIT) -> DocumentRejected:
    with pytest.raises(DocumentRejected) as caught:
        check_document(file, max_bytes=max_bytes)
    return caught.value


@pytest.mark.parametrize(
    ("content", "extension"),
    [
        (PDF, "pdf"),
        (b"\x00junk\r\n" * 100 + PDF, "pdf"),
        (RTF, "rtf"),
        (TEXT, "txt"),
        (b"\xef\xbb\xbf" + TEXT, "txt"),
        (b"Plain ASCII resume\n", "txt"),
    ],
)
def test_accepts_by_content(content, extension):
    upload = SimpleUploadedFile("whatever.bin", content, content_type="application/octet-stream")
    checked = check_document(upload, max_bytes=LIMIT)
    assert checked == CheckedDocument(extension, ALLOWED[extension], len(content))
    assert upload.tell() == 0


def test_accepts_docx_from_a_plain_file_object():
    content = _docx()
    file = io.BytesIO(content)
    file.seek(5)  # a previous reader left the position elsewhere
    checked = check_document(file, max_bytes=LIMIT)
    assert checked == CheckedDocument("docx", ALLOWED["docx"], len(content))
    assert file.tell() == 0


def test_accepts_odt_with_mimetype_stored_first():
    file = io.BytesIO(_odt())
    assert check_document(file, max_bytes=LIMIT).extension == "odt"
    assert file.tell() == 0


def test_name_and_declared_type_are_ignored():
    upload = SimpleUploadedFile("cv.txt", _docx(), content_type="text/plain")
    checked = check_document(upload, max_bytes=LIMIT)
    assert (checked.extension, checked.content_type) == ("docx", ALLOWED["docx"])


def test_small_member_compressing_very_well_is_not_a_bomb():
    # 512 KB of spaces compresses > 100x but is under the 1 MB threshold for the ratio rule.
    file = io.BytesIO(_docx(b"<w:document>" + b" " * 512 * 1024 + b"</w:document>"))
    assert check_document(file, max_bytes=LIMIT).extension == "docx"


def test_text_with_a_character_cut_at_the_sniff_boundary():
    prefix = b"a" * (documents.SNIFF_BYTES - 1)
    content = prefix + "é".encode() + b" and more text\n"  # "é" straddles the 64 KB boundary
    assert check_document(io.BytesIO(content), max_bytes=LIMIT).extension == "txt"


def test_truncated_character_at_the_real_end_is_not_text():
    assert _rejected(io.BytesIO(TEXT + b"\xc3")).code == "unsupported_type"


def test_empty():
    error = _rejected(SimpleUploadedFile("cv.pdf", b""))
    assert error.code == "empty"


@pytest.mark.parametrize("with_size", [True, False])
def test_too_large(with_size):
    content = PDF + b"x" * 100
    file = SimpleUploadedFile("cv.pdf", content) if with_size else io.BytesIO(content)
    error = _rejected(file, max_bytes=len(content) - 1)
    assert error.code == "too_large"
    assert file.tell() == 0


def test_exactly_at_the_limit_is_accepted():
    assert check_document(io.BytesIO(PDF), max_bytes=len(PDF)).size == len(PDF)


def test_too_large_message_names_the_limit_in_mb():
    file = SimpleUploadedFile("cv.pdf", b"x" * (LIMIT + 1))
    assert _rejected(file).messages == ["The file is larger than 10 MB."]


def test_size_check_reads_no_more_than_the_limit_plus_one():
    class RecordingFile(io.BytesIO):
        largest = 0

        def read(self, size=-1):
            data = super().read(size)
            self.largest = max(self.largest, len(data))
            return data

    file = RecordingFile(b"%PDF-" + b"x" * 1_000_000)
    assert _rejected(file, max_bytes=1000).code == "too_large"
    assert file.largest <= 1001


@pytest.mark.parametrize(
    "content",
    [
        PNG,
        EXE,
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        b"\n  <HTML><body>CV</body></HTML>",
        b"\xef\xbb\xbf<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        b"<?xml version='1.0'?><cv/>",
        b"<html><!-- %PDF-1.4 --><script>alert(1)</script></html>",
        b"\x00" * 1024 + PDF,  # header beyond the first 1024 bytes
        "Café crème".encode("cp1252"),
        b"text with a NUL\x00 byte",
    ],
)
def test_rejects_other_content(content):
    error = _rejected(io.BytesIO(content))
    assert error.code == "unsupported_type"
    assert "Upload a PDF, Word (DOCX), OpenDocument (ODT), RTF or plain-text file." in str(error)


def test_png_disguised_as_pdf_is_rejected():
    upload = SimpleUploadedFile("cv.pdf", PNG, content_type="application/pdf")
    assert _rejected(upload).code == "unsupported_type"
    assert upload.tell() == 0


@pytest.mark.parametrize(
    "content",
    [
        _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}),
        _zip({"notes.txt": b"hello"}),
        _odt(mimetype=b"application/vnd.oasis.opendocument.spreadsheet"),
        _zip({"content.xml": b"<x/>", "mimetype": b"application/vnd.oasis.opendocument.text"}),
    ],
    ids=["xlsx", "plain-zip", "ods", "odt-mimetype-not-first"],
)
def test_rejects_other_zip_archives(content):
    assert _rejected(io.BytesIO(content)).code == "unsupported_type"


def test_corrupt_zip():
    upload = SimpleUploadedFile("cv.docx", b"PK\x03\x04" + b"\x8a\x13garbage" * 200)
    assert _rejected(upload).code == "corrupt"


def test_zip_bomb_by_compression_ratio():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(50):
                member.write(chunk)
    assert buffer.tell() < LIMIT  # the archive itself passes the size limit
    assert _rejected(buffer).code == "zip_bomb"
    assert buffer.tell() == 0


def test_zip_bomb_by_member_count():
    members = {f"word/media/{i}.xml": b"x" for i in range(documents.ZIP_MAX_MEMBERS + 1)}
    content = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<d/>", **members})
    assert _rejected(io.BytesIO(content)).code == "zip_bomb"


def test_zip_bomb_by_total_declared_size(monkeypatch):
    monkeypatch.setattr(documents, "ZIP_MAX_TOTAL_BYTES", 1000)
    content = _docx(bytes(range(256)) * 8)  # 2 KB, barely compressible
    assert _rejected(io.BytesIO(content)).code == "zip_bomb"
