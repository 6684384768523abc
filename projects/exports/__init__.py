"""Exports: the filtered project list (CSV for German Excel, XLSX), the funder's
Sachstandsbericht (PDF, XLSX) and the milestone calendar (iCalendar), one module each
(`project_list`, `funder_report`, `milestone_calendar`). The kernel imports this plug-in
module at start-up: it registers the funder report as a background export kind.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from soest_office.exports import ExportKind
from soest_office.plugins import EXPORT_KINDS

from .funder_report import (
    FunderSection,
    funder_report_check_access,
    funder_report_context,
    funder_report_render,
    funder_report_sections,
    funder_report_title,
    render_funder_pdf,
    render_funder_xlsx,
)
from .milestone_calendar import calendar_milestones, render_calendar
from .project_list import (
    DATE_COLUMNS,
    LIST_COLUMNS,
    MONEY_COLUMNS,
    german_number,
    list_csv_cells,
    list_header,
    list_row,
    list_rows,
    write_list_xlsx,
)

__all__ = [
    "DATE_COLUMNS",
    "LIST_COLUMNS",
    "MONEY_COLUMNS",
    "FunderSection",
    "calendar_milestones",
    "funder_report_check_access",
    "funder_report_context",
    "funder_report_render",
    "funder_report_sections",
    "funder_report_title",
    "german_number",
    "list_csv_cells",
    "list_header",
    "list_row",
    "list_rows",
    "render_calendar",
    "render_funder_pdf",
    "render_funder_xlsx",
    "write_list_xlsx",
]

EXPORT_KINDS.register(
    ExportKind(
        key="funder_report",
        check_access=funder_report_check_access,
        render=funder_report_render,
        back_url=lambda params: reverse("projects:funder_report"),
        back_label=gettext_lazy("Weiteren Sachstandsbericht erstellen"),
    )
)
