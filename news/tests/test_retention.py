"""Delivery records of press mailings lose their recipient after RETENTION_NEWS_DELIVERY_DAYS;
the row stays as the mailing's count."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from news.models import Delivery, Distribution
from news.retention import DELIVERIES
from stakeholders.tests.factories import ContactFactory

from .factories import PressReleaseFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 6, 1, 12, 0))
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def distribution(office):
    return Distribution.objects.create(release=PressReleaseFactory(), created_by=office)


def _delivery(distribution, at, status=Delivery.Status.SENT, **fields):
    contact = ContactFactory()
    delivery = Delivery.objects.create(
        distribution=distribution,
        contact=contact,
        purpose="press",
        email=contact.email or "x@example.org",
        name=contact.full_name,
        salutation="Sehr geehrte Frau Muster",
        status=status,
        error="550 user unknown x@example.org" if status == Delivery.Status.BOUNCED else "",
        **fields,
    )
    Delivery.objects.filter(pk=delivery.pk).update(updated_at=at)
    return delivery


def test_finished_deliveries_older_than_the_period_are_anonymised_the_rest_stays(distribution):
    boundary = NOW - datetime.timedelta(days=settings.RETENTION_NEWS_DELIVERY_DAYS)
    sent_old = _delivery(distribution, boundary - SECOND)
    bounced_old = _delivery(
        distribution, boundary - datetime.timedelta(days=30), Delivery.Status.BOUNCED
    )
    exactly = _delivery(distribution, boundary)
    sent_young = _delivery(distribution, boundary + SECOND)
    waiting_old = _delivery(distribution, boundary - SECOND, Delivery.Status.QUEUED)

    due = set(DELIVERIES.queryset_due(NOW).values_list("pk", flat=True))
    assert due == {sent_old.pk, bounced_old.pk}

    assert DELIVERIES.apply(NOW) == 2

    for delivery in (sent_old, bounced_old):
        delivery.refresh_from_db()
        assert delivery.contact_id is None
        assert (delivery.email, delivery.name, delivery.salutation, delivery.error) == (
            "",
            "",
            "",
            "",
        )
    bounced_old.refresh_from_db()
    assert bounced_old.status == Delivery.Status.BOUNCED  # the count per status stays
    for delivery in (exactly, sent_young, waiting_old):
        before = (delivery.contact_id, delivery.email, delivery.name)
        delivery.refresh_from_db()
        assert (delivery.contact_id, delivery.email, delivery.name) == before
        assert delivery.contact_id is not None
    assert Delivery.objects.filter(distribution=distribution).count() == 5
    assert DELIVERIES.apply(NOW) == 0  # idempotent: anonymised rows are not due again
