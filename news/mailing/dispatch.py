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
    return create_deliveries(
        release=release, created_by=user, lists=lists, extra_contacts=extra_contacts
    )


@transaction.atomic
def embargo_send(*, release: PressRelease, user, lists) -> tuple[Distribution, int]:
    """Send an approved, scheduled release to `lists` before publication, with "Sperrfrist:
    <date, time>" (its scheduled time) in subject and body. Public page and feeds wait."""
    if not PRESS_RELEASE.permits(user, PUBLISH):
        raise PermissionDenied
    release = PressRelease.objects.select_for_update().get(pk=release.pk)
    if release.status != PressRelease.Status.SCHEDULED or release.publish_at is None:
        raise ValidationError(
            _(
                "Mit Sperrfrist versenden lässt sich nur eine freigegebene Meldung mit "
                "geplantem Veröffentlichungszeitpunkt."
            )
        )
    if release.publish_at <= timezone.now():
        raise ValidationError(
            _("Die Sperrfrist (%(at)s) liegt in der Vergangenheit; bitte neu planen.")
            % {"at": timezone.localtime(release.publish_at).strftime("%d.%m.%Y, %H:%M Uhr")}
        )
    return create_deliveries(
        release=release, created_by=user, lists=lists, embargo_until=release.publish_at
    )


@transaction.atomic
def publication_lists_set(*, release: PressRelease, user, lists) -> PressRelease:
    """Choose the lists that receive the release when it is published (office)."""
    if not PRESS_RELEASE.permits(user, PUBLISH):
        raise PermissionDenied
    release = PressRelease.objects.select_for_update().get(pk=release.pk)
    if release.status not in (PressRelease.Status.APPROVED, PressRelease.Status.SCHEDULED):
        raise ValidationError(
            _("Verteiler für den Versand bei Veröffentlichung wählt man vor der Veröffentlichung.")
        )
    release.publication_lists.set(lists)
    return release


def send_at_publication(*, release_id: int) -> int:
    """After publication: send to the lists chosen for "send at publication", exactly once
    (the conditional UPDATE of `publication_sent_at` lets one caller win). Returns the
    number of new deliveries."""
    with transaction.atomic():
        release = PressRelease.objects.select_for_update().get(pk=release_id)
        lists = list(release.publication_lists.all())
        if not lists or release.status != PressRelease.Status.PUBLISHED:
            return 0
        won = PressRelease.objects.filter(pk=release_id, publication_sent_at__isnull=True).update(
            publication_sent_at=timezone.now()
        )
        if not won:
            return 0
        if not effective_recipients(lists=lists):
            return 0
        _distribution, added = create_deliveries(
            release=release, created_by=release.approved_by, lists=lists
        )
    return added


def create_deliveries(
    *, release, created_by, lists=(), extra_contacts=(), embargo_until=None
) -> tuple[Distribution, int]:
    """One delivery per new recipient of the release; the sending is queued after commit.
    Call inside a transaction with the release locked."""
    recipients = effective_recipients(lists=lists, extra_contacts=extra_contacts)
    if not recipients:
        raise ValidationError(_("Die Auswahl erreicht niemanden mit gültiger Einwilligung."))
    distribution, _created = Distribution.objects.get_or_create(
        release=release, defaults={"created_by": created_by}
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
            embargo_until=embargo_until,
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
