"""Real Celery workers on Redis, a real SMTP server, PostgreSQL: the guarantees of the
mailing and of scheduled publishing under crashes and concurrency."""

import datetime as dt
import os
import random
import uuid
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
import redis
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from news import mailing
from news.models import Delivery, PressRelease
from news.tasks import publish_due_releases
from news.tests.factories import PressReleaseFactory
from news.tests.smtp_sink import smtp_sink
from news.tests.workers import kill_hard, routed_to, start_worker, stop, workers
from stakeholders.models import Contact, LegalBasisRecord, ListMembership, Purpose
from stakeholders.tests.factories import DistributionListFactory
from tests.workers import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
D = Delivery.Status


@pytest.fixture(autouse=True)
def _needs_production_services():
    if not settings.REDIS_URL or settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        pytest.skip("braucht REDIS_URL und PostgreSQL (zweiter Lauf von .ci/run)")


@pytest.fixture
def queue():
    name = f"news-test-{uuid.uuid4().hex[:8]}"
    with routed_to(name):
        yield name
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(name)


def press_list_with(n: int, tag: str):
    """A press list of n contacts with consent, created in bulk."""
    press_list = DistributionListFactory(name=f"Presse {tag}")
    contacts = Contact.objects.bulk_create(
        Contact(
            first_name="Erika",
            last_name=f"Redakteurin {tag} {i:04d}",
            email=f"r{i}-{tag}@example.org",
        )
        for i in range(n)
    )
    since = timezone.now() - dt.timedelta(days=1)
    LegalBasisRecord.objects.bulk_create(
        LegalBasisRecord(
            contact=c,
            purpose=Purpose.PRESS,
            status=LegalBasisRecord.Status.CONSENT,
            effective_at=since,
        )
        for c in contacts
    )
    ListMembership.objects.bulk_create(
        ListMembership(distribution_list=press_list, contact=c) for c in contacts
    )
    return press_list, [c.email for c in contacts]


def smtp_env(port: int) -> dict:
    return {
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "NEWS_RETRY_BASE_SECONDS": "1",
        "NEWS_BATCH_SIZE": "50",
    }


def sent_count(release) -> int:
    return Delivery.objects.filter(distribution__release=release, status=D.SENT).count()


def at_least_sent(release, n: int):
    return lambda: sent_count(release) >= n


