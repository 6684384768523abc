"""Retention (beat task): unconfirmed contributions and supports go after
PARTICIPATION_UNCONFIRMED_DAYS; PARTICIPATION_ADDRESS_RETENTION_DAYS after a participation
ended, the authors' addresses, names and contact links are removed, the texts stay anonymous."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import Contribution, Participation, Support


@transaction.atomic
def retention_apply(now=None) -> dict:
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.PARTICIPATION_UNCONFIRMED_DAYS)
    unconfirmed, _ = Contribution.objects.filter(
        status=Contribution.Status.UNCONFIRMED, created_at__lt=cutoff
    ).delete()
    supports, _ = Support.objects.filter(
        confirmed_at__isnull=True, requested_at__lt=cutoff
    ).delete()
    last_day = timezone.localdate(now) - datetime.timedelta(
        days=settings.PARTICIPATION_ADDRESS_RETENTION_DAYS
    )
    ended = Participation.objects.filter(ends_on__lt=last_day, addresses_removed_at__isnull=True)
    anonymised = 0
    for participation in ended.select_for_update():
        anonymised += (
            Contribution.objects.filter(participation=participation)
            .exclude(email="", author_name="", contact__isnull=True)
            .update(
                email="",
                author_name="",
                show_name=False,
                contact=None,
                contact_consent=False,
                address_removed_at=now,
            )
        )
        participation.addresses_removed_at = now
        participation.save(update_fields=["addresses_removed_at"])
    return {"unconfirmed": unconfirmed, "supports": supports, "anonymised": anonymised}
