"""Exports: the filtered project list (CSV for German Excel, XLSX), the funder's
Sachstandsbericht (PDF, XLSX), the Verwendungs- and Zwischennachweis (`proof_of_use`) and
the milestone calendar (iCalendar), one module each. The kernel imports this plug-in module
at start-up: it registers the funder report and the proof of use as background export kinds.
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
from .proof_of_use import proof_check_access, proof_render

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
    "proof_check_access",
    "proof_render",
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
EXPORT_KINDS.register(
    ExportKind(
        key="proof_of_use",
        check_access=proof_check_access,
        render=proof_render,
        back_url=lambda params: reverse(
            "projects:funding_detail", kwargs={"slug": params["slug"], "pk": params["decision"]}
        ),
        back_label=gettext_lazy("Zurück zum Förderbescheid"),
    )
)
