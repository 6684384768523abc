"""The public transparency export: projects marked public, as JSON and CSV.

The field names are a published interface (documented in docs/projekte.md): add fields
only at the end, never rename or remove one.
"""

import csv
import io
import json

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from .models import Project

FIELDS = [
    "slug",
    "title",
    "summary",
    "field_of_action",
    "lead_municipality",
    "participating_municipalities",
    "status",
    "status_label",
    "start_date",
    "planned_end_date",
    "funding_granted_eur",
    "total_budget_eur",
    "transferability",
    "updated_at",
]
SCHEMA_VERSION = 1


def public_rows() -> list[dict]:
    """One dict per public, non-archived project, in FIELDS order. Three queries."""
    projects = (
        Project.objects.visible_to(AnonymousUser())
        .active()
        .with_figures()
        .select_related("field_of_action", "lead_municipality")
        .prefetch_related("participating_municipalities")
        .order_by("title", "pk")
    )
    return [
        {
            "slug": p.slug,
            "title": p.title,
            "summary": p.summary,
            "field_of_action": p.field_of_action.name,
            "lead_municipality": p.lead_municipality.name,
            "participating_municipalities": [m.name for m in p.participating_municipalities.all()],
            "status": p.status,
            "status_label": p.get_status_display(),
            "start_date": p.start_date.isoformat() if p.start_date else None,
            "planned_end_date": p.planned_end_date.isoformat() if p.planned_end_date else None,
            "funding_granted_eur": f"{p.granted:.2f}",
            "total_budget_eur": f"{p.total_budget:.2f}",
            "transferability": p.transferability,
            "updated_at": p.updated_at.isoformat(timespec="seconds"),
        }
        for p in projects
    ]


def render_json(rows) -> bytes:
    document = {
        "schema_version": SCHEMA_VERSION,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "publisher": "Projektbüro Digitale Modellregion Soest",
        "fields": FIELDS,
        "projects": rows,
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def render_csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {**row, "participating_municipalities": ", ".join(row["participating_municipalities"])}
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _replace(name: str, content: bytes):
    # Storage backends do not overwrite: delete first, then save under the same name.
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(content))


def write_export() -> int:
    """Write both files to the storage; idempotent (same data gives the same files apart
    from the timestamp). Returns the number of projects."""
    rows = public_rows()
    _replace(settings.PROJECTS_TRANSPARENCY_JSON, render_json(rows))
    _replace(settings.PROJECTS_TRANSPARENCY_CSV, render_csv(rows))
    return len(rows)
