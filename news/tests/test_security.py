"""Bad input: XSS payloads in every field, image uploads validated by content."""

import io
import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from news.markdown import render_markdown
from news.models import PressRelease
from news.tests.factories import image_bytes, image_upload

XSS_PAYLOADS = [
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    "<svg/onload=alert(1)>",
    '"><script>alert(1)</script>',
    '<a href="javascript:alert(1)">klick</a>',
    "[klick](javascript:alert(1))",
    "[klick](JaVaScRiPt:alert(1))",
    "[klick](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '![bild](x" onerror="alert(1))',
    "<iframe src=https://evil.example></iframe>",
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<<script>script>alert(1)<</script>/script>",
    "<details open ontoggle=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
]


class _TagCollector(HTMLParser):
    """Every real element and attribute of a document (escaped text is not markup)."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not (attributes.get("src") or "").startswith("/static/"):
            self.found.append(f"<{tag}>")
        if tag in ("svg", "iframe", "style", "details", "object", "embed"):
            self.found.append(f"<{tag}>")
        if tag == "img" and attributes.get("src") == "x":
            self.found.append("<img src=x>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if name in ("href", "src") and (value or "").strip().lower().startswith(
                ("javascript:", "data:text")
            ):
                self.found.append(f"{tag}[{name}={value}]")


def injected_markup(html: str) -> list[str]:
    collector = _TagCollector()
    collector.feed(html)
    return collector.found


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markdown_neutralises_payload(payload):
    assert injected_markup(render_markdown(payload)) == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>\"'=/:() abcjavscriptonerr[]!&#;")), max_size=80))
def test_markdown_never_emits_script_for_fuzzed_input(text):
    html = render_markdown(text)
    assert "<script" not in html.lower()
    assert "javascript:" not in html.lower()


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payload_in_every_field_is_escaped_on_public_page_and_feed(
    client, client_for, office, office2, payload
):
    editor = client_for(office)
    data = {
        "title": f"Titel {payload}",
        "dateline": payload[:80],
        "teaser": f"Vorspann {payload}",
        "body": f"Text {payload}",
        "tag_names": payload[:60].replace(",", " "),
        "press_contact_phone": payload[:40],
        "embargo_note": payload[:200],
    }
    response = editor.post(reverse("news:editorial_create"), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    release = PressRelease.objects.get()
    from news import services

    services.release_submit(release=release, user=office)
    services.release_approve(release=release, user=office2)
    services.release_publish(release=release, user=office2)
    client.logout()
    for url in (
        release.get_absolute_url(),
        reverse("news:public_list"),
        reverse("news:feed_rss"),
        reverse("news:feed_atom"),
    ):
        body = client.get(url).content.decode()
        assert injected_markup(body) == [], url
    assert injected_markup(editor.get(release.get_editorial_url()).content.decode()) == []


def test_image_is_reencoded_and_metadata_dropped():
    from news.images import validate_and_reencode

    buffer = io.BytesIO()
    image = Image.new("RGB", (50, 40), (200, 10, 10))
    exif = image.getexif()
    exif[0x010E] = "GPS-Geheimnis"
    image.save(buffer, format="JPEG", exif=exif)
    upload = SimpleUploadedFile(
        "foto.jpeg", buffer.getvalue() + b"<script>", content_type="image/jpeg"
    )
    result = validate_and_reencode(upload)
    data = result.read()
    assert b"GPS-Geheimnis" not in data
    assert b"<script>" not in data
    assert result.name == "foto.jpg"
    assert Image.open(io.BytesIO(data)).format == "JPEG"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile(
                "foto.jpg", b"<?php system($_GET['c']); ?>", content_type="image/jpeg"
            ),
            "kein Bild",
        ),
        (
            SimpleUploadedFile("bild.gif", image_bytes("GIF"), content_type="image/gif"),
            "JPEG-, PNG- oder WebP",
        ),
    ],
)
def test_bad_uploads_get_a_german_error(client_for, office, upload, message):
    response = client_for(office).post(
        reverse("news:editorial_create"),
        {
            "title": "T",
            "teaser": "V",
            "body": "B",
            "image": upload,
            "image_alt": "a",
            "image_credit": "c",
        },
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["image"])


@pytest.mark.django_db
def test_oversized_image_is_refused(client_for, office, settings):
    settings.NEWS_IMAGE_MAX_BYTES = 100
    response = client_for(office).post(
        reverse("news:editorial_create"),
        {
            "title": "T",
            "teaser": "V",
            "body": "B",
            "image": image_upload(),
            "image_alt": "a",
            "image_credit": "c",
        },
    )
    assert "zu groß" in " ".join(response.context["form"].errors["image"])


@pytest.mark.django_db
def test_image_needs_alt_text_and_credit(client_for, office):
    response = client_for(office).post(
        reverse("news:editorial_create"),
        {"title": "T", "teaser": "V", "body": "B", "image": image_upload()},
    )
    errors = response.context["form"].errors
    assert "image_alt" in errors
    assert "Bildquelle" in " ".join(errors["image_credit"])


def _create_with_image(client, image, title):
    return client.post(
        reverse("news:editorial_create"),
        {
            "title": title,
            "teaser": "V",
            "body": "B",
            "image": image,
            "image_alt": "Übergabe des Förderbescheids",
            "image_credit": "Foto: Land NRW",
        },
    )


@pytest.mark.django_db
def test_valid_image_is_stored_reencoded(client_for, office):
    response = _create_with_image(
        client_for(office), image_upload("Übergabe.png", fmt="PNG"), "Mit Bild"
    )
    assert response.status_code == 302
    release = PressRelease.objects.get()
    assert release.image.name.endswith(".png")
    assert (
        client_for(office)
        .get(reverse("news:editorial_image", kwargs={"pk": release.pk}))
        .status_code
        == 200
    )


@pytest.mark.django_db
def test_uploaded_image_is_stored_under_a_generated_name(client_for, office):
    response = _create_with_image(
        client_for(office),
        image_upload("Erika-Mustermann_Privatfoto.jpg"),
        "Bild mit sprechendem Namen",
    )
    assert response.status_code == 302
    name = PressRelease.objects.get().image.name
    assert "Mustermann" not in name
    assert "Privatfoto" not in name
    assert re.fullmatch(r"presse/\d{4}/[0-9a-f]{32}\.jpg", name), name
