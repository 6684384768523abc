"""Release mails to "at once" subscribers: they go through news' delivery pipeline (one
Delivery row per release and contact, claimed before sending), so a subscriber who is also
on a press list, or whose digest reserved the release, never gets it twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from news import mailing as news_mailing
from news.models import Delivery, Distribution, PressRelease

from ..models import Frequency
from .consent import PURPOSE, consenting_contact_ids
from .matching import matching_subscriptions


@transaction.atomic
def release_fanout(*, release_id: int) -> int:
    """Give every matching "at once" subscriber (confirmed before the release was published,
    consent current) a Delivery of the release in news' pipeline and dispatch it after
    commit. Idempotent: contacts or addresses that already have a delivery of this release
    (press list, an earlier run, a digest reservation) get none. Returns how many were added."""
    release = PressRelease.objects.select_for_update().filter(pk=release_id).first()
    if release is None or not release.is_public:
        return 0
    subscriptions = list(
        matching_subscriptions(release)
        .filter(frequency=Frequency.IMMEDIATE, confirmed_at__lte=release.published_at)
        .select_related("contact")
    )
    if not subscriptions:
        return 0
    consenting = consenting_contact_ids(s.contact_id for s in subscriptions)
    distribution, _created = Distribution.objects.get_or_create(release=release)
    taken = set(distribution.deliveries.values_list("contact_id", flat=True))
    taken_emails = {e.lower() for e in distribution.deliveries.values_list("email", flat=True)}
    rows = []
    for subscription in subscriptions:
        contact = subscription.contact
        email = contact.email.strip()
        if contact.pk not in consenting or contact.pk in taken or email.lower() in taken_emails:
            continue
        taken.add(contact.pk)
        taken_emails.add(email.lower())
        rows.append(
            Delivery(
                distribution=distribution,
                contact=contact,
                purpose=PURPOSE,
                email=email,
                name=contact.full_name[:250],
                salutation=news_mailing.salutation_for(contact)[:300],
            )
        )
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        news_mailing.distribution_dispatch_on_commit(distribution_id=distribution.pk)
    return len(rows)


def on_release_saved(sender, instance, **kwargs):
    """post_save of PressRelease: a release that is public now fans out after commit
    (publishing by hand and by the scheduler both save the release)."""
    if instance.status != PressRelease.Status.PUBLISHED or not instance.published_at:
        return
    window = timedelta(hours=settings.SUBSCRIPTIONS_FANOUT_WINDOW_HOURS)
    if instance.published_at < timezone.now() - window:
        return  # a correction of an old release is not news for subscribers
    from ..tasks import fanout_release

    release_id = instance.pk
    transaction.on_commit(lambda: fanout_release.delay(release_id))


def fanout_recent(*, now: datetime | None = None) -> int:
    """Safety net from beat: fan out releases published within the window (a task lost
    between commit and broker is made good). Idempotent."""
    now = now or timezone.now()
    since = now - timedelta(hours=settings.SUBSCRIPTIONS_FANOUT_WINDOW_HOURS)
    ids = list(
        PressRelease.objects.published()
        .filter(published_at__gte=since)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(release_fanout(release_id=pk) for pk in ids)
