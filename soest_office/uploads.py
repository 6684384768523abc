"""Safe file uploads, reusable by every app (project documents, press images, ...).

What this module guarantees:

* **Size**: a file larger than ``settings.UPLOAD_MAX_BYTES`` is refused with a German message.
* **Type by content**: the extension must be on the caller's allow-list *and* the first bytes
  of the content must match that type's signature (``%PDF-`` for PDF, the PNG header, a ZIP
  container holding ``[Content_Types].xml`` for Office files, ...). A renamed ``.exe`` does not
  pass as ``.pdf``.
* **Safe names**: files are stored under a generated name (``<prefix>/<yyyy>/<uuid>.<ext>``);
  the user's file name is kept only as display text (``clean_display_name``).
* **No public URL**: files go through Django's storage API (``default_storage``) and are read
  back only by ``serve_stored_file`` from a view that has checked permissions. It answers with
  ``Content-Disposition: attachment`` and ``X-Content-Type-Options: nosniff``, so a browser never
  renders an uploaded file inside the intranet's origin.

Usage in a form::

    from soest_office import uploads

    class DocumentForm(forms.ModelForm):
        def clean_file(self):
            return uploads.validate_upload(self.cleaned_data["file"], uploads.DOCUMENT_TYPES)

and on the model ``file = models.FileField(upload_to=uploads.UploadTo("projekte"))``.
In the download view, after the permission check::

    return uploads.serve_stored_file(doc.file.name, download_name=doc.original_name)
"""

from __future__ import annotations

import mimetypes
import posixpath
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileType:
    """One allowed kind of file: its extensions, MIME type and a content check."""

    label: str
    extensions: tuple[str, ...]
    content_type: str
    check: callable


def _starts_with(*signatures: bytes):
    def check(head: bytes, fileobj) -> bool:
        return any(head.startswith(sig) for sig in signatures)

    return check


def _zip_with(member: str):
    """Office Open XML (docx/xlsx/pptx) and OpenDocument files are ZIP containers; the
    named member proves the kind of container, not just 'some zip'."""

    def check(head: bytes, fileobj) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            fileobj.seek(0)
            with zipfile.ZipFile(fileobj) as archive:
                return member in archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        finally:
            fileobj.seek(0)

    return check


def _plain_text(head: bytes, fileobj) -> bool:
    """Text (csv, txt): no NUL bytes and decodable as UTF-8 or Windows-1252 in the sample."""
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        # The sample may end inside a multi-byte character, or the file is Windows-1252.
        try:
            head[:-4].decode("utf-8")
        except UnicodeDecodeError:
            return all(b >= 0x20 or b in (9, 10, 13) for b in head)
    return True


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy MS Office (doc/xls/ppt)

