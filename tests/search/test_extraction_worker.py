"""Document text extraction in a real Celery worker (Redis broker, PostgreSQL database)."""

import uuid

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection

from projects.models import Document, FieldOfAction, Project
from soest_office.models import Municipality
from soest_office.search.engine import search
from soest_office.search.tasks import extract_file_text
from tests.workers import celery_worker

from .test_sources import docx_bytes

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not settings.REDIS_URL or connection.vendor != "postgresql",
        reason="braucht REDIS_URL und PostgreSQL (zweiter Lauf von .ci/run)",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_worker_extracts_an_uploaded_document_and_it_becomes_findable(
    reference_data, tmp_path, settings, office
):
    settings.MEDIA_ROOT = tmp_path
    project = Project.objects.create(
        title="Funknetz",
        slug=f"funknetz-{uuid.uuid4().hex[:6]}",
        field_of_action=FieldOfAction.objects.get(slug="infrastruktur"),
        lead_municipality=Municipality.objects.get(slug="soest"),
    )
    document = Document(project=project, title="Ausbauplan", original_name="plan.docx")
    document.file.save("plan.docx", ContentFile(docx_bytes("Richtfunkstrecken")), save=False)
    # bulk_create sends no signal, so the app queues nothing to the default queue; the test
    # sends the task to its own queue instead.
    Document.objects.bulk_create([document])
    assert search(office, "Richtfunkstrecke").total == 0

    queue = f"test-{uuid.uuid4().hex[:8]}"
    with celery_worker(queue=queue, extra_env={"MEDIA_ROOT": str(tmp_path)}) as worker:
        result = extract_file_text.apply_async(
            kwargs={"source": "dokumente", "object_id": document.pk}, queue=queue
        )
        try:
            assert result.get(timeout=60) == "done"
        except Exception:
            worker.terminate()
            print(worker.stdout.read())
            raise
    hits = [hit.title for group in search(office, "Richtfunkstrecke").groups for hit in group.hits]
    assert hits == ["Ausbauplan"]
