"""Retention of subscribe requests: they are deleted once their time is up."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from ..models import SubscriptionRequest


def requests_cleanup(*, now: datetime | None = None) -> int:
    """Delete requests older than SUBSCRIPTIONS_REQUEST_RETENTION_DAYS (unconfirmed ones,
    and confirmed ones whose proof now lives on the subscription). Idempotent."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.SUBSCRIPTIONS_REQUEST_RETENTION_DAYS)
    deleted, _detail = SubscriptionRequest.objects.filter(requested_at__lt=limit).delete()
    return deleted
