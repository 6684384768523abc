"""A large import runs in a real Celery worker against PostgreSQL and Redis."""

import uuid

import pytest
from django.conf import settings
from django.core.files.base import ContentFile

from soest_office.tests.factories import UserFactory
from stakeholders.importer import guess_mapping
from stakeholders.models import Contact, ImportJob
from stakeholders.tasks import import_run
from tests.workers import celery_worker

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_production_services():
    if not settings.REDIS_URL or settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        pytest.skip("braucht REDIS_URL und PostgreSQL (zweiter Lauf von .ci/run)")


def test_import_task_round_trips_through_a_worker(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory(username="import-worker")
    rows = "".join(f"Vor{i};Nach{i};w{i}@example.org\n" for i in range(3000))
    data = ("Vorname;Nachname;E-Mail\n" + rows).encode()
    job = ImportJob(
        token=uuid.uuid4().hex,
        original_name="gross.csv",
        file_format="csv",
        headers=["Vorname", "Nachname", "E-Mail"],
        mapping=guess_mapping(["Vorname", "Nachname", "E-Mail"]),
        total_rows=3000,
        uploaded_by=user,
    )
    job.file.save("upload", ContentFile(data), save=False)
    job.save()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    with celery_worker(queue=queue, extra_env={"MEDIA_ROOT": str(tmp_path)}) as worker:
        result = import_run.apply_async(args=[job.pk, user.pk], queue=queue)
        try:
            assert result.get(timeout=120) == "done"
        except Exception:
            worker.terminate()
            print(worker.stdout.read())
            raise
        # A second delivery of the same task imports nothing twice.
        assert import_run.apply_async(args=[job.pk, user.pk], queue=queue).get(timeout=60) == (
            "skipped"
        )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.created_count == 3000
    assert Contact.objects.count() == 3000
