"""Bounces: a sent mail that came back is marked by hand from the office's mailbox."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from soest_office.access import CHANGE

from ..models import Delivery
from ..rules import DELIVERY


@transaction.atomic
def delivery_mark_bounced(
    *, delivery: Delivery, user, reason: str = "", hard: bool = False
) -> Delivery:
    """A sent mail came back (noted by hand from the bounce in the office's mailbox).

    A hard bounce (the address does not exist) also marks the contact's address as
    undeliverable, with date and reason: every later mailing skips it and says so, until
    the contact gets a new address."""
    if not DELIVERY.allows(user, delivery, CHANGE):
        raise PermissionDenied
    if delivery.status != Delivery.Status.SENT:
        raise ValidationError(_("Nur gesendete Mails können als unzustellbar markiert werden."))
    reason = reason.strip()
    delivery.status = Delivery.Status.BOUNCED
    delivery.error = (
        reason or (_("Adresse ungültig (dauerhaft)") if hard else _("als unzustellbar gemeldet"))
    )[:500]
    delivery.save(update_fields=["status", "error", "updated_at"])
    contact = delivery.contact
    if (
        hard
        and contact is not None
        and contact.email.strip().lower() == delivery.email.strip().lower()
    ):
        contact = type(contact).objects.select_for_update().get(pk=contact.pk)
        contact.mark_undeliverable(reason=delivery.error, when=timezone.now())
        contact._change_reason = _("E-Mail-Adresse als unzustellbar markiert")
        contact._history_user = user
        contact.save()
    return delivery
