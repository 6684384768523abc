"""Press mailings when something fails: SMTP errors and retries, the reconciler, a
programming error and a worker killed mid-batch."""

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from news import mailing
from news.models import Delivery, Distribution
from news.tests.mailing_helpers import D, member, queued_deliveries, send
from stakeholders.models import Interaction, Purpose
from stakeholders.tests.factories import consenting_contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def flaky_backend(settings):
    settings.EMAIL_BACKEND = "news.tests.mail_backends.FlakySMTPBackend"


def test_temporary_error_is_retried_with_backoff_then_fails(
    release, press_list, office, flaky_backend, settings, django_capture_on_commit_callbacks
):
    settings.NEWS_MAX_ATTEMPTS = 2
    member(press_list, consenting_contact(email="temp-redaktion@example.org"))
    ok = member(press_list, consenting_contact(email="ok@example.org"))
    send(release, office, [press_list], capture=django_capture_on_commit_callbacks)
    temp = Delivery.objects.get(email__startswith="temp-")
    assert (temp.status, temp.attempts) == (D.QUEUED, 1)
    assert "451" in temp.error
    assert temp.next_attempt_at > timezone.now()
    assert Delivery.objects.get(contact=ok).status == D.SENT
    # Not due yet: a re-run leaves it alone.
    assert mailing.deliveries_send(delivery_ids=[temp.pk])["sent"] == 0
    Delivery.objects.filter(pk=temp.pk).update(next_attempt_at=timezone.now())
    mailing.deliveries_send(delivery_ids=[temp.pk])
    temp.refresh_from_db()
    assert (temp.status, temp.attempts) == (D.FAILED, 2)
    assert "Nach 2 Versuchen aufgegeben" in temp.error


def test_permanent_error_fails_with_reason(
    release, press_list, office, flaky_backend, django_capture_on_commit_callbacks
):
    member(press_list, consenting_contact(email="perm-weg@example.org"))
    send(release, office, [press_list], capture=django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert delivery.status == D.FAILED
    assert "550" in delivery.error
    assert "User unknown" in delivery.error


def test_dropped_connection_leaves_the_rest_queued(
    release, press_list, office, flaky_backend, django_capture_on_commit_callbacks
):
    member(press_list, consenting_contact(last_name="Aaa", email="drop-a@example.org"))
    member(press_list, consenting_contact(last_name="Bbb", email="b@example.org"))
    send(release, office, [press_list], capture=django_capture_on_commit_callbacks)
    dropped = Delivery.objects.get(email="drop-a@example.org")
    assert (dropped.status, dropped.attempts) == (D.QUEUED, 1)
    assert "SMTPServerDisconnected" in dropped.error
    # The rest of the batch stayed queued and went out with the retry, over a new connection.
    assert Delivery.objects.get(email="b@example.org").status == D.SENT


def test_reconciler_hands_back_stuck_deliveries(
    release, press_list, office, django_capture_on_commit_callbacks
):
    contact = member(press_list, consenting_contact())
    distribution = Distribution.objects.create(release=release, created_by=office)
    stuck = Delivery.objects.create(
        distribution=distribution,
        contact=contact,
        purpose=Purpose.PRESS,
        email=contact.email,
        status=D.SENDING,
        claimed_at=timezone.now() - dt.timedelta(hours=1),
        attempts=1,
    )
    result = mailing.deliveries_reconcile()
    assert result == {"released": 1, "dispatched": 1}
    stuck.refresh_from_db()
    assert stuck.status == D.SENT
    assert len(mail.outbox) == 1
    # A fresh claim (a live worker) is left alone.
    assert mailing.deliveries_reconcile() == {"released": 0, "dispatched": 0}


def test_reconciler_gives_up_on_a_delivery_that_keeps_crashing(release, office, settings):
    contact = consenting_contact()
    distribution = Distribution.objects.create(release=release, created_by=office)
    stuck = Delivery.objects.create(
        distribution=distribution,
        contact=contact,
        purpose=Purpose.PRESS,
        email=contact.email,
        status=D.SENDING,
        claimed_at=timezone.now() - dt.timedelta(hours=1),
        attempts=settings.NEWS_MAX_ATTEMPTS,
    )
    assert mailing.deliveries_reconcile()["released"] == 0
    stuck.refresh_from_db()
    assert stuck.status == D.FAILED
    assert "abgebrochen" in stuck.error
    assert mail.outbox == []


def test_a_programming_error_is_no_smtp_error(release, office, press_list):
    """A bug while building a mail propagates (the task fails visibly); it is not recorded
    as a temporary SMTP failure. What was sent is logged, what was not tried is queued."""
    ids = queued_deliveries(release, office, press_list, 4)
    real_build = mailing.build_message
    calls = []

    def build_with_a_bug(delivery, *args, **kwargs):
        calls.append(delivery.pk)
        if len(calls) == 3:
            raise TypeError("ein Programmierfehler")
        return real_build(delivery, *args, **kwargs)

    with (
        mock.patch.object(mailing.sending, "build_message", build_with_a_bug),
        pytest.raises(TypeError),
    ):
        mailing.deliveries_send(delivery_ids=ids)
    rows = {d.pk: d for d in Delivery.objects.filter(pk__in=ids)}
    assert [rows[pk].status for pk in ids] == [D.SENT, D.SENT, D.SENDING, D.QUEUED]
    assert all("Vorübergehender" not in d.error for d in rows.values())
    assert (rows[ids[3]].attempts, rows[ids[3]].claimed_at) == (0, None)
    assert len(mail.outbox) == 2
    assert Interaction.objects.filter(channel=Interaction.Channel.MAILING).count() == 2


def test_worker_killed_mid_batch_loses_nothing_and_logs_each_mail_once(
    release, office, press_list, django_capture_on_commit_callbacks
):
    """Simulate SIGKILL after two mails of a batch: no cleanup runs (no give-back, no
    history). The reconciler hands the claimed rows back and logs the two sent mails."""
    ids = queued_deliveries(release, office, press_list, 5)
    real_send = mail.EmailMessage.send
    sends = []

    def send_then_die(message, *args, **kwargs):
        if len(sends) == 2:
            raise KeyboardInterrupt  # stands in for the process dying here
        sends.append(message.to[0])
        return real_send(message, *args, **kwargs)

    with (
        mock.patch.object(mail.EmailMessage, "send", send_then_die),
        mock.patch.object(mailing.sending, "_give_back"),
        mock.patch.object(mailing.sending, "record_history"),
        pytest.raises(KeyboardInterrupt),
    ):
        mailing.deliveries_send(delivery_ids=ids)
    assert Delivery.objects.filter(status=D.SENT).count() == 2
    assert Delivery.objects.filter(status=D.SENDING).count() == 3
    assert not Interaction.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        mailing.deliveries_reconcile(stale_seconds=0)
    assert Delivery.objects.filter(status=D.SENT).count() == 5
    recipients = [m.to[0] for m in mail.outbox]
    assert sorted(recipients) == sorted(set(recipients))
    assert len(recipients) == 5
    contacts = Interaction.objects.filter(channel=Interaction.Channel.MAILING).values_list(
        "contact_id", flat=True
    )
    assert sorted(contacts) == sorted(set(contacts))
    assert len(contacts) == 5
