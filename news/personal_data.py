"""The news app's share of the data protection duties towards a person (found by the
kernel, see soest_office.plugins): the press deliveries to a contact in the Auskunft,
anonymised on erasure, moved on merge."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from soest_office.plugins import PERSONAL_DATA, PersonalData

from .models import Delivery


def auskunft_rows(contact) -> list[dict]:
    return [
        {
            "Pressemitteilung": d.distribution.release.title,
            "E-Mail-Adresse": d.email,
            "Zweck": d.purpose,
            "Status": d.get_status_display(),
            "gesendet am": d.sent_at,
            "Grund": d.error,
        }
        for d in Delivery.objects.filter(contact=contact)
        .select_related("distribution__release")
        .order_by("pk")
    ]


def erase_deliveries(contact) -> None:
    """Anonymise the contact's deliveries: the counts stay, the person goes."""
    Delivery.objects.filter(contact=contact).update(
        contact=None, email="", name="", salutation="", error=""
    )


def merge_deliveries(keep, merge) -> None:
    """Move deliveries to the kept contact, unless it already has one for that mailing."""
    taken = Delivery.objects.filter(contact=keep).values("distribution_id")
    Delivery.objects.filter(contact=merge).exclude(distribution_id__in=taken).update(contact=keep)
    Delivery.objects.filter(contact=merge).update(contact=None)


PERSONAL_DATA.register(
    PersonalData(
        key="presseversand",
        label=_("Versand von Pressemitteilungen"),
        auskunft=auskunft_rows,
        erase=erase_deliveries,
        merge=merge_deliveries,
        position=50,
    )
)
