"""Validation of uploaded press images: by content, not by name.

Pillow must recognise the file as JPEG, PNG or WebP; its pixel count is capped (decompression
bombs); the image is re-encoded, which drops metadata (EXIF with GPS positions, comments) and
anything smuggled behind the image data.
"""

from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PIXELS = 40_000_000
MAX_EDGE = 2400  # larger images are scaled down; the web never needs more


def validate_and_reencode(upload) -> SimpleUploadedFile:
    """Return a fresh, re-encoded copy of the upload or raise a German ValidationError."""
    max_bytes = settings.NEWS_IMAGE_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            _("Das Bild ist zu groß (höchstens %(mb)s MB).") % {"mb": max_bytes // (1024 * 1024)}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
        if image_format not in ALLOWED_FORMATS:
            raise ValidationError(_("Bitte laden Sie ein JPEG-, PNG- oder WebP-Bild hoch."))
        if width * height > MAX_PIXELS:
            raise ValidationError(_("Das Bild hat zu viele Bildpunkte."))
        upload.seek(0)
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_EDGE, MAX_EDGE))
            if image_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            buffer = BytesIO()
            image.save(buffer, format=image_format, quality=85)
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        # Pillow's own guard (over twice its MAX_IMAGE_PIXELS) fires before ours can.
        raise ValidationError(_("Das Bild hat zu viele Bildpunkte.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _(
                "Die Datei ist kein lesbares Bild. "
                "Bitte laden Sie ein JPEG-, PNG- oder WebP-Bild hoch."
            )
        ) from None
    extension = ALLOWED_FORMATS[image_format]
    stem = (upload.name or "bild").rsplit(".", 1)[0][:80] or "bild"
    return SimpleUploadedFile(
        f"{stem}.{extension}",
        buffer.getvalue(),
        content_type=f"image/{extension.replace('jpg', 'jpeg')}",
    )
