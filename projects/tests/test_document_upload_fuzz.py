"""Property test of the whole document upload (form, storage, text extraction for the search):
whatever file arrives, the answer is the stored document or the form with a German error,
never a server error; a stored file carries a generated name."""

import os
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projects.models import Document

SIGNATURE_PREFIXES = [b"", b"%PDF-1.7\n", b"PK\x03\x04", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"]
EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "csv", "txt", "png", "jpg", "doc", "exe", "svg", ""]
GENERATED = re.compile(r"projekte/dokumente/\d{4}/[0-9a-f]{32}(\.[a-z0-9]{1,8})?")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    prefix=st.sampled_from(SIGNATURE_PREFIXES),
    content=st.binary(max_size=2000),
    stem=st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=30),
    extension=st.sampled_from(EXTENSIONS),
)
def test_any_upload_ends_stored_or_as_a_form_error(
    client_for, office, soest_project, django_capture_on_commit_callbacks,
    prefix, content, stem, extension,
):  # fmt: skip
    url = reverse("projects:document_create", args=[soest_project.slug])
    name = f"{stem or 'datei'}.{extension}" if extension else stem or "datei"
    if os.path.basename(name) in {"", ".", ".."}:
        # Django's multipart parser keeps only a file name's last part; a name without one
        # ("/", "a/..") cannot reach a view (SimpleUploadedFile refuses to build it).
        name = "datei"
    upload = SimpleUploadedFile(name, prefix + content, "application/octet-stream")
    before = set(Document.objects.values_list("pk", flat=True))
    # The text extraction for the search runs on commit: run it too.
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(office).post(
            url, {"title": "Unterlage", "kind": "other", "file": upload}
        )
    added = Document.objects.exclude(pk__in=before)
    if response.status_code == 302:
        document = added.get()
        assert GENERATED.fullmatch(document.file.name), document.file.name
    else:
        assert response.status_code == 200
        assert not added.exists()
        assert "invalid-feedback" in response.content.decode()
