"""The fresh dashboard's figures after issue 20's restructuring are those of before: money
per municipality and field from one aggregate per figure (`money_totals`) instead of a
subquery per project (`money_annotations`), and the proofs due from the decisions' dates
first. Compared on the benchmark's seeded dataset, for several days and roles."""

import datetime

import pytest
from django.db.models import Sum

from bench import generate
from bench.run import Users
from projects import dashboard
from projects.models import FundingDecision
from projects.services.money import money_annotations, money_totals
from projects.services.proof import upcoming_dues, with_submitted

pytestmark = pytest.mark.django_db

DAYS = [
    datetime.date(2025, 1, 15),
    datetime.date(2026, 6, 1),
    datetime.date(2026, 12, 5),
    datetime.date(2027, 9, 30),
]
GROUP = ("lead_municipality_id", "field_of_action_id")


@pytest.fixture
def seeded(db):
    generate.generate(scale=0.003, seed=generate.DEFAULT_SEED, stdout=lambda *_: None)
    users = Users()
    return {role: users.users[role] for role in ("office", "partner")}


def _before(projects, as_of, user):
    """The dashboard's money as it was computed before: subqueries per project, summed in
    the GROUP BY."""
    figures = money_annotations(as_of, user=user)
    rows = (
        projects.annotate(**{f"{name}_as_of": expr for name, expr in figures.items()})
        .order_by()
        .values(*GROUP)
        .annotate(**{name: Sum(f"{name}_as_of") for name in figures})
    )
    return {
        (row[GROUP[0]], row[GROUP[1]]): {name: row[name] for name in figures}
        for row in rows
        if any(row[name] for name in figures)
    }


@pytest.mark.parametrize("role", ["office", "partner"])
def test_money_totals_are_the_sums_of_money_annotations(seeded, role):
    user = seeded[role]
    projects = dashboard.scoped_projects(user)
    checked = 0
    for day in DAYS:
        after = money_totals(
            projects, day, user=user, by=GROUP, figures=("granted", "drawn", "spent")
        )
        after = {
            key: {name: after[key].get(name, 0) for name in ("granted", "drawn", "spent")}
            for key in after
        }
        before = _before(projects, day, user)
        assert after == before, day
        checked += sum(bool(v["spent"]) for v in before.values())
    assert checked  # the dataset has money on the days compared


def test_the_dashboard_tables_show_the_sums_of_before(seeded):
    user = seeded["office"]
    for day in DAYS:
        data = dashboard.dashboard_data(user, today=day)
        before = _before(dashboard.scoped_projects(user), day, user)
        by_field = {}
        for (_m, f), figures in before.items():
            row = by_field.setdefault(f, [0, 0])
            row[0] += figures["granted"]
            row[1] += figures["spent"]
        names = {f.pk: f.name for f in data["fields"]}
        shown = {
            row.label: [row.granted, row.spent] for row in data["money_by_field"] if row.budget
        }
        assert shown == {names[f]: v for f, v in by_field.items()}, day


def _proofs_before(user, today):
    """The proofs due as the dashboard computed them before: every decision loaded with its
    submitted records prefetched."""
    projects = dashboard.scoped_projects(user)
    decisions = with_submitted(
        FundingDecision.objects.visible_to(user)
        .filter(
            project__in=projects.values("pk"),
            project__archived_at__isnull=True,
            period_end__gte=today - datetime.timedelta(days=3 * 366),
        )
        .select_related("project")
    )
    dues = upcoming_dues(decisions, today=today, ahead_days=dashboard.PROOF_DAYS)
    return dues[: dashboard.LIST_LIMIT]


@pytest.mark.parametrize("role", ["office", "partner"])
def test_proofs_due_are_those_of_before(seeded, role):
    user = seeded[role]
    found = 0
    for day in [*DAYS, *(datetime.date(2026, m, 1) for m in range(1, 13))]:
        after = dashboard._proofs_due(dashboard.scoped_projects(user), user, day)
        before = _proofs_before(user, day)
        key = [(d.decision.pk, d.kind, d.due, d.start, d.end) for d in after]
        assert key == [(d.decision.pk, d.kind, d.due, d.start, d.end) for d in before], day
        found += len(after)
    assert found  # some proofs fall due on the days compared
