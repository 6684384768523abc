"""Starting a press mailing: create one Delivery row per recipient (under a unique
constraint, so sending a release again only adds recipients who have none) and queue the
batch tasks after commit."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Delivery, Distribution, PressRelease
from ..rules import PRESS_RELEASE, PUBLISH
from .recipients import effective_recipients, salutation_for


@transaction.atomic
def distribution_send(
    *, release: PressRelease, user, lists=(), extra_contacts=()
) -> tuple[Distribution, int]:
    """Create the deliveries for the chosen lists (and extra contacts) and queue the sending
    after commit. Idempotent: recipients that already have a delivery for this release get
    none again. Returns the distribution and the number of new deliveries."""
    if not PRESS_RELEASE.permits(user, PUBLISH):
        raise PermissionDenied
    release = PressRelease.objects.select_for_update().get(pk=release.pk)
    if not release.is_public:
        raise ValidationError(_("Nur veröffentlichte Meldungen können versandt werden."))
    recipients = effective_recipients(lists=lists, extra_contacts=extra_contacts)
    if not recipients:
        raise ValidationError(_("Die Auswahl erreicht niemanden mit gültiger Einwilligung."))
    distribution, _created = Distribution.objects.get_or_create(
        release=release, defaults={"created_by": user}
    )
    distribution.lists.add(*lists)
    existing_emails = {
        e.lower() for e in distribution.deliveries.values_list("email", flat=True) if e
    }
    rows = [
        Delivery(
            distribution=distribution,
            contact=contact,
            purpose=purpose,
            email=contact.email.strip(),
            name=contact.full_name[:250],
            salutation=salutation_for(contact)[:300],
        )
        for contact, purpose in recipients
        if contact.email.strip().lower() not in existing_emails
    ]
    before = distribution.deliveries.count()
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    added = distribution.deliveries.count() - before
    distribution_dispatch_on_commit(distribution_id=distribution.pk)
    return distribution, added


def distribution_dispatch_on_commit(*, distribution_id: int) -> None:
    from ..tasks import dispatch_distribution

    transaction.on_commit(lambda: dispatch_distribution.delay(distribution_id))


def distribution_dispatch(*, distribution_id: int) -> int:
    """Queue one batch task per NEWS_BATCH_SIZE due deliveries. Safe to call repeatedly: a
    batch only sends the rows it can still claim. Returns the number of batches queued."""
    from ..tasks import send_delivery_batch

    Distribution.objects.filter(pk=distribution_id).update(last_dispatched_at=timezone.now())
    ids = list(
        Delivery.objects.filter(distribution_id=distribution_id)
        .due()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    size = settings.NEWS_BATCH_SIZE
    batches = [ids[i : i + size] for i in range(0, len(ids), size)]
    for batch in batches:
        send_delivery_batch.delay(batch)
    return len(batches)
