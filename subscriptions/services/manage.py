"""What a subscriber does through the personal manage link: look the subscription up from
the link, change topics and frequency, unsubscribe."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from news.models import Delivery
from stakeholders import services as stakeholder_services

from .. import tokens
from ..models import DigestMail, Frequency, Subscription, SubscriptionEvent
from .consent import PURPOSE, has_consent
from .subscribe import topics_text


def subscription_from_token(token: str) -> Subscription | None:
    """The subscription of a manage link, or None (tampered, or the key was replaced)."""
    try:
        payload = tokens.read_manage_token(token)
    except tokens.TokenInvalid:
        return None
    return (
        Subscription.objects.select_related("contact", "consent_text")
        .filter(pk=payload["s"], manage_key=payload["k"])
        .first()
    )


def is_active(subscription: Subscription) -> bool:
    """Active and the contact's newsletter consent still current (a withdrawal through a
    press mail's unsubscribe link or in the intranet counts too)."""
    return subscription.status == Subscription.Status.ACTIVE and has_consent(
        subscription.contact_id
    )


@transaction.atomic
def subscription_update(
    *, subscription: Subscription, sections, municipalities, frequency: str
) -> Subscription:
    """Change topics and frequency (from the manage link)."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.frequency != frequency:
        if frequency == Frequency.WEEKLY:
            # The first overview starts now: what was sent at once is not listed again.
            subscription.digest_sent_until = timezone.now()
        subscription.frequency = frequency
    subscription.save(update_fields=["frequency", "digest_sent_until", "updated_at"])
    subscription.sections.set(sections)
    subscription.municipalities.set(municipalities)
    SubscriptionEvent.objects.create(
        subscription=subscription,
        kind=SubscriptionEvent.Kind.CHANGED,
        at=timezone.now(),
        detail=topics_text(subscription),
    )
    return subscription


@transaction.atomic
def subscription_unsubscribe(*, subscription: Subscription, source: str) -> bool:
    """End the subscription now and record the withdrawal of consent in stakeholders.
    Queued mails to the subscriber are skipped. Idempotent; returns False when it was
    already ended."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    was_active = subscription.status == Subscription.Status.ACTIVE
    now = timezone.now()
    if was_active:
        subscription.status = Subscription.Status.ENDED
        subscription.ended_at = now
        subscription.save(update_fields=["status", "ended_at", "updated_at"])
        SubscriptionEvent.objects.create(
            subscription=subscription,
            kind=SubscriptionEvent.Kind.UNSUBSCRIBED,
            at=now,
            detail=source,
        )
    stakeholder_services.consent_withdraw(
        contact=subscription.contact, purpose=PURPOSE, source=source
    )
    Delivery.objects.filter(
        contact_id=subscription.contact_id, purpose=PURPOSE, status=Delivery.Status.QUEUED
    ).update(status=Delivery.Status.SKIPPED, error=_("abgemeldet"))
    subscription.digests.filter(status=DigestMail.Status.QUEUED).update(
        status=DigestMail.Status.SKIPPED, error=_("abgemeldet")
    )
    return was_active
