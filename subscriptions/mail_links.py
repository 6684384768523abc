"""The personal links in news' release mails to subscribers: the manage link and the
one-click unsubscribe link, for mails of the purpose "newsletter" (found by the kernel, see
soest_office.plugins)."""

from __future__ import annotations

from news.models import Delivery
from soest_office.plugins import MAIL_LINKS, MailLinks

from . import tokens
from .models import Subscription


def newsletter_links(deliveries: list[Delivery]) -> dict[int, dict]:
    """Delivery pk -> the personal manage and one-click unsubscribe links, for a whole
    batch from one query."""
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


MAIL_LINKS.register(MailLinks(key="newsletter", links=newsletter_links))
