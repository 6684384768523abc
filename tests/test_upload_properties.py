"""Property tests (hypothesis) of the upload checks: soest_office.uploads (project documents)
and news.images (press images), and of the storage names of every file field.

Whatever arrives (any bytes, any name), the checks end in the file or a German
ValidationError, never in another exception; genuine files made here pass; wrong signatures,
oversized files and images with too many pixels are refused; stored names carry none of the
user's file name.
"""

import io
import re
import struct
import zipfile
import zlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import FileField
from django.http.multipartparser import MultiPartParser
from django.test import override_settings
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from news import images
from soest_office import uploads

# Some properties need inputs past a limit (assume()); on a loaded machine Hypothesis may
# then report "filter_too_much" although the filter is intended.
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
BOMB_WARNING = pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
GERMAN = re.compile(r"Datei|Bild|Endung|erlaubt|leer", re.IGNORECASE)

ALLOWED = uploads.allowed_extensions(uploads.DOCUMENT_TYPES)
DISALLOWED = ["exe", "js", "html", "htm", "svg", "php", "sh", "bat", "jar", "zip", "xml", ""]
SIGNATURES = {
    "pdf": [b"%PDF-"],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "jpg": [b"\xff\xd8\xff"],
    "jpeg": [b"\xff\xd8\xff"],
    "doc": [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"],
    "xls": [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"],
    "ppt": [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"],
}
ZIP_TYPES = {"docx", "xlsx", "pptx", "odt", "ods", "odp"}

names = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=0, max_size=40).map(
    lambda stem: stem.replace("\x00", "")
)


def assert_german(error: ValidationError):
    assert error.messages, "Fehler ohne Meldung"
    assert all(GERMAN.search(m) for m in error.messages), error.messages


def refusal(upload, types=uploads.DOCUMENT_TYPES, **kwargs) -> ValidationError | None:
    """None if accepted; the ValidationError otherwise. Any other exception fails the test."""
    try:
        result = uploads.validate_upload(upload, types, **kwargs)
    except ValidationError as exc:
        error = exc
    else:
        error = None
    if error is not None:
        assert_german(error)
        return error
    assert result is upload
    assert upload.tell() == 0  # ready to be saved
    return None


# --- soest_office.uploads: documents --------------------------------------------------------


@FAST
@given(
    content=st.binary(max_size=3000), stem=names, extension=st.sampled_from(ALLOWED + DISALLOWED)
)
def test_any_bytes_any_name_end_in_the_file_or_a_german_error(content, stem, extension):
    name = f"{stem}.{extension}" if extension else stem
    # The name as Django's multipart parser hands it on (it drops "/", "." and ".."-names).
    sent = MultiPartParser.sanitize_file_name(None, name) or "x"
    refusal(SimpleUploadedFile(sent, content))


@FAST
@given(
    content=st.binary(min_size=1, max_size=500), stem=names, extension=st.sampled_from(DISALLOWED)
)
def test_a_disallowed_extension_is_refused_whatever_the_content(content, stem, extension):
    # Even with a perfect PDF signature in front.
    upload = SimpleUploadedFile(f"{stem}.{extension}" if extension else "ohne-endung", content)
    error = refusal(upload)
    assert error is not None
    assert error.code == "extension"
    error = refusal(SimpleUploadedFile(upload.name, b"%PDF-1.7\n" + content))
    assert error is not None
    assert error.code == "extension"


@FAST
@given(
    content=st.binary(min_size=1, max_size=500),
    extension=st.sampled_from(sorted(SIGNATURES)),
)
def test_a_wrong_signature_is_refused(content, extension):
    assume(not any(content.startswith(sig) for sig in SIGNATURES[extension]))
    error = refusal(SimpleUploadedFile(f"bericht.{extension}", content))
    assert error is not None
    assert error.code == "content"


@FAST
@given(tail=st.binary(max_size=300), extension=st.sampled_from(sorted(ZIP_TYPES)))
def test_a_zip_without_the_office_member_is_refused(tail, extension):
    """Office files must be ZIP containers holding their marker member; a bare ZIP signature
    with garbage, or a ZIP of something else, is not a document."""
    garbage = SimpleUploadedFile(f"tabelle.{extension}", b"PK\x03\x04" + tail)
    assert refusal(garbage).code == "content"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.sh", tail or b"x")
    assert refusal(SimpleUploadedFile(f"tabelle.{extension}", buffer.getvalue())).code == "content"


@FAST
@given(text=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=200))
def test_text_with_a_nul_byte_is_refused_and_plain_text_passes(text):
    text = text.replace("\x00", "") or "Name;Betrag"
    assert refusal(SimpleUploadedFile("liste.csv", text.encode("utf-8"))) is None
    binary = SimpleUploadedFile("liste.csv", text.encode("utf-8")[:10] + b"\x00" + b"rest")
    assert refusal(binary).code == "content"


@FAST
@given(
    size=st.integers(min_value=1, max_value=4096), limit=st.integers(min_value=0, max_value=4095)
)
def test_a_file_over_the_limit_is_refused_before_its_content_is_read(size, limit):
    assume(size > limit)
    upload = SimpleUploadedFile("bericht.pdf", b"%PDF-1.7\n" + b"0" * size)
    assert refusal(upload, max_bytes=limit).code == "too_large"
    with override_settings(UPLOAD_MAX_BYTES=limit):
        assert refusal(upload).code == "too_large"


def pdf_bytes(text: str) -> bytes:
    """A small, well-formed one-page PDF."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def office_bytes(extension: str, text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if extension in ("odt", "ods", "odp"):
            archive.writestr("mimetype", f"application/vnd.oasis.opendocument.{extension}")
        else:
            archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("content.xml", text)
    return buffer.getvalue()


def image_bytes(fmt: str, width: int, height: int, color=(20, 90, 160)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format=fmt)
    return buffer.getvalue()


genuine = st.one_of(
    st.builds(lambda t: ("pdf", pdf_bytes(t)), st.text(alphabet="abcdefgh ÄÖÜß", max_size=40)),
    st.builds(
        lambda ext, t: (ext, office_bytes(ext, t)),
        st.sampled_from(sorted(ZIP_TYPES)),
        st.text(max_size=40),
    ),
    st.builds(
        lambda fmt, w, h: ({"PNG": "png", "JPEG": "jpg"}[fmt], image_bytes(fmt, w, h)),
        st.sampled_from(["PNG", "JPEG"]),
        st.integers(1, 64),
        st.integers(1, 64),
    ),
    st.builds(
        lambda t: ("csv", t.encode("utf-8")),
        st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1),
    ),
)


@FAST
@given(file=genuine, stem=names, upper=st.booleans())
def test_genuine_files_made_here_pass(file, stem, upper):
    extension, content = file
    # Only the last path part counts, and a name that is all dots and spaces there ("/.pdf")
    # is a hidden file without an extension (refused, rightly): such stems are not genuine.
    stem = stem.replace("/", "").replace("\\", "").strip(" .") or "datei"
    name = f"{stem}.{extension.upper() if upper else extension}"
    assert refusal(SimpleUploadedFile(name, content)) is None


# --- news.images: press images ----------------------------------------------------------------


def reencode_or_refusal(content: bytes, name="foto.jpg"):
    """The re-encoded image, or the ValidationError; any other exception fails the test."""
    try:
        return images.validate_and_reencode(SimpleUploadedFile(name, content))
    except ValidationError as exc:
        error = exc
    assert_german(error)
    return error


@FAST
@given(content=st.binary(max_size=2000))
def test_any_bytes_as_press_image_end_in_an_image_or_a_german_error(content):
    reencode_or_refusal(content)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    fmt=st.sampled_from(["PNG", "JPEG", "WEBP", "GIF"]),
    cut=st.integers(min_value=0, max_value=2000),
    flips=st.lists(st.tuples(st.integers(0, 4000), st.integers(1, 255)), max_size=6),
)
def test_damaged_images_end_in_an_image_or_a_german_error(fmt, cut, flips):
    """Real images, truncated and with flipped bytes: the parsers' odd corners."""
    data = bytearray(image_bytes(fmt, 40, 30))
    for position, mask in flips:
        if position < len(data):
            data[position] ^= mask
    reencode_or_refusal(bytes(data[: max(cut, 8)]))


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims the given size (a decompression bomb's first bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def jpeg_claiming(width: int, height: int) -> bytes:
    """A real small JPEG with its frame header (SOF0) rewritten to the given size."""
    data = bytearray(image_bytes("JPEG", 16, 16))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


# Pillow warns between its MAX_IMAGE_PIXELS and twice that; our cap refuses anyway.
@BOMB_WARNING
@FAST
@given(
    width=st.integers(min_value=1, max_value=2**31 - 1),
    height=st.integers(min_value=1, max_value=2**31 - 1),
)
@example(width=6400, height=6400)  # just over the cap
@example(width=100_000, height=100_000)  # far over Pillow's own bomb limit
def test_png_with_too_many_pixels_is_refused_without_decoding(width, height):
    assume(width * height > images.MAX_PIXELS)
    result = reencode_or_refusal(png_claiming(width, height), name="bombe.png")
    assert isinstance(result, ValidationError)
    assert "zu viele Bildpunkte" in result.messages[0]


# Pillow warns between its MAX_IMAGE_PIXELS and twice that; our cap refuses anyway.
@BOMB_WARNING
@FAST
@given(width=st.integers(1, 65535), height=st.integers(1, 65535))
def test_jpeg_with_too_many_pixels_is_refused(width, height):
    assume(width * height > images.MAX_PIXELS)
    result = reencode_or_refusal(jpeg_claiming(width, height))
    assert isinstance(result, ValidationError)
    assert "zu viele Bildpunkte" in result.messages[0]


@FAST
@given(
    fmt=st.sampled_from(["PNG", "JPEG", "WEBP"]),
    width=st.integers(1, 300),
    height=st.integers(1, 300),
    stem=names,
)
def test_genuine_images_are_reencoded(fmt, width, height, stem):
    result = reencode_or_refusal(image_bytes(fmt, width, height), name=f"{stem}.bild")
    assert not isinstance(result, ValidationError)
    with Image.open(io.BytesIO(result.read())) as image:
        assert image.format == fmt
        assert image.size == (width, height)


@FAST
@given(extra=st.integers(min_value=1, max_value=1000))
def test_press_image_over_the_limit_is_refused(extra):
    content = image_bytes("PNG", 8, 8)
    with override_settings(NEWS_IMAGE_MAX_BYTES=max(len(content) - extra, 0)):
        assert isinstance(reencode_or_refusal(content, name="foto.png"), ValidationError)


# --- Storage names ------------------------------------------------------------------------------

PROJECT_APPS = (
    "soest_office",
    "projects",
    "stakeholders",
    "news",
    "subscriptions",
    "participation",
)
FILE_FIELDS = [
    (model, field)
    for label in PROJECT_APPS
    for model in apps.get_app_config(label).get_models()
    for field in model._meta.fields
    if isinstance(field, FileField)
]
# <fixed prefix>/[<year>/[<month>/]]<32 hex digits>[.<short extension>]: nothing the user
# typed except, at most, a short alphanumeric extension.
GENERATED = re.compile(r"[a-z]+(/[a-z]+)*/(\d{4}/(\d{2}/)?)?[0-9a-f]{32}(\.[a-z0-9]{1,8})?")


def test_the_project_has_file_fields_to_check():
    labels = {f"{model._meta.label}.{field.name}" for model, field in FILE_FIELDS}
    assert {"projects.Document.file", "news.PressRelease.image"} <= labels


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(stem=names, extension=st.sampled_from(["pdf", "JPG", "png", "tar.gz", "php%00.jpg", ""]))
@example(stem="../../etc/passwd", extension="")
@example(stem="..\\..\\boot", extension="ini")
@example(stem="bericht <script>", extension="pdf")
def test_stored_names_never_contain_the_uploaded_name(stem, extension):
    uploaded = f"{stem}.{extension}" if extension else stem
    assume(uploaded.strip(". /\\"))
    for model, field in FILE_FIELDS:
        instance = model()
        if hasattr(instance, "token"):
            instance.token = "0123456789abcdef0123456789abcdef"
        stored = field.generate_filename(instance, uploaded)
        label = f"{model._meta.label}.{field.name}"
        assert GENERATED.fullmatch(stored) or stored == (
            "stakeholders/imports/0123456789abcdef0123456789abcdef.upload"
        ), f"{label}: {uploaded!r} -> {stored!r}"
        assert ".." not in stored, label


@FAST
@given(name=st.text(max_size=300))
def test_display_names_are_harmless(name):
    clean = uploads.clean_display_name(name)
    assert clean
    assert len(clean) <= 200
    assert not set(clean) & set('/\\"<>:|?*;')
    assert not any(ord(c) < 0x20 or ord(c) == 0x7F for c in clean)
    assert not clean.startswith(".")
