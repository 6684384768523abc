"""Records of sent weekly overviews are deleted after RETENTION_DIGEST_MAIL_DAYS."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from subscriptions.models import DigestMail
from subscriptions.retention import DIGESTS

from .factories import SubscriptionFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 6, 1, 12, 0))


def _digest(subscription, week_start, status=DigestMail.Status.SENT):
    return DigestMail.objects.create(
        subscription=subscription,
        week_start=week_start,
        period_end=timezone.make_aware(datetime.datetime.combine(week_start, datetime.time(7, 0))),
        status=status,
    )


def test_overviews_of_weeks_before_the_period_are_deleted_waiting_ones_stay():
    subscription = SubscriptionFactory()
    boundary = (NOW - datetime.timedelta(days=settings.RETENTION_DIGEST_MAIL_DAYS)).date()
    old = _digest(subscription, boundary - datetime.timedelta(days=1))
    old_failed = _digest(
        subscription, boundary - datetime.timedelta(days=8), DigestMail.Status.FAILED
    )
    on_boundary = _digest(subscription, boundary)
    young = _digest(subscription, boundary + datetime.timedelta(days=7))
    old_waiting = _digest(
        subscription, boundary - datetime.timedelta(days=15), DigestMail.Status.QUEUED
    )

    assert set(DIGESTS.queryset_due(NOW).values_list("pk", flat=True)) == {old.pk, old_failed.pk}
    assert DIGESTS.apply(NOW) == 2

    assert set(DigestMail.objects.values_list("pk", flat=True)) == {
        on_boundary.pk,
        young.pk,
        old_waiting.pk,
    }
    assert DIGESTS.apply(NOW) == 0