def test_worker_sends_through_real_smtp_with_retry_of_temporary_errors(queue, office):
    release = PressReleaseFactory(published=True, title="Digitales Bürgerbüro eröffnet")
    press_list, emails = press_list_with(5, "rt")
    with smtp_sink(temporary_failures={emails[0]: 1}) as (sink, port):  # noqa: SIM117
        with workers(queue=queue, extra_env=smtp_env(port)):
            mailing.distribution_send(release=release, user=office, lists=[press_list])
            assert wait_until(lambda: sent_count(release) == 5, timeout=60)
    assert all(sink.received[e] == 1 for e in emails)
    retried = Delivery.objects.get(email=emails[0])
    assert retried.attempts == 2
    message = message_from_bytes(sink.messages[0])
    assert " ".join(message["List-Unsubscribe"].split()).startswith(
        f"<{settings.SITE_URL}/presse/abmelden/"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"


def test_rolled_back_request_queues_nothing_in_redis(queue, office):
    release = PressReleaseFactory(published=True)
    press_list, _ = press_list_with(3, "rb")
    client = redis.Redis.from_url(settings.REDIS_URL)
    # Saving a published release queues the subscribers' fan-out (subscriptions app);
    # only what the rolled-back request queues is under test here.
    client.delete(queue)

    def failing_request():
        with transaction.atomic():
            mailing.distribution_send(release=release, user=office, lists=[press_list])
            raise RuntimeError("Abbruch")

    with pytest.raises(RuntimeError):
        failing_request()
    assert client.llen(queue) == 0
    assert not Delivery.objects.exists()
    mailing.distribution_send(release=release, user=office, lists=[press_list])
    assert client.llen(queue) == 1


def test_sigkill_mid_send_loses_no_mail_and_duplicates_at_most_the_one_in_flight(queue, office):
    """Kill the worker (with its pool) in the middle of a mailing, start a new one, let the
    reconciler hand back what was stuck: everyone gets the mail, at most one twice per kill."""
    runs = int(os.environ.get("NEWS_SIGKILL_RUNS", "10"))
    size = int(os.environ.get("NEWS_SIGKILL_RECIPIENTS", "300"))
    rng = random.Random(20261125)
    mid_send_kills = 0
    with smtp_sink() as (sink, port):
        worker = start_worker(queue=queue, extra_env=smtp_env(port))
        try:
            for run in range(runs):
                release = PressReleaseFactory(published=True, title=f"Lauf {run}")
                press_list, emails = press_list_with(size, f"k{run}")
                mailing.distribution_send(release=release, user=office, lists=[press_list])
                threshold = rng.randint(size // 20, size // 2)
                assert wait_until(at_least_sent(release, threshold), timeout=120, interval=0.02)
                kill_hard(worker)
                if sent_count(release) < size:
                    mid_send_kills += 1
                worker = start_worker(queue=queue, extra_env=smtp_env(port))
                # The reconciler (beat in production) hands back the row in flight.
                mailing.deliveries_reconcile(stale_seconds=0)
                assert wait_until(at_least_sent(release, size), timeout=180), f"Lauf {run}"
                missing = [e for e in emails if sink.received[e] == 0]
                duplicates = sum(sink.received[e] - 1 for e in emails)
                assert missing == [], f"Lauf {run}: {len(missing)} ohne Mail"
                assert duplicates <= 1, f"Lauf {run}: {duplicates} doppelte Mails"
        finally:
            stop(worker)
    print(f"SIGKILL-Test: {runs} Läufe, {mid_send_kills} mitten im Versand beendet")
    assert mid_send_kills >= runs // 2, "der Worker wurde zu selten mitten im Versand beendet"


def test_scheduled_publishing_happens_exactly_once_with_two_workers(queue):
    due = timezone.now() - dt.timedelta(seconds=1)
    releases = [
        PressReleaseFactory(status=PressRelease.Status.SCHEDULED, publish_at=due) for _ in range(15)
    ]
    with workers(queue=queue, count=2, concurrency=2):
        results = [publish_due_releases.delay() for _ in range(12)]
        published = [pk for result in results for pk in result.get(timeout=90)]
    assert sorted(published) == sorted(r.pk for r in releases)
    for release in releases:
        release.refresh_from_db()
        assert release.status == PressRelease.Status.PUBLISHED
        reasons = list(release.history.values_list("history_change_reason", flat=True))
        assert reasons.count("Zum geplanten Zeitpunkt veröffentlicht") == 1


def test_embargo_mail_before_and_publication_mail_at_the_time_exactly_once(queue, office):
    """Issue 16: the embargo mail goes out before publication through the real worker and
    SMTP; at the scheduled time beat (here: its task, called twelve times on two workers)
    publishes once and the lists chosen for publication get the mail exactly once."""
    publish_at = timezone.now() + dt.timedelta(seconds=4)
    release = PressReleaseFactory(
        status=PressRelease.Status.SCHEDULED, publish_at=publish_at, title="Sperrfrist-Test"
    )
    early, early_emails = press_list_with(3, "sf")
    later, later_emails = press_list_with(3, "vo")
    with smtp_sink() as (sink, port):  # noqa: SIM117
        with workers(queue=queue, count=2, concurrency=2, extra_env=smtp_env(port)):
            mailing.publication_lists_set(release=release, user=office, lists=[later])
            mailing.embargo_send(release=release, user=office, lists=[early])
            assert wait_until(lambda: all(sink.received[e] == 1 for e in early_emails), timeout=60)
            assert all(sink.received[e] == 0 for e in later_emails)
            release.refresh_from_db()
            assert release.status == PressRelease.Status.SCHEDULED  # the public still waits
            embargo = message_from_bytes(sink.messages[0])
            line = "Sperrfrist: " + timezone.localtime(publish_at).strftime("%d.%m.%Y, %H:%M")
            assert line in str(make_header(decode_header(embargo["Subject"])))

            assert wait_until(lambda: timezone.now() > publish_at, timeout=10)
            results = [publish_due_releases.delay() for _ in range(12)]
            published = [pk for result in results for pk in result.get(timeout=90)]
            assert published == [release.pk]
            assert wait_until(lambda: all(sink.received[e] >= 1 for e in later_emails), timeout=60)
            # Give a duplicate the chance to arrive before counting.
            wait_until(lambda: False, timeout=3)
    assert all(sink.received[e] == 1 for e in early_emails + later_emails)
    release.refresh_from_db()
    assert release.publication_sent_at is not None
