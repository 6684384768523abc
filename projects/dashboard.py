"""Data of the home-page panel: a fixed number of queries whatever the number of projects."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from soest_office import access
from soest_office.models import Municipality

from .models import FieldOfAction, Milestone, Project
from .notifications import REMINDER_STATUSES

UPCOMING_DAYS = 30
LIST_LIMIT = 10


@dataclass
class Cell:
    total: int = 0
    lights: dict = field(default_factory=lambda: {"green": 0, "yellow": 0, "red": 0})


@dataclass
class MoneyRow:
    label: str
    budget: Decimal = Decimal(0)
    granted: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)

    def percent(self, value):
        return 0 if not self.budget else max(0, min(100, round(value * 100 / self.budget)))

    @property
    def percent_granted(self):
        return self.percent(self.granted)

    @property
    def percent_spent(self):
        return self.percent(self.spent)


def dashboard_data(user, *, today=None) -> dict:
    today = today or timezone.localdate()
    municipality_id = access.municipality_id_of(user)
    projects = list(
        Project.objects.visible_to(user)
        .active()
        .with_figures(today=today)
        .select_related("field_of_action", "lead_municipality")
        .prefetch_related("participating_municipalities")
        .order_by("title", "pk")
    )
    municipalities = list(Municipality.objects.order_by("name"))
    fields = list(FieldOfAction.objects.all())

    matrix = {(m.pk, f.pk): Cell() for m in municipalities for f in fields}
    by_municipality = {m.pk: MoneyRow(m.name) for m in municipalities}
    by_field = {f.pk: MoneyRow(f.name) for f in fields}
    cutoff = today - datetime.timedelta(days=settings.PROJECTS_REPORT_INTERVAL_DAYS)
    attention = []
    for project in projects:
        involved = {project.lead_municipality_id} | {
            m.pk for m in project.participating_municipalities.all()
        }
        for m_id in involved:
            cell = matrix.get((m_id, project.field_of_action_id))
            if cell is not None:
                cell.total += 1
                cell.lights[project.traffic_light] += 1
        for row in (
            by_municipality.get(project.lead_municipality_id),
            by_field[project.field_of_action_id],
        ):
            if row is not None:
                row.budget += project.total_budget
                row.granted += project.granted
                row.spent += project.spent_to_date
        reasons = []
        if project.traffic_light != Project.TrafficLight.GREEN:
            reasons.append(_("Ampel %s") % project.get_traffic_light_display())
        if project.overdue_milestones:
            reasons.append(_("%d Meilenstein(e) überfällig") % project.overdue_milestones)
        if project.status in REMINDER_STATUSES and (
            (project.last_report_date or project.start_date or project.created_at.date()) < cutoff
        ):
            reasons.append(_("kein aktueller Bericht"))
        if reasons:
            own = municipality_id is not None and municipality_id in involved
            severity = {"red": 0, "yellow": 1, "green": 2}[project.traffic_light]
            attention.append((not own, severity, project.title, project, reasons, own))
    attention.sort(key=lambda a: a[:3])

    upcoming = list(
        Milestone.objects.filter(
            project__in=[p.pk for p in projects],
            done_date__isnull=True,
            due_date__gte=today,
            due_date__lte=today + datetime.timedelta(days=UPCOMING_DAYS),
        )
        .select_related("project")
        .order_by("due_date", "pk")[:LIST_LIMIT]
    )
    rows = [(m, [matrix[(m.pk, f.pk)] for f in fields]) for m in municipalities]
    totals = MoneyRow(_("Summe"))
    for row in by_field.values():
        totals.budget += row.budget
        totals.granted += row.granted
        totals.spent += row.spent
    return {
        "fields": fields,
        "matrix_rows": rows,
        "attention": [
            {"project": a[3], "reasons": a[4], "own": a[5]} for a in attention[:LIST_LIMIT]
        ],
        "attention_total": len(attention),
        "money_by_municipality": list(by_municipality.values()),
        "money_by_field": list(by_field.values()),
        "money_total": totals,
        "upcoming": upcoming,
        "upcoming_days": UPCOMING_DAYS,
        "project_count": len(projects),
    }
