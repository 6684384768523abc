"""Signed links of the subscription: confirmation (single use, 48 h) and the personal
manage link (no expiry; invalidated by replacing the subscription's manage_key)."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

CONFIRM_SALT = "subscriptions.confirm"
MANAGE_SALT = "subscriptions.manage"


class TokenExpired(Exception):
    pass


class TokenInvalid(Exception):
    pass


def confirm_token(request) -> str:
    return signing.dumps({"r": request.pk, "k": request.key}, salt=CONFIRM_SALT, compress=True)


def read_confirm_token(token: str) -> dict:
    """The payload, or TokenExpired / TokenInvalid (tampered, truncated, wrong salt)."""
    try:
        payload = signing.loads(
            token, salt=CONFIRM_SALT, max_age=settings.SUBSCRIPTIONS_CONFIRM_HOURS * 3600
        )
    except signing.SignatureExpired as exc:
        raise TokenExpired from exc
    except signing.BadSignature as exc:
        raise TokenInvalid from exc
    if not isinstance(payload, dict) or not {"r", "k"} <= payload.keys():
        raise TokenInvalid
    return payload


def manage_token(subscription) -> str:
    return signing.dumps(
        {"s": subscription.pk, "k": subscription.manage_key}, salt=MANAGE_SALT, compress=True
    )


def read_manage_token(token: str) -> dict:
    try:
        payload = signing.loads(token, salt=MANAGE_SALT)
    except signing.BadSignature as exc:
        raise TokenInvalid from exc
    if not isinstance(payload, dict) or not {"s", "k"} <= payload.keys():
        raise TokenInvalid
    return payload


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def confirm_url(request) -> str:
    return absolute(reverse("subscriptions:confirm", kwargs={"token": confirm_token(request)}))


def manage_url(subscription) -> str:
    return absolute(reverse("subscriptions:manage", kwargs={"token": manage_token(subscription)}))


def unsubscribe_url(subscription) -> str:
    """The RFC 8058 one-click target (POST) and the page behind the link (GET)."""
    return absolute(
        reverse("subscriptions:unsubscribe", kwargs={"token": manage_token(subscription)})
    )
