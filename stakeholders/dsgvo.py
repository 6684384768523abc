"""DSGVO duties: the Auskunft (Art. 15) about a contact, as JSON and as a PDF made in the
background.

Other apps take part in the Auskunft, the erasure (Art. 17) and the merge of contacts from
their own `personal_data.py` (soest_office.plugins.PersonalData, found at start-up): their
sections follow the stakeholders' own here; services.contact_erase and contact_merge call
their `erase` and `merge`.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from soest_office.pdf import render_pdf
from soest_office.plugins import PERSONAL_DATA


def _fmt(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, bool):
        return "ja" if value else "nein"
    return str(value)


def auskunft_contacts():
    """Contacts loaded with everything of their own that the Auskunft shows."""
    from .models import Contact

    return Contact.objects.select_related(
        "organisation", "municipality", "created_by"
    ).prefetch_related("tags")


def auskunft_data(contact) -> dict:
    """Everything stored about the person, as plain strings, grouped in titled sections.
    `contact` best comes from `auskunft_contacts()` (else its relations load one by one)."""
    fields = {}
    for field in contact._meta.concrete_fields:
        if field.name in ("id",):
            continue
        value = getattr(contact, field.name)
        if field.choices:
            value = getattr(contact, f"get_{field.name}_display")()
        fields[str(field.verbose_name)] = _fmt(value)
    fields["Schlagwörter"] = ", ".join(t.name for t in contact.tags.all())

    sections = [
        {
            "title": "Rechtsgrundlagen (Einwilligungen, Widerrufe)",
            "rows": [
                {
                    "Zweck": r.get_purpose_display(),
                    "Rechtsgrundlage": r.get_status_display(),
                    "Art": r.get_method_display(),
                    "Quelle": r.source,
                    "wirksam ab": _fmt(r.effective_at),
                    "erfasst von": _fmt(r.recorded_by),
                }
                for r in contact.legal_basis_records.select_related("recorded_by")
            ],
        },
        {
            "title": "Kontakthistorie",
            "rows": [
                {
                    "Datum": _fmt(i.occurred_at),
                    "Kanal": i.get_channel_display(),
                    "Zusammenfassung": i.summary,
                    "Projekt": _fmt(i.project),
                    "erfasst von": _fmt(i.recorded_by),
                }
                for i in contact.interactions.select_related("project", "recorded_by")
            ],
        },
        {
            "title": "Beteiligungen an Projekten",
            "rows": [
                {"Projekt": str(i.project), "Rolle": i.get_role_display(), "Bemerkung": i.note}
                for i in contact.involvements.select_related("project")
            ],
        },
        {
            "title": "Verteiler",
            "rows": [
                {
                    "Verteiler": m.distribution_list.name,
                    "Zweck": m.distribution_list.get_purpose_display(),
                    "seit": _fmt(m.added_at),
                }
                for m in contact.memberships.select_related("distribution_list")
            ],
        },
        {
            "title": "Änderungsverlauf der Stammdaten",
            "rows": [
                {
                    "Zeitpunkt": _fmt(h.history_date),
                    "Art": h.get_history_type_display(),
                    "Name": f"{h.first_name} {h.last_name}".strip(),
                    "E-Mail": h.email,
                    "Telefon": h.phone,
                }
                for h in contact.history.all().order_by("history_date")
            ],
        },
    ]
    for handler in PERSONAL_DATA:
        if handler.auskunft is not None:
            rows = handler.auskunft(contact)
            sections.append(
                {
                    "title": str(handler.label),
                    "rows": [{k: _fmt(v) for k, v in r.items()} for r in rows],
                }
            )
    return {
        "erstellt_am": _fmt(timezone.now()),
        "verantwortlich": "Projektbüro Digitale Modellregion Soest",
        "person": fields,
        "abschnitte": sections,
    }


def auskunft_pdf(contact) -> bytes:
    """Tagged PDF/UA-1 (soest_office.pdf), fetching nothing."""
    return render_pdf(
        "stakeholders/auskunft_pdf.html", {"data": auskunft_data(contact), "contact": contact}
    )


# --- The Auskunft as PDF: a background export (soest_office.exports) -----------------------
# Rendering the PDF of a long contact history takes seconds, so it runs in the worker. The
# audit log records every *download* (the moment the data leaves the intranet), exactly as it
# recorded every PDF request before; making the file is not logged. Files of a contact are
# deleted when the contact is erased or merged away.

AUSKUNFT_EXPORT = "auskunft"


def auskunft_title(contact_id: int) -> str:
    return _("Auskunft nach Art. 15 DSGVO zu Kontakt Nr. %(id)s") % {"id": contact_id}


def auskunft_check_access(user, params) -> None:
    """The contact rule's PROCESS (the office): 403 for whoever may process no contact
    (also on their own job's page), 404 when the contact is gone or out of their scope."""
    from soest_office.access import require

    from .models import Contact
    from .rules import CONTACT, PROCESS

    require(CONTACT.permits(user, PROCESS))
    CONTACT.get_object(user, Contact.objects.all(), PROCESS, pk=params.get("contact"))


def auskunft_render(user, params):
    from soest_office.exports import ExportFile

    contact = auskunft_contacts().get(pk=params["contact"])
    return ExportFile(auskunft_pdf(contact), f"auskunft-{contact.pk}.pdf", "application/pdf")


def auskunft_downloaded(request, job) -> None:
    from soest_office.audit import audit_record
    from soest_office.models import AuditEvent

    from . import audit

    audit_record(
        kind=AuditEvent.Kind.AUSKUNFT,
        request=request,
        target=f"Kontakt {job.params['contact']}",
        details={"format": "pdf", "anzahl": 1},
        area=audit.AREA,
    )
