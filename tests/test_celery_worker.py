"""The worker path: a task queued by the app runs in a separate Celery worker process,
through the real Redis broker, against the real PostgreSQL test database."""

import uuid
from email import message_from_bytes

import pytest
from django.conf import settings

from soest_office.tasks import send_password_reset_email
from soest_office.tests.factories import UserFactory
from tests.workers import celery_worker

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_production_services():
    if not settings.REDIS_URL or settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        pytest.skip("braucht REDIS_URL und PostgreSQL (zweiter Lauf von .ci/run)")


def test_password_reset_task_round_trips_through_redis_and_a_worker(tmp_path):
    user = UserFactory(email="rundreise@example.org")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    with celery_worker(
        queue=queue,
        extra_env={
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(tmp_path),
        },
    ) as worker:
        result = send_password_reset_email.apply_async(kwargs={"user_id": user.pk}, queue=queue)
        try:
            assert result.get(timeout=60) is True
        except Exception:
            worker.terminate()
            print(worker.stdout.read())
            raise
    mails = list(tmp_path.iterdir())
    assert len(mails) == 1
    message = message_from_bytes(mails[0].read_bytes().split(b"\n" + b"-" * 79)[0])
    assert message["To"] == "rundreise@example.org"
    assert "/konto/passwort-neu/" in message.get_payload(decode=True).decode()
