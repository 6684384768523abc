"""The subscriptions app's own mails (confirmation, manage link, weekly digest): built from
the templates under subscriptions/mail/, with the one-click List-Unsubscribe headers where
the address is subscribed."""

from __future__ import annotations

from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .. import tokens
from ..models import Subscription, SubscriptionRequest


def _list_headers(subscription: Subscription) -> dict:
    return {
        "List-Unsubscribe": f"<{tokens.unsubscribe_url(subscription)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _message(subject: str, template: str, context: dict, to: str, headers=None):
    context = {"site_url": settings.SITE_URL, **context}
    message = mail.EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"subscriptions/mail/{template}.txt", context),
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(
        render_to_string(f"subscriptions/mail/{template}.html", context), "text/html"
    )
    return message


def build_confirmation_message(request: SubscriptionRequest):
    return _message(
        _("Bitte bestätigen Sie Ihr Abonnement der Digitalen Modellregion Soest"),
        "confirm",
        {
            "request": request,
            "confirm_url": tokens.confirm_url(request),
            "hours": settings.SUBSCRIPTIONS_CONFIRM_HOURS,
        },
        request.email,
    )


def build_manage_link_message(subscription: Subscription):
    return _message(
        _("Ihr Abonnement der Digitalen Modellregion Soest"),
        "manage_link",
        {
            "subscription": subscription,
            "manage_url": tokens.manage_url(subscription),
            "unsubscribe_url": tokens.unsubscribe_url(subscription),
        },
        subscription.email,
        _list_headers(subscription),
    )


def build_digest_message(subscription: Subscription, releases):
    return _message(
        _("Wochenüberblick: Neues aus der Digitalen Modellregion Soest"),
        "digest",
        {
            "subscription": subscription,
            "releases": releases,
            "manage_url": tokens.manage_url(subscription),
            "unsubscribe_url": tokens.unsubscribe_url(subscription),
        },
        subscription.email,
        _list_headers(subscription),
    )


def confirmation_send(*, request_id: int) -> bool:
    request = SubscriptionRequest.objects.select_related("consent_text").filter(pk=request_id)
    request = request.filter(confirmed_at__isnull=True).first()
    if request is None:
        return False
    build_confirmation_message(request).send()
    return True


def manage_link_send(*, subscription_id: int) -> bool:
    subscription = Subscription.objects.active().filter(pk=subscription_id).first()
    if subscription is None:
        return False
    build_manage_link_message(subscription).send()
    return True
