"""Embargo and timed sending: an approved, scheduled release goes to chosen press lists
before publication with "Sperrfrist: <date, time>"; at the scheduled time it is published
and the lists chosen for "send at publication" receive it, exactly once."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from news import mailing, services
from news.models import Delivery, PressRelease
from news.tests.factories import PressReleaseFactory
from news.tests.mailing_helpers import member
from stakeholders.models import Purpose
from stakeholders.tests.factories import DistributionListFactory, consenting_contact

pytestmark = pytest.mark.django_db
S = PressRelease.Status


@pytest.fixture
def scheduled(office2):
    at = timezone.now() + dt.timedelta(hours=2)
    return PressReleaseFactory(
        status=S.SCHEDULED, publish_at=at, approved_by=office2, title="Glasfaser für alle"
    )


@pytest.fixture
def lists():
    early = DistributionListFactory(name="Presse mit Sperrfrist", purpose=Purpose.PRESS)
    later = DistributionListFactory(name="Presse bei Veröffentlichung", purpose=Purpose.PRESS)
    member(early, consenting_contact(last_name="Frueh", email="frueh@example.org"))
    member(later, consenting_contact(last_name="Spaet", email="spaet@example.org"))
    return early, later


def test_embargo_mail_before_and_publication_mail_at_the_time_exactly_once(
    client, client_for, office, scheduled, lists, django_capture_on_commit_callbacks
):
    early, later = lists
    editor = client_for(office)
    url = reverse("news:distribution_scheduled", args=[scheduled.pk])
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(url, {"mode": "veroeffentlichung", "lists": [later.pk]})
        editor.post(url, {"mode": "sperrfrist", "lists": [early.pk]})

    line = "Sperrfrist: " + timezone.localtime(scheduled.publish_at).strftime("%d.%m.%Y, %H:%M")
    assert [m.to for m in mail.outbox] == [["frueh@example.org"]]
    embargo_mail = mail.outbox[0]
    assert line in embargo_mail.subject
    assert line in embargo_mail.body
    assert line in embargo_mail.alternatives[0][0]
    # Public page and feeds still wait.
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    assert "Glasfaser für alle" not in client.get(reverse("news:feed_rss")).content.decode()

    # Beat at the scheduled time (twice: exactly once).
    later_time = scheduled.publish_at + dt.timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.publish_due_releases(now=later_time) == [scheduled.pk]
        assert services.publish_due_releases(now=later_time) == []
    assert mailing.send_at_publication(release_id=scheduled.pk) == 0  # a second run: nothing

    assert [m.to for m in mail.outbox] == [["frueh@example.org"], ["spaet@example.org"]]
    publication_mail = mail.outbox[1]
    assert "Sperrfrist" not in publication_mail.subject
    assert "Sperrfrist" not in publication_mail.body
    assert Delivery.objects.filter(distribution__release=scheduled).count() == 2
    scheduled.refresh_from_db()
    assert scheduled.publication_sent_at is not None


def test_embargo_time_in_the_past_is_refused_in_german(client_for, office, lists):
    early, _later = lists
    overdue = PressReleaseFactory(
        status=S.SCHEDULED, publish_at=timezone.now() - dt.timedelta(minutes=5)
    )
    response = client_for(office).post(
        reverse("news:distribution_scheduled", args=[overdue.pk]),
        {"mode": "sperrfrist", "lists": [early.pk]},
        follow=True,
    )
    assert "liegt in der Vergangenheit" in response.content.decode()
    assert not Delivery.objects.exists()
    assert mail.outbox == []


def test_only_a_scheduled_release_goes_out_under_embargo(office, lists):
    early, _later = lists
    draft = PressReleaseFactory(status=S.SUBMITTED)
    with pytest.raises(Exception, match="nur eine freigegebene Meldung"):
        mailing.embargo_send(release=draft, user=office, lists=[early])
    assert not Delivery.objects.exists()


def test_partners_cannot_send_under_embargo(client_for, partner_soest, scheduled, lists):
    early, _later = lists
    response = client_for(partner_soest).post(
        reverse("news:distribution_scheduled", args=[scheduled.pk]),
        {"mode": "sperrfrist", "lists": [early.pk]},
    )
    assert response.status_code in (403, 404)
    assert not Delivery.objects.exists()
