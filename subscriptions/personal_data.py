"""The subscriptions app's share of the data protection duties towards a person (found by
the kernel, see soest_office.plugins): the subscription with its consent proof in the
Auskunft, deleted on erasure, taken over on merge."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from soest_office.plugins import PERSONAL_DATA, PersonalData

from .models import Subscription, SubscriptionRequest
from .services.proof import proof_rows


def auskunft_rows(contact) -> list[dict]:
    subscription = (
        Subscription.objects.select_related("consent_text").filter(contact=contact).first()
    )
    if subscription is None:
        return []
    rows = proof_rows(subscription)
    rows += [
        {"Ereignis": e.get_kind_display(), "Zeitpunkt": e.at, "Details": e.detail}
        for e in subscription.events.all()
    ]
    rows += [
        {
            "Wochenüberblick": d.week_start,
            "Status": d.get_status_display(),
            "gesendet am": d.sent_at,
        }
        for d in subscription.digests.all()
    ]
    return rows


def erase_subscription(contact) -> None:
    """Erasure: the subscription, its events and overviews go; pending requests of the
    address too."""
    for subscription in Subscription.objects.filter(contact=contact):
        SubscriptionRequest.objects.filter(email__iexact=subscription.email).delete()
        subscription.delete()
    if contact.email:
        SubscriptionRequest.objects.filter(email__iexact=contact.email).delete()


def merge_subscription(keep, merge) -> None:
    """Merge: the kept contact keeps its own subscription; otherwise it takes over the
    merged one's."""
    if Subscription.objects.filter(contact=keep).exists():
        Subscription.objects.filter(contact=merge).delete()
    else:
        Subscription.objects.filter(contact=merge).update(contact=keep)


PERSONAL_DATA.register(
    PersonalData(
        key="abonnement",
        label=_("Abonnement (Newsletter)"),
        auskunft=auskunft_rows,
        erase=erase_subscription,
        merge=merge_subscription,
        position=60,
    )
)
