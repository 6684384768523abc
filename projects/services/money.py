"""A project's money as of a date: the one read function for granted, drawn and spent.

Spent is derived from the receipts (paid by the date, gross), drawn from the drawdowns
received by the date, granted from the funding decisions issued by the date. The project
page, the dashboard, the funder report and the Verwendungsnachweis all read it from here,
so a report for a past period shows that period's figures, whenever it is printed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ..display import format_euro
from ..models import MONEY, BudgetLine, Drawdown, FundingDecision, Project, Receipt

ZERO = Decimal(0)


@dataclass
class LineFigures:
    line: BudgetLine
    planned: Decimal
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.planned - self.spent


@dataclass
class MoneyAsOf:
    as_of: datetime.date
    budget: Decimal
    granted: Decimal
    requested: Decimal
    drawn: Decimal
    spent: Decimal
    lines: list[LineFigures] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def available(self) -> Decimal:
        return self.granted - self.drawn

    def as_dict(self) -> dict:
        """The keys the templates and exports read (those of the former funding summary)."""
        return {
            "as_of": self.as_of,
            "budget": self.budget,
            "granted": self.granted,
            "drawn": self.drawn,
            "requested": self.requested,
            "spent": self.spent,
            "available": self.available,
            "warnings": self.warnings,
            "lines": self.lines,
            "percent_granted": _percent(self.granted, self.budget),
            "percent_drawn": _percent(self.drawn, self.budget),
            "percent_spent": _percent(self.spent, self.budget),
        }


def _percent(part, whole) -> int:
    if not whole:
        return 0
    return max(0, min(100, round(part * 100 / whole)))


def spent_per_line(
    line_ids, *, as_of: datetime.date | None, since=None, user=None
) -> dict[int, Decimal]:
    """Gross amounts of the receipts paid by `as_of` (and from `since`), per budget line:
    one query. With `user`, only the receipts the receipt rule lets the user see."""
    receipts = Receipt.objects.all() if user is None else Receipt.objects.visible_to(user)
    qs = receipts.filter(budget_line_id__in=line_ids, payment_date__isnull=False)
    if as_of is not None:
        qs = qs.filter(payment_date__lte=as_of)
    if since is not None:
        qs = qs.filter(payment_date__gte=since)
    rows = qs.order_by().values("budget_line_id").annotate(total=Sum("gross_amount"))
    return {row["budget_line_id"]: row["total"] or ZERO for row in rows}


def with_spent(lines, *, as_of: datetime.date | None, user=None):
    """The budget lines with `spent_as_of`: the gross amounts of their receipts paid by
    `as_of` (with `user`, of the receipts the receipt rule lets the user see), summed in the
    lines' own query (spent_per_line's sum as a subquery)."""
    money = DecimalField(**MONEY)
    receipts = Receipt.objects.all() if user is None else Receipt.objects.visible_to(user)
    if receipts.query.is_empty():  # the user may see no receipts
        return lines.annotate(spent_as_of=Value(ZERO, money))
    receipts = receipts.filter(budget_line=OuterRef("pk"), payment_date__isnull=False)
    if as_of is not None:
        receipts = receipts.filter(payment_date__lte=as_of)
    total = receipts.order_by().values("budget_line").annotate(total=Sum("gross_amount"))
    return lines.annotate(
        spent_as_of=Coalesce(
            Subquery(total.values("total"), output_field=money), Value(ZERO, money)
        )
    )


def money_as_of_many(
    projects, as_of: datetime.date | None = None, *, decisions_of=None, user=None
) -> dict[int, MoneyAsOf]:
    """`money_as_of` for many projects at once, whatever their number: the decisions and
    their drawdowns (two queries, none when `decisions_of(project)` gives them prefetched)
    and the budget lines with their receipts summed (one). With
    `user`, budget lines and receipts are those the rules let the user see."""
    as_of = as_of or timezone.localdate()
    projects = list(projects)
    ids = [p.pk for p in projects]
    if decisions_of is None:
        by_project: dict[int, list] = {pk: [] for pk in ids}
        for decision in FundingDecision.objects.filter(project_id__in=ids).prefetch_related(
            "drawdowns"
        ):
            by_project[decision.project_id].append(decision)

        def decisions_of(project):
            return by_project[project.pk]

    lines_by_project: dict[int, list] = {pk: [] for pk in ids}
    lines = BudgetLine.objects.all() if user is None else BudgetLine.objects.visible_to(user)
    for line in with_spent(lines.filter(project_id__in=ids), as_of=as_of, user=user).order_by("pk"):
        lines_by_project[line.project_id].append(line)
    result = {}
    for project in projects:
        decisions = [d for d in decisions_of(project) if d.decision_date <= as_of]
        figures = MoneyAsOf(
            as_of=as_of,
            budget=project.total_budget or ZERO,
            granted=sum((d.granted_amount for d in decisions), ZERO),
            requested=ZERO,
            drawn=ZERO,
            spent=ZERO,
        )
        for decision in decisions:
            drawdowns = list(decision.drawdowns.all())
            received = sum(
                (
                    d.received_amount
                    for d in drawdowns
                    if d.received_date and d.received_date <= as_of
                ),
                ZERO,
            )
            figures.drawn += received
            figures.requested += sum(
                (d.requested_amount for d in drawdowns if d.requested_date <= as_of), ZERO
            )
            warning = _undrawn_warning(decision, received, as_of)
            if warning:
                figures.warnings.append(warning)
        for line in lines_by_project[project.pk]:
            line_spent = line.spent_as_of
            figures.lines.append(LineFigures(line, line.planned_amount, line_spent))
            figures.spent += line_spent
        result[project.pk] = figures
    return result


def money_as_of(project: Project, as_of: datetime.date | None = None, *, decisions=None, user=None):
    """Granted, requested, drawn and spent of the project as of `as_of` (today by default),
    with spent per budget line and the warnings about grants not drawn in time."""
    return money_as_of_many(
        [project],
        as_of,
        decisions_of=None if decisions is None else (lambda p: decisions),
        user=user,
    )[project.pk]


def decisions_issued(as_of: datetime.date, *, user=None):
    """The funding decisions issued by `as_of`: what "granted" sums, on every page (with
    `user`, those the funding rule lets the user see)."""
    decisions = (
        FundingDecision.objects.all() if user is None else FundingDecision.objects.visible_to(user)
    )
    return decisions.filter(decision_date__lte=as_of)


def granted_by_project(
    project_ids, as_of: datetime.date | None = None, *, user=None
) -> dict[int, Decimal]:
    """The granted sum per project as of `as_of` (today by default), of the decisions issued
    by then that `user` may see; projects without such a decision are absent. One query."""
    as_of = as_of or timezone.localdate()
    rows = (
        decisions_issued(as_of, user=user)
        .filter(project_id__in=project_ids)
        .order_by()
        .values("project_id")
        .annotate(total=Sum("granted_amount"))
    )
    return {row["project_id"]: row["total"] or ZERO for row in rows}


def _as_of_rows(as_of: datetime.date, user) -> dict:
    """The rows each figure sums as of `as_of`, with the path from a row to its project and
    the amount summed: the one definition `money_annotations` and `money_totals` share
    (decisions issued by `as_of`: `decisions_issued`; drawdowns received by it; receipts paid
    by it on the project's budget lines; with `user`, the decisions, budget lines and receipts
    the rules let the user see)."""
    receipts = Receipt.objects.all() if user is None else Receipt.objects.visible_to(user)
    if user is not None:
        lines = BudgetLine.objects.visible_to(user)
        if lines.query.where:  # a rule that lets the user see every line filters nothing
            receipts = receipts.filter(budget_line__in=lines)
    return {
        "granted": (
            decisions_issued(as_of, user=user),
            "project",
            "granted_amount",
        ),
        "drawn": (
            Drawdown.objects.filter(
                funding_decision__decision_date__lte=as_of, received_date__lte=as_of
            ),
            "funding_decision__project",
            "received_amount",
        ),
        "spent": (
            receipts.filter(payment_date__lte=as_of),
            "budget_line__project",
            "gross_amount",
        ),
    }


def money_annotations(as_of: datetime.date | None = None, *, user=None, outer="pk") -> dict:
    """`money_as_of`'s granted, drawn and spent as correlated subqueries on a queryset of
    projects (`outer`: the path to the project's id), so that lists and exports compute the
    same figures for any number of projects inside their one query. Same rules as
    `money_as_of` (`_as_of_rows`). For sums over many projects, `money_totals` is cheaper:
    one aggregate per figure instead of a subquery per project."""
    as_of = as_of or timezone.localdate()
    money = DecimalField(**MONEY)
    project = OuterRef(outer)

    def total(queryset, group, amount):
        return Coalesce(
            Subquery(
                queryset.filter(**{group: project})
                .order_by()
                .values(group)
                .annotate(total=Sum(amount))
                .values("total"),
                output_field=money,
            ),
            Value(ZERO, money),
        )

    return {
        name: total(queryset, group, amount)
        for name, (queryset, group, amount) in _as_of_rows(as_of, user).items()
    }


def money_totals(
    projects, as_of: datetime.date | None = None, *, user=None, by=(), figures=("granted",)
) -> dict[tuple, dict[str, Decimal]]:
    """The sums of `money_as_of`'s `figures` (granted, drawn, spent) over `projects` (a
    queryset), grouped by the project fields `by` (e.g. ("lead_municipality_id",)): one
    GROUP BY query per figure over the rows of `_as_of_rows`, whatever the number of
    projects. Keys are tuples of the `by` values; a group without rows is missing (0)."""
    as_of = as_of or timezone.localdate()
    rows = _as_of_rows(as_of, user)
    totals: dict[tuple, dict[str, Decimal]] = {}
    for name in figures:
        queryset, group, amount = rows[name]
        paths = [f"{group}__{field}" for field in by]
        for row in (
            queryset.filter(**{f"{group}__in": projects.values("pk")})
            .order_by()
            .values(*paths)
            .annotate(total=Sum(amount))
        ):
            key = tuple(row[path] for path in paths)
            totals.setdefault(key, {})[name] = row["total"] or ZERO
    return totals


def _undrawn_warning(decision, received, as_of) -> str | None:
    undrawn = decision.granted_amount - received
    horizon = as_of + datetime.timedelta(days=settings.PROJECTS_UNDRAWN_WARNING_DAYS)
    if undrawn <= 0 or decision.period_end > horizon:
        return None
    ended = decision.period_end < as_of
    return (
        _(
            "Der Bewilligungszeitraum von „%(d)s“ endete am %(end)s; %(amount)s "
            "wurden nicht abgerufen."
        )
        if ended
        else _(
            "Der Bewilligungszeitraum von „%(d)s“ endet am %(end)s; noch "
            "%(amount)s sind nicht abgerufen."
        )
    ) % {
        "d": decision,
        "end": formats.date_format(decision.period_end, "d.m.Y"),
        "amount": format_euro(undrawn),
    }