PDF = FileType("PDF", ("pdf",), "application/pdf", _starts_with(b"%PDF-"))
PNG = FileType("PNG", ("png",), "image/png", _starts_with(b"\x89PNG\r\n\x1a\n"))
JPEG = FileType("JPEG", ("jpg", "jpeg"), "image/jpeg", _starts_with(b"\xff\xd8\xff"))
GIF = FileType("GIF", ("gif",), "image/gif", _starts_with(b"GIF87a", b"GIF89a"))
WEBP = FileType(
    "WebP",
    ("webp",),
    "image/webp",
    lambda head, f: head[:4] == b"RIFF" and head[8:12] == b"WEBP",
)
DOCX = FileType(
    "Word",
    ("docx",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    _zip_with("[Content_Types].xml"),
)
XLSX = FileType(
    "Excel",
    ("xlsx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    _zip_with("[Content_Types].xml"),
)
PPTX = FileType(
    "PowerPoint",
    ("pptx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    _zip_with("[Content_Types].xml"),
)
ODF = FileType(
    "OpenDocument",
    ("odt", "ods", "odp"),
    "application/vnd.oasis.opendocument",
    _zip_with("mimetype"),
)
MS_LEGACY = FileType(
    "MS Office (alt)", ("doc", "xls", "ppt"), "application/msword", _starts_with(_OLE)
)
TEXT = FileType("Text", ("txt", "csv"), "text/plain", _plain_text)

IMAGE_TYPES = (PNG, JPEG, GIF, WEBP)
DOCUMENT_TYPES = (PDF, DOCX, XLSX, PPTX, ODF, MS_LEGACY, TEXT, PNG, JPEG)

_HEAD_BYTES = 2048


def extension_of(name: str) -> str:
    return posixpath.splitext(name or "")[1].lower().lstrip(".")


def allowed_extensions(types) -> list[str]:
    return sorted({ext for t in types for ext in t.extensions})


def validate_upload(upload, types, *, max_bytes: int | None = None):
    """Check size, extension and content signature; return the file or raise ValidationError.

    `types` is a sequence of FileType (e.g. DOCUMENT_TYPES). The file position is reset to
    the start afterwards, so the caller can save it.
    """
    if upload is None:
        return upload
    limit = max_bytes if max_bytes is not None else settings.UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("Die Datei ist zu groß (%(size)s MB). Erlaubt sind höchstens %(limit)s MB.")
            % {"size": _megabytes(upload.size), "limit": _megabytes(limit)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("Die Datei ist leer."), code="empty")
    extension = extension_of(upload.name)
    candidates = [t for t in types if extension in t.extensions]
    if not candidates:
        raise ValidationError(
            _("Dateityp „.%(ext)s“ ist nicht erlaubt. Erlaubt sind: %(allowed)s.")
            % {"ext": extension or "?", "allowed": ", ".join(allowed_extensions(types))},
            code="extension",
        )
    upload.seek(0)
    head = upload.read(_HEAD_BYTES)
    upload.seek(0)
    if not any(t.check(head, upload) for t in candidates):
        raise ValidationError(
            _(
                "Der Inhalt der Datei passt nicht zur Endung „.%(ext)s“. Bitte laden Sie eine "
                "echte %(label)s-Datei hoch."
            )
            % {"ext": extension, "label": candidates[0].label},
            code="content",
        )
    upload.seek(0)
    return upload


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def clean_display_name(name: str, *, max_length: int = 200) -> str:
    """The user's file name, reduced to a harmless display/download name (no paths, no
    control characters, no quotes)."""
    name = posixpath.basename((name or "").replace("\\", "/"))
    name = unicodedata.normalize("NFC", name)
    name = re.sub(r'[\x00-\x1f\x7f"<>:|?*;]', "", name).strip(" .")
    if not name:
        name = "datei"
    if len(name) > max_length:
        stem, dot, ext = name.rpartition(".")
        keep = max_length - len(ext) - 1
        name = f"{stem[:keep]}.{ext}" if dot and keep > 0 else name[:max_length]
    return name


def generated_name(prefix: str, original_name: str) -> str:
    """`<prefix>/<yyyy>/<uuid4>.<ext>`: unguessable, collision-free, no user text."""
    extension = extension_of(original_name)
    suffix = f".{extension}" if extension and re.fullmatch(r"[a-z0-9]{1,8}", extension) else ""
    return f"{prefix.strip('/')}/{timezone.now():%Y}/{uuid.uuid4().hex}{suffix}"


@deconstructible
class UploadTo:
    """`upload_to` for FileField: ignores the user's name except for its extension."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, instance, filename):
        return generated_name(self.prefix, filename)

    def __eq__(self, other):
        return isinstance(other, UploadTo) and other.prefix == self.prefix


def serve_stored_file(name: str, *, download_name: str, storage=None):
    """Stream a stored file as an attachment. Call only after the permission check.

    Raises Http404 when the file is missing from the storage.
    """
    storage = storage or default_storage
    if not name or not storage.exists(name):
        raise Http404(_("Die Datei ist nicht mehr vorhanden."))
    content_type = mimetypes.guess_type(download_name)[0] or "application/octet-stream"
    response = FileResponse(
        storage.open(name, "rb"),
        as_attachment=True,
        filename=clean_display_name(download_name),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
