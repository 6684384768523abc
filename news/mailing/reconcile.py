"""The safety net from beat: deliveries a killed worker left in "sending" go back to the
queue (that one mail may go out twice, none is lost), sent mails it did not log are logged,
and distributions whose queued rows nobody works on are dispatched again."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Delivery, Distribution
from .dispatch import distribution_dispatch
from .history import record_history

logger = logging.getLogger(__name__)


def deliveries_reconcile(*, stale_seconds: int | None = None) -> dict:
    """Hand back deliveries stuck in "sending" (worker killed) and dispatch distributions
    whose queued rows nobody is working on. Idempotent; run from beat."""
    if stale_seconds is None:
        stale_seconds = settings.NEWS_DELIVERY_STALE_SECONDS
    now = timezone.now()
    limit = now - timedelta(seconds=stale_seconds)
    stuck = Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lt=limit)
    # A row that crashed its worker again and again must not loop forever.
    stuck.filter(attempts__gte=settings.NEWS_MAX_ATTEMPTS).update(
        status=Delivery.Status.FAILED,
        claimed_at=None,
        error=_("Versand %(n)d-mal abgebrochen") % {"n": settings.NEWS_MAX_ATTEMPTS},
    )
    released = stuck.update(status=Delivery.Status.QUEUED, claimed_at=None)
    # Mails a killed worker sent and marked, but did not get to log in the Kontakthistorie.
    logged = 0
    while True:
        unlogged = list(
            Delivery.objects.filter(
                status=Delivery.Status.SENT, claimed_at__isnull=False, claimed_at__lt=limit
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:500]
        )
        done = record_history(unlogged) if unlogged else 0
        logged += done
        if done < 500:
            break
    waiting = (
        Distribution.objects.filter(
            Q(last_dispatched_at__isnull=True) | Q(last_dispatched_at__lt=limit),
            pk__in=Delivery.objects.due(now).values("distribution_id"),
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    dispatched = list(waiting)
    for distribution_id in dispatched:
        distribution_dispatch(distribution_id=distribution_id)
    if released or dispatched or logged:
        logger.warning(
            "press deliveries reconciled: %s released, %s distributions dispatched, "
            "%s sent mails logged",
            released,
            len(dispatched),
            logged,
        )
    return {"released": released, "dispatched": len(dispatched)}
