"""The reusable upload module: size, type by content, safe names, safe serving."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from soest_office import uploads


def zip_bytes(*members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in members:
            archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bericht.pdf", b"%PDF-1.4 ..."),
        ("foto.JPG", b"\xff\xd8\xff\xe0 JFIF"),
        ("plan.png", b"\x89PNG\r\n\x1a\n...."),
        ("kosten.xlsx", zip_bytes("[Content_Types].xml", "xl/workbook.xml")),
        ("notiz.odt", zip_bytes("mimetype", "content.xml")),
        ("liste.csv", "Name;Betrag\nMüller;12,50\n".encode()),
        ("alt.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1...."),
    ],
)
def test_genuine_files_pass(name, content):
    upload = SimpleUploadedFile(name, content)
    assert uploads.validate_upload(upload, uploads.DOCUMENT_TYPES) is upload
    assert upload.tell() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ....", "nicht erlaubt"),
        ("rechnung.pdf", b"MZ\x90\x00", "passt nicht zur Endung"),
        ("tabelle.xlsx", zip_bytes("evil.sh"), "passt nicht zur Endung"),
        ("text.txt", b"\x00\x01\x02binary", "passt nicht zur Endung"),
        ("leer.pdf", b"", "leer"),
        ("ohne-endung", b"%PDF-1.4", "nicht erlaubt"),
    ],
)
def test_bad_files_are_refused_in_german(name, content, message):
    with pytest.raises(ValidationError) as info:
        uploads.validate_upload(SimpleUploadedFile(name, content), uploads.DOCUMENT_TYPES)
    assert message in info.value.messages[0]


def test_size_limit_comes_from_settings(settings):
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="zu groß"):
        uploads.validate_upload(SimpleUploadedFile("a.pdf", b"%PDF-" + b"1" * 20), [uploads.PDF])


def test_images_only_allow_list():
    with pytest.raises(ValidationError, match="nicht erlaubt"):
        uploads.validate_upload(SimpleUploadedFile("a.pdf", b"%PDF-1.4"), uploads.IMAGE_TYPES)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\Förderbescheid.pdf", "Förderbescheid.pdf"),
        ('a"b<c>.pdf', "abc.pdf"),
        ("   ", "datei"),
    ],
)
def test_display_names_are_harmless(raw, clean):
    assert uploads.clean_display_name(raw) == clean


def test_generated_names_ignore_user_text():
    name = uploads.generated_name("news/bilder", "Mein Foto; rm -rf.JPG")
    prefix, year, stem = name.split("/", 2)[0], name.split("/")[2], name.rsplit("/", 1)[1]
    assert name.startswith("news/bilder/")
    assert stem.endswith(".jpg")
    assert len(stem) == 32 + 4
    assert prefix == "news"
    assert year.isdigit()


def test_serving_is_attachment_with_nosniff(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("x/abc.pdf", ContentFile(b"%PDF-1.4"))
    response = uploads.serve_stored_file(name, download_name="Bericht März.pdf", storage=storage)
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Bericht" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    with pytest.raises(Http404):
        uploads.serve_stored_file("x/missing.pdf", download_name="a.pdf", storage=storage)
