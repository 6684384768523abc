"""DSGVO duties: Auskunft (Art. 15) and the hooks other apps use to take part in it and in
erasure (Art. 17).

Registries (append from your AppConfig.ready):
- `AUSKUNFT_SECTIONS`: callables `(contact) -> (title: str, rows: list[dict[str, str]])`;
  each adds a section to the Auskunft (JSON and PDF), e.g. the deliveries of press mails.
- `ERASURE_HOOKS`: callables `(contact) -> None`, called inside the erasure transaction
  before the contact is deleted; they must remove or anonymise every personal row of their
  app that points at the contact (e.g. news' Delivery rows).
- `MERGE_HOOKS`: callables `(keep, merge) -> None`, called inside the merge transaction
  before `merge` is deleted; move your app's rows from `merge` to `keep`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

AUSKUNFT_SECTIONS: list[Callable] = []
ERASURE_HOOKS: list[Callable] = []
MERGE_HOOKS: list[Callable] = []


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
    for section in AUSKUNFT_SECTIONS:
        title, rows = section(contact)
        sections.append(
            {"title": str(title), "rows": [{k: _fmt(v) for k, v in r.items()} for r in rows]}
        )
    return {
        "erstellt_am": _fmt(timezone.now()),
        "verantwortlich": "Projektbüro Digitale Modellregion Soest",
        "person": fields,
        "abschnitte": sections,
    }


def auskunft_pdf(contact) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "stakeholders/auskunft_pdf.html", {"data": auskunft_data(contact), "contact": contact}
    )
    return HTML(string=html).write_pdf()


# --- The Auskunft as PDF: a background export (soest_office.exports) -----------------------
# Rendering the PDF of a long contact history takes seconds, so it runs in the worker. The
# audit log records every *download* (the moment the data leaves the intranet), exactly as it
# recorded every PDF request before; making the file is not logged. Files of a contact are
# deleted when the contact is erased or merged away.

AUSKUNFT_EXPORT = "auskunft"


def auskunft_title(contact_id: int) -> str:
    return _("Auskunft nach Art. 15 DSGVO zu Kontakt Nr. %(id)s") % {"id": contact_id}


def auskunft_check_access(user, params) -> None:
    """Office only (PermissionDenied), and the contact must still exist within the user's
    scope (Http404)."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from soest_office import access

    from .models import Contact

    if not access.can_manage_stakeholders(user):
        raise PermissionDenied
    if not Contact.objects.visible_to(user).filter(pk=params.get("contact")).exists():
        raise Http404


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


def auskunft_jobs_delete(contact) -> None:
    """Erasure hook: the person's Auskunft files go with the person."""
    from soest_office.exports import export_jobs_delete
    from soest_office.models import ExportJob

    export_jobs_delete(ExportJob.objects.filter(kind=AUSKUNFT_EXPORT, params__contact=contact.pk))


def auskunft_jobs_delete_merged(keep, merge) -> None:
    """Merge hook: an Auskunft about the merged-away contact is outdated; delete it."""
    auskunft_jobs_delete(merge)


def register_export_kinds() -> None:
    """Called from StakeholdersConfig.ready."""
    from django.urls import reverse

    from soest_office import exports as jobs

    jobs.register(
        jobs.ExportKind(
            key=AUSKUNFT_EXPORT,
            check_access=auskunft_check_access,
            render=auskunft_render,
            on_download=auskunft_downloaded,
            back_url=lambda params: reverse(
                "stakeholders:contact_detail", args=[params["contact"]]
            ),
            back_label=gettext_lazy("Zurück zum Kontakt"),
        )
    )
    for registry, hook in (
        (ERASURE_HOOKS, auskunft_jobs_delete),
        (MERGE_HOOKS, auskunft_jobs_delete_merged),
    ):
        if hook not in registry:
            registry.append(hook)
