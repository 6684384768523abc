"""Bounces: a sent mail that came back is marked by hand from the office's mailbox."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from soest_office.access import CHANGE

from ..models import Delivery
from ..rules import DELIVERY


@transaction.atomic
def delivery_mark_bounced(*, delivery: Delivery, user, reason: str = "") -> Delivery:
    """A sent mail came back (noted by hand from the bounce in the office's mailbox)."""
    if not DELIVERY.allows(user, delivery, CHANGE):
        raise PermissionDenied
    if delivery.status != Delivery.Status.SENT:
        raise ValidationError(_("Nur gesendete Mails können als unzustellbar markiert werden."))
    delivery.status = Delivery.Status.BOUNCED
    delivery.error = (reason or _("als unzustellbar gemeldet"))[:500]
    delivery.save(update_fields=["status", "error", "updated_at"])
    return delivery
