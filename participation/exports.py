"""The office's export of contributions for the council (CSV/XLSX): no addresses, every cell
spreadsheet_safe (CSV injection)."""

from __future__ import annotations

from django.utils import timezone

from soest_office.spreadsheets import ITERATOR_CHUNK, spreadsheet_safe

HEADER = [
    "Projekt", "Nr.", "Art", "Titel", "Text", "Kategorie", "Name (öffentlich)", "Status",
    "Unterstützungen", "Stand", "Antwort des Projektbüros", "eingereicht am",
]  # fmt: skip


def rows(queryset):
    for c in queryset.iterator(chunk_size=ITERATOR_CHUNK):
        yield [
            spreadsheet_safe(value)
            for value in (
                c.participation.project.title,
                c.pk,
                c.get_kind_display(),
                c.title,
                c.text,
                c.category,
                c.public_name,
                c.get_status_display(),
                c.support_count,
                c.get_answer_status_display() if c.answer_status else "",
                c.answer_text,
                timezone.localtime(c.created_at).strftime("%d.%m.%Y %H:%M"),
            )
        ]


def write_xlsx(queryset):
    def write(workbook):
        sheet = workbook.create_sheet("Beiträge")
        sheet.append(HEADER)
        for row in rows(queryset):
            sheet.append(row)

    return write
