"""The personal links in news' release mails to subscribers: the manage link and the
one-click unsubscribe link. Registered in news.mailing.MAIL_LINK_PROVIDERS by
SubscriptionsConfig.ready."""

from __future__ import annotations

from news.models import Delivery

from . import tokens
from .models import Subscription


def newsletter_links(deliveries: list[Delivery]) -> dict[int, dict]:
    """For news' release mails to subscribers (purpose newsletter, registered in
    news.mailing.MAIL_LINK_PROVIDERS): delivery pk -> the personal manage and one-click
    unsubscribe links, for a whole batch from one query."""
    subscriptions = {
        s.contact_id: s
        for s in Subscription.objects.filter(
            contact_id__in={d.contact_id for d in deliveries if d.contact_id is not None}
        )
    }
    links = {}
    for delivery in deliveries:
        subscription = subscriptions.get(delivery.contact_id)
        if subscription is not None:
            links[delivery.pk] = {
                "manage_url": tokens.manage_url(subscription),
                "unsubscribe_url": tokens.unsubscribe_url(subscription),
            }
    return links
