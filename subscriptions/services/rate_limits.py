"""Rate limits of the public subscribe form, counted in fixed windows in the cache (Redis in
production, so every web process counts the same hits)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


def _hit(key: str, window: int) -> int:
    """Count one hit in a fixed window; returns the count including this hit."""
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def ip_rate_exceeded(ip: str) -> bool:
    """More than SUBSCRIPTIONS_RATE_PER_IP submissions from one address per hour."""
    return _hit(f"subscriptions:ip:{ip}", 3600) > settings.SUBSCRIPTIONS_RATE_PER_IP


def address_rate_exceeded(email: str) -> bool:
    """More than SUBSCRIPTIONS_MAILS_PER_ADDRESS mails to one address per day."""
    key = f"subscriptions:addr:{email.lower()}"
    return _hit(key, 24 * 3600) > settings.SUBSCRIPTIONS_MAILS_PER_ADDRESS
