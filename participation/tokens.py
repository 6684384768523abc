"""Signed links of participation: confirm a contribution (48 h), confirm a support (48 h),
withdraw a contribution and its address (no expiry; invalidated by replacing the key)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

CONFIRM_SALT = "participation.confirm"
SUPPORT_SALT = "participation.support"
WITHDRAW_SALT = "participation.withdraw"


class TokenExpired(Exception):
    pass


class TokenInvalid(Exception):
    pass


def make(obj, salt: str) -> str:
    return signing.dumps({"i": obj.pk, "k": obj.key}, salt=salt, compress=True)


def read(token: str, salt: str, *, expires: bool = True) -> dict:
    """The payload, or TokenExpired / TokenInvalid (tampered, truncated, wrong salt)."""
    max_age = settings.PARTICIPATION_CONFIRM_HOURS * 3600 if expires else None
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise TokenExpired from exc
    except signing.BadSignature as exc:
        raise TokenInvalid from exc
    if not isinstance(payload, dict) or not {"i", "k"} <= payload.keys():
        raise TokenInvalid
    if not isinstance(payload["i"], int) or not isinstance(payload["k"], str):
        raise TokenInvalid
    return payload


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def confirm_url(contribution) -> str:
    token = make(contribution, CONFIRM_SALT)
    return absolute(reverse("participation:confirm", kwargs={"token": token}))


def support_url(support) -> str:
    token = make(support, SUPPORT_SALT)
    return absolute(reverse("participation:support_confirm", kwargs={"token": token}))


def withdraw_url(contribution) -> str:
    token = make(contribution, WITHDRAW_SALT)
    return absolute(reverse("participation:withdraw", kwargs={"token": token}))
