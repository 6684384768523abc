"""Exports: the filtered project list (CSV for German Excel, XLSX), the funder's
Sachstandsbericht (PDF, XLSX) and the milestone calendar (iCalendar)."""

from __future__ import annotations

import copy
import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from soest_office.exports import ExportFile, ExportKind
from soest_office.plugins import EXPORT_KINDS
from soest_office.spreadsheets import release_prefetched, spreadsheet_safe

from . import selectors
from .models import Drawdown, FundingDecision, Milestone, ProgressReport, Project

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
        "spent_to_date": p.spent_to_date,
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


def _workbook():
    from openpyxl import Workbook

    return Workbook()


def _style_header(sheet, columns: int):
    from openpyxl.styles import Font

    for cell in sheet[1][:columns]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


def _xlsx_value(value):
    if isinstance(value, str):
        return spreadsheet_safe(value)
    return value


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


# --- Sachstandsbericht for the funder ---------------------------------------------------------


@dataclass
class FunderSection:
    project: Project
    funding: dict
    decisions: list
    report: ProgressReport | None
    reports_in_period: list
    milestones: list


def funder_report_sections(projects, *, date_from, date_to, user) -> list[FunderSection]:
    """Per project: funding figures, the latest accepted report in the period and the
    milestones due or done in it, each as far as the user may see them (the rules of
    projects/rules.py). A fixed number of queries for any number of projects."""
    projects = (
        projects.select_related("field_of_action", "lead_municipality", "responsible")
        .prefetch_related(
            "participating_municipalities",
            Prefetch(
                "funding_decisions",
                queryset=FundingDecision.objects.visible_to(user).prefetch_related(
                    Prefetch("drawdowns", queryset=Drawdown.objects.visible_to(user))
                ),
            ),
            Prefetch(
                "reports",
                queryset=ProgressReport.objects.visible_to(user)
                .filter(
                    status=ProgressReport.Status.ACCEPTED,
                    reporting_date__gte=date_from,
                    reporting_date__lte=date_to,
                )
                .select_related("municipality", "author")
                .order_by("-reporting_date", "-pk"),
                to_attr="period_reports",
            ),
            Prefetch(
                "milestones",
                queryset=Milestone.objects.visible_to(user).order_by("due_date", "pk"),
                to_attr="all_milestones",
            ),
        )
        .order_by("field_of_action__position", "title")
    )
    sections = []
    for project in projects:
        decisions = list(project.funding_decisions.all())
        milestones = [
            m
            for m in project.all_milestones
            if date_from <= m.due_date <= date_to
            or (m.done_date and date_from <= m.done_date <= date_to)
        ]
        sections.append(
            FunderSection(
                project=project,
                funding=selectors.funding_summary(project, decisions=decisions, today=date_to),
                decisions=decisions,
                report=project.period_reports[0] if project.period_reports else None,
                reports_in_period=project.period_reports,
                milestones=milestones,
            )
        )
    return sections


def funder_report_context(sections, *, date_from, date_to, user) -> dict:
    totals = {
        key: sum((s.funding[key] for s in sections), Decimal(0))
        for key in ("budget", "granted", "drawn", "spent")
    }
    return {
        "sections": sections,
        "date_from": date_from,
        "date_to": date_to,
        "created_at": timezone.localtime(),
        "created_by": user,
        "totals": totals,
    }


