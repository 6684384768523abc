"""The funder's Sachstandsbericht: per project funding, the period's accepted report and
milestones, rendered as PDF or XLSX, and the checks and rendering of its background export."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from soest_office.exports import ExportFile
from soest_office.pdf import render_pdf

from ..models import Drawdown, FundingDecision, Milestone, ProgressReport, Project
from ..services.money import money_as_of_many
from .xlsx import _style_header, _workbook, _xlsx_value


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
    projects = list(projects)
    figures = money_as_of_many(
        projects,
        date_to,
        decisions_of=lambda project: list(project.funding_decisions.all()),
        user=user,
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
                # The money as of the period's end: nothing booked later shows.
                funding=figures[project.pk].as_dict(),
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
    """Tagged PDF/UA-1 (soest_office.pdf); the template references no files."""
    return render_pdf("projects/funder_report_pdf.html", context)


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


# --- The funder report as a background export (soest_office.exports) ------------------------


def funder_report_title(*, date_from, date_to, output: str) -> str:
    return _("Sachstandsbericht %(start)s bis %(end)s (%(fmt)s)") % {
        "start": date_from.strftime("%d.%m.%Y"),
        "end": date_to.strftime("%d.%m.%Y"),
        "fmt": output.upper(),
    }


def funder_report_check_access(user, params) -> None:
    """Who may have the funder report: whoever the project rule lets read the intranet's
    projects (the question of its form, FunderReportView); the projects are scoped to the
    user again when it is rendered."""
    from soest_office import access
    from soest_office.access import VIEW

    from ..rules import PROJECT

    access.require(user.is_authenticated and PROJECT.permits(user, VIEW))


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
