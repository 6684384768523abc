"""The stakeholders app's entries of the one inbox (soest_office.inbox): contacts
the retention job flagged, waiting for the office's decision (/kontakte/aufbewahrung/)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from soest_office.inbox import INBOX, InboxItem, InboxSource

from .models import Contact
from .rules import CONTACT, PROCESS


def _flagged_contacts(user):
    if not CONTACT.permits(user, PROCESS):
        return None
    return (
        Contact.objects.permitted(user, PROCESS)
        .filter(retention_flagged_at__isnull=False)
        .order_by("retention_flagged_at", "pk")
    )


def _flagged_item(contact) -> InboxItem:
    return InboxItem(
        title=str(contact),
        url=reverse("stakeholders:retention"),
        detail=str(_("Aufbewahrungsfrist abgelaufen: löschen oder begründet behalten")),
    )


INBOX.register(
    InboxSource(
        key="retention_cases",
        label=_("Aufbewahrungsfälle entscheiden"),
        pending=_flagged_contacts,
        item=_flagged_item,
        position=65,
    )
)
