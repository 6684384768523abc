"""DSGVO hooks of the news app (Auskunft, erasure, merge of contacts) for the press
deliveries, registered with stakeholders.dsgvo in NewsConfig.ready."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import Delivery


def auskunft_section(contact):
    rows = [
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
    return _("Versand von Pressemitteilungen"), rows


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
