"""Data of the home-page panel, aggregated in the database.

A fixed number of queries whatever the number of projects, and none of them loads every
project: the matrix and the money tables are GROUP BY queries over the user's scope, the
attention list is a filtered, ordered slice plus a count.

The rendered panel is cached (`dashboard_html`): every user with the same view of the
projects (role and municipality) sees the same panel on the same day, and the home page is
the most requested page. Any write to the projects app or the municipalities (a signal per
model, see `connect_invalidation`) starts a new cache generation, so a change shows at once;
writes that send no signal (queryset.update, bulk_create in data migrations or the benchmark
generator) show after at most DASHBOARD_CACHE_SECONDS.
"""

import datetime
import functools
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from soest_office import access, backends, caching
from soest_office.models import Municipality

from .models import FieldOfAction, Milestone, Project
from .models.project import no_report_since_q
from .notifications import REMINDER_STATUSES
from .services.money import money_totals

UPCOMING_DAYS = 30
# Proofs of use (Verwendungs-/Zwischennachweis) shown this many days before they are due.
PROOF_DAYS = 60
LIST_LIMIT = 10
SEVERITY = {"red": 0, "yellow": 1, "green": 2}
LIGHTS = tuple(Project.TrafficLight.values)
LIGHT_CSS = {"green": "gruen", "yellow": "gelb", "red": "rot"}
DASHBOARD_CACHE_SECONDS = 300
# The name of the projects' cache generation (soest_office.caching); other apps' cached
# pages that show projects include it in their keys.
GENERATION = "projects"


@dataclass
class Cell:
    total: int = 0
    lights: dict = field(default_factory=lambda: {"green": 0, "yellow": 0, "red": 0})
    # Filled by finish(): the numbers as German text, and (css, count, label) per light.
    total_text: str = ""
    parts: tuple = ()

    def finish(self, number, labels):
        """Format once in Python what the template shows: the matrix has hundreds of
        numbers, and localising each in the template is most of its rendering time.
        `labels`: each light's name, translated once for the whole matrix."""
        self.total_text = number(self.total)
        self.parts = tuple(
            (LIGHT_CSS[light], number(n), labels[light]) for light, n in self.lights.items() if n
        )


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

    def add(self, *, budget=None, granted=None, spent=None):
        self.budget += budget or 0
        self.granted += granted or 0
        self.spent += spent or 0


def _light_counts(field_name) -> dict:
    """COUNT(*) per traffic light, as annotations named by the light."""
    return {light: Count("pk", filter=Q(**{field_name: light})) for light in LIGHTS}


def scoped_projects(user):
    """The projects the panel counts: visible to the user and not archived."""
    return Project.objects.visible_to(user).active()


def _stale_q(today) -> Q:
    """Reminder-worthy status and no accepted report within the reporting interval (the
    rule of the reminders)."""
    return Q(status__in=REMINDER_STATUSES) & no_report_since_q(
        settings.PROJECTS_REPORT_INTERVAL_DAYS, today=today
    )


def _needs_attention_q(today) -> Q:
    """A yellow or red light, overdue milestones, or no current report."""
    overdue_ids = Milestone.objects.overdue(today=today).values("project_id")
    return ~Q(traffic_light=Project.TrafficLight.GREEN) | Q(pk__in=overdue_ids) | _stale_q(today)