def render_funder_pdf(context) -> bytes:
    from weasyprint import HTML

    html = render_to_string("projects/funder_report_pdf.html", context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def render_funder_xlsx(context) -> bytes:
    workbook = _workbook()
    overview = workbook.active
    overview.title = "Übersicht"
    header = [
        "Projekt",
        "Handlungsfeld",
        "federführende Kommune",
        "Status",
        "Ampel",
        "Fortschritt (%)",
        "Budget (€)",
        "bewilligt (€)",
        "abgerufen (€)",
        "ausgegeben (€)",
        "Stichtag letzter Bericht",
        "Erreicht",
        "Nächste Schritte",
        "Risiken",
    ]
    overview.append(["Sachstandsbericht Digitale Modellregion Soest"])
    overview.append(
        [
            "Berichtszeitraum",
            context["date_from"],
            context["date_to"],
        ]
    )
    overview.append([])
    overview.append(header)
    for section in context["sections"]:
        p, f, r = section.project, section.funding, section.report
        overview.append(
            [
                _xlsx_value(p.title),
                p.field_of_action.name,
                p.lead_municipality.name,
                p.get_status_display(),
                (r.get_traffic_light_display() if r else p.get_traffic_light_display()),
                r.percent_complete if r else p.percent_complete,
                f["budget"],
                f["granted"],
                f["drawn"],
                f["spent"],
                r.reporting_date if r else None,
                _xlsx_value(r.achieved) if r else "",
                _xlsx_value(r.next_steps) if r else "",
                _xlsx_value(r.risks) if r else "",
            ]
        )
    for row in overview.iter_rows(min_row=5):
        for cell in row[6:10]:
            cell.number_format = '#,##0.00 "€"'
        row[10].number_format = "DD.MM.YYYY"
    for cell in overview[2][1:3]:
        cell.number_format = "DD.MM.YYYY"
    from openpyxl.styles import Font

    overview["A1"].font = Font(bold=True, size=14)
    for cell in overview[4]:
        cell.font = Font(bold=True)
    overview.column_dimensions["A"].width = 40
    milestones = workbook.create_sheet("Meilensteine")
    milestones.append(["Projekt", "Meilenstein", "fällig am", "erledigt am", "Notiz"])
    for section in context["sections"]:
        for m in section.milestones:
            milestones.append(
                [section.project.title, _xlsx_value(m.title), m.due_date, m.done_date, m.note]
            )
    for row in milestones.iter_rows(min_row=2):
        row[2].number_format = row[3].number_format = "DD.MM.YYYY"
    _style_header(milestones, 5)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Calendar ---------------------------------------------------------------------------------


def calendar_milestones(user):
    """Milestones of the projects the user works on: partners their municipality's,
    office and steering group every active project; each as far as the milestone rule lets
    the user see it."""
    from soest_office import access

    projects = Project.objects.visible_to(user).active()
    if access.is_partner(user):
        projects = projects.editable_by(user)
    return (
        Milestone.objects.visible_to(user)
        .filter(project__in=projects.values("pk"))
        .select_related("project")
    )


def render_calendar(milestones, *, name: str) -> bytes:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Projektbüro Digitale Modellregion Soest//Meilensteine//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("x-published-ttl", "PT6H")
    stamp = timezone.now()
    for milestone in milestones:
        event = Event()
        event.add("uid", f"meilenstein-{milestone.pk}@modellregion-soest.de")
        event.add("dtstamp", stamp)
        event.add("dtstart", milestone.due_date)
        event.add("dtend", milestone.due_date + datetime.timedelta(days=1))
        prefix = "✓ " if milestone.done_date else ""
        event.add("summary", f"{prefix}{milestone.project.title}: {milestone.title}")
        description = milestone.note
        if milestone.done_date:
            description = _("erledigt am %(d)s") % {
                "d": formats.date_format(milestone.done_date, "d.m.Y")
            } + (f"\n{description}" if description else "")
        if description:
            event.add("description", description)
        event.add("url", f"{settings.SITE_URL}{milestone.project.get_absolute_url()}")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


# --- The funder report as a background export (soest_office.exports) ------------------------


def funder_report_title(*, date_from, date_to, output: str) -> str:
    return _("Sachstandsbericht %(start)s bis %(end)s (%(fmt)s)") % {
        "start": date_from.strftime("%d.%m.%Y"),
        "end": date_to.strftime("%d.%m.%Y"),
        "fmt": output.upper(),
    }


def funder_report_check_access(user, params) -> None:
    """Who may have the funder report: whoever reads the intranet (office, partners,
    steering group); the projects are scoped to the user again when it is rendered."""
    from django.core.exceptions import PermissionDenied

    from soest_office import access

    if not access.has_role(user):
        raise PermissionDenied


def funder_report_render(user, params):
    """The PDF or XLSX for `params` (ISO dates, project ids, output), with the projects the
    user may see now. Runs in the worker."""
    date_from = datetime.date.fromisoformat(params["date_from"])
    date_to = datetime.date.fromisoformat(params["date_to"])
    projects = Project.objects.visible_to(user).active().filter(pk__in=params["projects"])
    sections = funder_report_sections(projects, date_from=date_from, date_to=date_to, user=user)
    context = funder_report_context(sections, date_from=date_from, date_to=date_to, user=user)
    stem = f"sachstandsbericht-{date_from:%Y-%m-%d}-bis-{date_to:%Y-%m-%d}"
    if params.get("output") == "xlsx":
        from soest_office.spreadsheets import XLSX_CONTENT_TYPE

        return ExportFile(render_funder_xlsx(context), f"{stem}.xlsx", XLSX_CONTENT_TYPE)
    return ExportFile(render_funder_pdf(context), f"{stem}.pdf", "application/pdf")


EXPORT_KINDS.register(
    ExportKind(
        key="funder_report",
        check_access=funder_report_check_access,
        render=funder_report_render,
        back_url=lambda params: reverse("projects:funder_report"),
        back_label=gettext_lazy("Weiteren Sachstandsbericht erstellen"),
    )
)
