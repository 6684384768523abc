"""Document text extraction in a real Celery worker (Redis broker, PostgreSQL database)."""

import importlib
import uuid

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection

from projects.models import Document, FieldOfAction, Project
from soest_office.models import Municipality
from soest_office.search.engine import search
from soest_office.search.tasks import extract_document_text
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


@pytest.fixture
def reference_data(transactional_db):
    """Municipalities, fields of action and groups as `migrate` creates them (an earlier
    transactional test's flush removed them)."""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    from soest_office.roles import sync_group_permissions

    for module in (
        "soest_office.migrations.0002_municipalities_and_groups",
        "projects.migrations.0002_fields_of_action",
    ):
        importlib.import_module(module).create(apps, None)
    sync_group_permissions(Group, Permission)


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
        result = extract_document_text.apply_async(kwargs={"document_id": document.pk}, queue=queue)
        try:
            assert result.get(timeout=60) == "done"
        except Exception:
            worker.terminate()
            print(worker.stdout.read())
            raise
    hits = [hit.title for group in search(office, "Richtfunkstrecke").groups for hit in group.hits]
    assert hits == ["Ausbauplan"]