def _attention(projects, user, today) -> list[dict]:
    """The first LIST_LIMIT projects that need attention: own municipality first, then red
    before yellow before green, then by title; each with its reasons."""
    needs = projects.filter(_needs_attention_q(today))
    municipality_id = access.municipality_id_of(user)
    if municipality_id is not None:
        own_ids = Project.objects.involving(municipality_id).values("pk")
        own = Case(When(pk__in=own_ids, then=Value(0)), default=Value(1))
    else:
        own = Value(1)
    severity = Case(
        *(When(traffic_light=light, then=Value(rank)) for light, rank in SEVERITY.items()),
        output_field=IntegerField(),
    )
    overdue = (
        Milestone.objects.overdue(today=today)
        .filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    first = list(
        needs.only("pk", "title", "slug", "traffic_light")  # what the list shows
        .annotate(
            not_own=own,
            severity=severity,
            stale=Case(
                When(_stale_q(today), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            overdue_milestones=Coalesce(Subquery(overdue, output_field=IntegerField()), 0),
        )
        .order_by("not_own", "severity", "title", "pk")[:LIST_LIMIT]
    )
    items = []
    for project in first:
        reasons = []
        if project.traffic_light != Project.TrafficLight.GREEN:
            reasons.append(_("Ampel %s") % project.get_traffic_light_display())
        if project.overdue_milestones:
            reasons.append(_("%d Meilenstein(e) überfällig") % project.overdue_milestones)
        if project.stale:
            reasons.append(_("kein aktueller Bericht"))
        items.append({"project": project, "reasons": reasons, "own": project.not_own == 0})
    return items


def dashboard_data(user, *, today=None) -> dict:
    today = today or timezone.localdate()
    projects = scoped_projects(user)
    municipalities = list(Municipality.objects.order_by("name"))
    fields = list(FieldOfAction.objects.all())

    matrix = {(m.pk, f.pk): Cell() for m in municipalities for f in fields}
    by_municipality = {m.pk: MoneyRow(m.name) for m in municipalities}
    by_field = {f.pk: MoneyRow(f.name) for f in fields}

    def count_in(m_id, f_id, row):
        cell = matrix.get((m_id, f_id))
        if cell is not None:
            for light in LIGHTS:
                cell.lights[light] += row[light]
                cell.total += row[light]

    # Per (lead municipality, field): the projects by light, their own money and how many
    # need attention; their granted funding and spending as of today (money_as_of's
    # figures) summed per group in one aggregate each (money_totals), not per project.
    group = ("lead_municipality_id", "field_of_action_id")
    money = money_totals(projects, today, user=user, by=group, figures=("granted", "spent"))
    project_count = attention_total = 0
    for row in (
        projects.order_by()
        .values(*group)
        .annotate(
            **_light_counts("traffic_light"),
            budget=Sum("total_budget"),
            attention=Count("pk", filter=_needs_attention_q(today)),
        )
    ):
        m_id, f_id = row["lead_municipality_id"], row["field_of_action_id"]
        project_count += sum(row[light] for light in LIGHTS)
        attention_total += row["attention"]
        count_in(m_id, f_id, row)
        figures = money.get((m_id, f_id), {})
        for totals in (by_municipality.get(m_id), by_field.get(f_id)):
            if totals is not None:
                totals.add(
                    budget=row["budget"], granted=figures.get("granted"), spent=figures.get("spent")
                )
    # Participating municipalities count the project too (a lead listed again counts once).
    through = Project.participating_municipalities.through
    for row in (
        through.objects.filter(project__in=projects.values("pk"))
        .exclude(municipality_id=F("project__lead_municipality_id"))
        .values("municipality_id", "project__field_of_action_id")
        .annotate(**_light_counts("project__traffic_light"))
        .order_by()
    ):
        count_in(row["municipality_id"], row["project__field_of_action_id"], row)

    attention = _attention(projects, user, today)
    upcoming = list(
        Milestone.objects.filter(
            project__in=projects.values("pk"),
            done_date__isnull=True,
            due_date__gte=today,
            due_date__lte=today + datetime.timedelta(days=UPCOMING_DAYS),
        )
        .select_related("project")
        .order_by("due_date", "pk")[:LIST_LIMIT]
    )
    number = functools.cache(formats.number_format)  # few distinct counts: format each once
    labels = {light: str(Project.TrafficLight(light).label) for light in LIGHTS}
    for cell in matrix.values():
        cell.finish(number, labels)
    rows = [(m, [matrix[(m.pk, f.pk)] for f in fields]) for m in municipalities]
    totals = MoneyRow(_("Summe"))
    for row in by_field.values():
        totals.add(budget=row.budget, granted=row.granted, spent=row.spent)
    return {
        "fields": fields,
        "matrix_rows": rows,
        "attention": attention,
        "attention_total": attention_total,
        "money_by_municipality": list(by_municipality.values()),
        "money_by_field": list(by_field.values()),
        "money_total": totals,
        "upcoming": upcoming,
        "upcoming_days": UPCOMING_DAYS,
        "proofs_due": _proofs_due(projects, user, today),
        "proofs_days": PROOF_DAYS,
        "project_count": project_count,
    }


def _proofs_due(projects, user, today) -> list:
    """Verwendungs- and Zwischennachweise due in the next PROOF_DAYS or overdue by up to 30
    days and not submitted, for the decisions the user may see: the dates of every such
    decision (one query of tuples: at scale 1 more than a thousand decisions, whose model
    instances were most of the fresh panel's time), then the few with a proof due in the
    window and their submitted proof records (two queries, none when nothing is due)."""
    from .models import FundingDecision
    from .services.proof import decisions_with_dues, upcoming_dues

    decisions = FundingDecision.objects.visible_to(user).filter(
        project__in=projects.values("pk"),
        project__archived_at__isnull=True,
        period_end__gte=today - datetime.timedelta(days=3 * 366),
    )
    if decisions.query.is_empty():
        return []
    due = decisions_with_dues(decisions, today=today, ahead_days=PROOF_DAYS)
    if not due:
        return []
    decisions = (
        FundingDecision.objects.filter(pk__in=due)
        .select_related("project")
        # What the dates, the decision's name and the link read: a project row is wide.
        .only(
            "project__title",
            "project__slug",
            "funder",
            "programme",
            "reference",
            "period_start",
            "period_end",
            "interim_proof_months",
            "final_proof_months",
        )
    )
    return upcoming_dues(decisions, today=today, ahead_days=PROOF_DAYS)[:LIST_LIMIT]


def _generation() -> str:
    """The current cache generation of the projects (soest_office.caching: random, so that no
    two generations share a key, not even across a database reset, as between tests)."""
    return caching.generation(GENERATION)


def invalidate_dashboard(**_signal_kwargs) -> None:
    caching.bump(GENERATION)


def scoped_cache_key(prefix: str, user, *parts: str) -> str:
    """A cache key for HTML that depends on the user only through the role (which objects,
    which actions) and the municipality ("meine Kommune"), made in the current generations
    of the projects and of the accounts: any write to the projects app, the municipalities
    or an account (the project list's filter names the active office staff) starts a new
    one. The date (overdue milestones, reminders) and the language are part of it too
    (soest_office.caching)."""
    return caching.scoped_key(
        prefix, user, generations=[GENERATION, backends.GENERATION], parts=parts
    )


def dashboard_html(user) -> SafeString:
    """The rendered panel for `user`, from the cache when nothing changed since it was made.
    The panel depends on the user only through the role (which projects, "meine Kommune")
    and the municipality; the date decides the milestones and reminders shown."""
    today = timezone.localdate()
    key = scoped_cache_key("projects:dashboard", user)
    html = cache.get(key)
    if html is None:
        html = render_to_string("projects/_dashboard.html", dashboard_data(user, today=today))
        cache.set(key, html, DASHBOARD_CACHE_SECONDS)
    # Rendered by our own template, which escaped every value.
    return mark_safe(html)


def connect_invalidation() -> None:
    """Every model of the projects app and the municipalities start a new generation when
    written; their many-to-many relations when changed. History rows are left out (they
    are written with the row they record), and so are the many-to-many tables' own
    post_save/post_delete: a receiver there would stop Django from deleting their rows in
    bulk when a project is deleted."""
    caching.bump_on_writes(GENERATION, [*caching.data_models("projects"), Municipality])
