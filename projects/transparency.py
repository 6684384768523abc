"""The public transparency list: projects marked public, as JSON and CSV, built on each
request from the rules (always current; the six-hourly file job it replaced is gone, and the
open-data API /api/v1/ is its successor, docs/offene-daten.md).

The field names are a published interface (documented in docs/projekte.md): add fields
only at the end, never rename or remove one. The money fields are empty (null) unless the
office released the project's funding (Project.funding_is_public).
"""

import csv
import io
import json

from django.utils import timezone

from soest_office.opendata import LICENCE

from . import public

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
    """One dict per public project, in FIELDS order. Three queries."""
    projects = list(public.public_projects())
    funding = public.public_funding([p.pk for p in projects])
    rows = []
    for p in projects:
        released = p.pk in funding
        rows.append(
            {
                "slug": p.slug,
                "title": p.title,
                "summary": p.summary,
                "field_of_action": p.field_of_action.name,
                "lead_municipality": p.lead_municipality.name,
                "participating_municipalities": [
                    m.name for m in p.participating_municipalities.all()
                ],
                "status": p.status,
                "status_label": p.get_status_display(),
                "start_date": p.start_date.isoformat() if p.start_date else None,
                "planned_end_date": p.planned_end_date.isoformat() if p.planned_end_date else None,
                "funding_granted_eur": f"{funding[p.pk]:.2f}" if released else None,
                "total_budget_eur": f"{p.total_budget:.2f}" if released else None,
                "transferability": p.transferability,
                "updated_at": p.updated_at.isoformat(timespec="seconds"),
            }
        )
    return rows


def render_json(rows) -> bytes:
    document = {
        "schema_version": SCHEMA_VERSION,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "publisher": "Projektbüro Digitale Modellregion Soest",
        "fields": FIELDS,
        "projects": rows,
        "license": LICENCE,
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
