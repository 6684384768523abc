"""Rate limits of the public forms, counted in fixed windows in the cache (Redis in
production, so every web process counts the same hits). No IP address is stored anywhere
else: the cache key holds it only for the window."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _hit(key: str, window: int) -> int:
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def _digest(value: str) -> str:
    return hashlib.sha256(value.lower().encode()).hexdigest()[:32]


def ip_rate_exceeded(ip: str) -> bool:
    """More than PARTICIPATION_RATE_PER_IP submissions from one address per hour."""
    return _hit(f"participation:ip:{_digest(ip)}", 3600) > settings.PARTICIPATION_RATE_PER_IP


def address_rate_exceeded(email: str) -> bool:
    """More than PARTICIPATION_MAILS_PER_ADDRESS mails to one address per day."""
    key = f"participation:addr:{_digest(email)}"
    return _hit(key, 24 * 3600) > settings.PARTICIPATION_MAILS_PER_ADDRESS
