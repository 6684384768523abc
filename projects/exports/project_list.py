"""The filtered project list as rows for CSV (German Excel) and XLSX downloads."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext as _

from soest_office.spreadsheets import release_prefetched, spreadsheet_safe

from .xlsx import _xlsx_value

LIST_COLUMNS = [
    ("title", _("Titel")),
    ("slug", _("Kurzname")),
    ("field_of_action", _("Handlungsfeld")),
    ("lead_municipality", _("federführende Kommune")),
    ("participating", _("beteiligte Kommunen")),
    ("status", _("Status")),
    ("traffic_light", _("Ampel")),
    ("traffic_light_reason", _("Begründung der Ampel")),
    ("percent_complete", _("Fortschritt (%)")),
    ("start_date", _("Beginn")),
    ("planned_end_date", _("geplantes Ende")),
    ("responsible", _("verantwortlich")),
    ("total_budget", _("Budget (€)")),
    ("granted", _("Förderung bewilligt (€)")),
    ("drawn", _("abgerufen (€)")),
    ("spent_to_date", _("ausgegeben (€)")),
    ("overdue_milestones", _("überfällige Meilensteine")),
    ("last_report_date", _("letzter Bericht")),
    ("is_public", _("öffentlich")),
]
MONEY_COLUMNS = {"total_budget", "granted", "drawn", "spent_to_date"}
DATE_COLUMNS = {"start_date", "planned_end_date", "last_report_date"}


def list_row(p) -> dict:
    """Raw values of one project (Decimal, date, int, str) for both list formats."""
    return {
        "title": p.title,
        "slug": p.slug,
        "field_of_action": p.field_of_action.name,
        "lead_municipality": p.lead_municipality.name,
        "participating": ", ".join(m.name for m in p.participating_municipalities.all()),
        "status": p.get_status_display(),
        "traffic_light": p.get_traffic_light_display(),
        "traffic_light_reason": p.traffic_light_reason,
        "percent_complete": p.percent_complete,
        "start_date": p.start_date,
        "planned_end_date": p.planned_end_date,
        "responsible": str(p.responsible) if p.responsible else "",
        "total_budget": p.total_budget,
        "granted": p.granted,
        "drawn": p.drawn,
        "spent_to_date": p.spent,
        "overdue_milestones": p.overdue_milestones,
        "last_report_date": p.last_report_date,
        "is_public": _("ja") if p.is_public else _("nein"),
    }


def list_rows(projects) -> Iterator[dict]:
    """One dict per project, read as the export goes (pass `queryset.iterator(...)`)."""
    for project in projects:
        row = list_row(project)
        release_prefetched(project)
        yield row


def german_number(value: Decimal) -> str:
    """'12500,50': decimal comma, no grouping, so German Excel reads a number."""
    return f"{value:.2f}".replace(".", ",")


def list_header() -> list[str]:
    return [str(label) for _key, label in LIST_COLUMNS]


def list_csv_cells(row: dict) -> list[str]:
    """One CSV line: German numbers and dates, text defused against formulas."""
    out = []
    for key, _label in LIST_COLUMNS:
        value = row[key]
        if key in MONEY_COLUMNS:
            out.append(german_number(value))
        elif key in DATE_COLUMNS:
            out.append(value.strftime("%d.%m.%Y") if value else "")
        elif isinstance(value, int):
            out.append(str(value))
        else:
            out.append(spreadsheet_safe(str(value)))
    return out


def write_list_xlsx(workbook, rows) -> None:
    """The list into a write-only workbook, one row at a time: formats are set per cell
    (a write-only sheet cannot format a column after its rows are written)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet("Projekte")
    for index, (key, _label) in enumerate(LIST_COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 40 if key == "title" else 18
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for label in list_header():
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    # One style per formatted column, copied onto each cell: setting number_format per cell
    # would look the format up again for every row (a quarter of the time).
    styles = {}
    for keys, number_format in ((MONEY_COLUMNS, '#,##0.00 "€"'), (DATE_COLUMNS, "DD.MM.YYYY")):
        template = WriteOnlyCell(sheet)
        template.number_format = number_format
        styles.update(dict.fromkeys(keys, template._style))
    for row in rows:
        cells = []
        for key, _label in LIST_COLUMNS:
            value = _xlsx_value(row[key])
            if key in styles and value is not None:
                cell = WriteOnlyCell(sheet, value=value)
                cell._style = copy.copy(styles[key])
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
