"""Reminders through Redis and a real Celery worker process on PostgreSQL: the second run
of the job mails nobody again."""

import datetime
import uuid

import pytest
from django.conf import settings

from projects.models import Notification, ProjectContact, ProjectUserSettings
from projects.tasks import send_reminders
from tests.workers import celery_worker, wait_until

from .factories import MilestoneFactory, ProjectFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_production_services():
    if not settings.REDIS_URL or settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        pytest.skip("braucht REDIS_URL und PostgreSQL (zweiter Lauf von .ci/run)")


def test_reminder_job_in_a_worker_sends_each_reminder_once(tmp_path, reference_data, request):
    partner_soest = request.getfixturevalue("partner_soest")  # after the reference data
    today = datetime.date.today()
    project = ProjectFactory(
        title="Bürgerbeteiligung online",
        start_date=today - datetime.timedelta(days=200),
        last_report_date=today - datetime.timedelta(days=120),
    )
    ProjectContact.objects.create(
        project=project, municipality=partner_soest.municipality, user=partner_soest
    )
    MilestoneFactory(project=project, due_date=today - datetime.timedelta(days=2))
    ProjectUserSettings.objects.create(user=partner_soest, mail_mode="immediate")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    with celery_worker(
        # The job queues each immediate mail as its own task on the default queue.
        queue=f"{queue},celery",
        extra_env={
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(tmp_path),
        },
    ) as worker:
        try:
            assert send_reminders.apply_async(queue=queue).get(timeout=60) == 2
            assert wait_until(
                lambda: Notification.objects.filter(sent_at__isnull=False).count() == 2,
                timeout=60,
            )
            assert send_reminders.apply_async(queue=queue).get(timeout=60) == 0
        except Exception:
            worker.terminate()
            print(worker.stdout.read())
            raise
    mails = b"".join(path.read_bytes() for path in tmp_path.iterdir())
    assert mails.count(b"Subject:") == 2
    assert partner_soest.email.encode() in mails
