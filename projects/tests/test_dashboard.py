"""The home-page panel's figures against a hand-computed expectation, for every role, and
its query count at two data sizes."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from projects.dashboard import dashboard_data
from projects.models import FieldOfAction, Project
from projects.services.money import money_as_of
from soest_office.tests.factories import municipality

from .factories import (
    BudgetLineFactory,
    DrawdownFactory,
    FundingDecisionFactory,
    MilestoneFactory,
    ProjectFactory,
    ReceiptFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 1)
DAY = datetime.timedelta(days=1)


def field(slug):
    return FieldOfAction.objects.get(slug=slug)


@pytest.fixture
def region(db):
    """Six projects whose figures are worked out by hand in the tests below."""
    alpha = ProjectFactory(
        title="Alpha Breitband",
        lead_municipality=municipality("soest"),
        participants=["lippstadt"],
        field_of_action=field("infrastruktur"),
        last_report_date=TODAY - 10 * DAY,
        total_budget=Decimal("100000.00"),
    )
    spend(alpha, "15000.00", "5000.00")
    decide(alpha, "30000.00")
    decide(alpha, "10000.00")
    beta = ProjectFactory(
        title="Beta Schule",
        lead_municipality=municipality("lippstadt"),
        participants=["soest", "iserlohn"],
        field_of_action=field("bildung"),
        traffic_light="red",
        traffic_light_reason="Lieferverzug",
        last_report_date=TODAY - 5 * DAY,
        total_budget=Decimal("50000.00"),
    )
    spend(beta, "5000.00")
    decide(beta, "25000.00")
    after_today(beta)
    gamma = ProjectFactory(
        title="Gamma Parken",
        lead_municipality=municipality("iserlohn"),
        field_of_action=field("mobilitaet"),
        start_date=TODAY - 200 * DAY,  # no report for 200 days: stale
        total_budget=Decimal("80000.00"),
    )
    MilestoneFactory(project=gamma, due_date=TODAY - 3 * DAY, title="Ausschreibung")
    MilestoneFactory(project=gamma, due_date=TODAY - 1 * DAY, title="Vergabe")
    MilestoneFactory(project=gamma, due_date=TODAY - 9 * DAY, done_date=TODAY, title="erledigt")
    delta = ProjectFactory(
        title="Delta Archiv",
        lead_municipality=municipality("soest"),
        field_of_action=field("bildung"),
        traffic_light="yellow",
        traffic_light_reason="alt",
        archived_at=timezone.now(),
        total_budget=Decimal("999999.00"),
    )
    decide(delta, "77777.00")
    MilestoneFactory(project=delta, due_date=TODAY + 2 * DAY, title="archiviert")
    ProjectFactory(
        title="Epsilon Idee",
        lead_municipality=municipality("kreis-soest"),
        # The lead listed again as participant (the form refuses it; the data may hold it).
        participants=["kreis-soest", "soest"],
        field_of_action=field("e-government"),
        status="idea",
        traffic_light="yellow",
        traffic_light_reason="Finanzierung offen",
        start_date=None,
        total_budget=Decimal("10000.00"),
    )
    zeta = ProjectFactory(
        title="Zeta Grün",
        lead_municipality=municipality("lippstadt"),
        field_of_action=field("bildung"),
        status="completed",  # no reminders for completed projects
        last_report_date=TODAY - 400 * DAY,
        total_budget=Decimal("20000.00"),
    )
    spend(zeta, "20000.00")
    decide(zeta, "15000.00")
    MilestoneFactory(project=alpha, due_date=TODAY + 3 * DAY, title="Abnahme")
    MilestoneFactory(project=alpha, due_date=TODAY + 40 * DAY, title="zu spät")
    MilestoneFactory(project=alpha, due_date=TODAY + 1 * DAY, done_date=TODAY, title="fertig")


def decide(project, granted):
    """A decision issued before TODAY, with a drawdown received before it."""
    decision = FundingDecisionFactory(
        project=project,
        granted_amount=Decimal(granted),
        decision_date=TODAY - 90 * DAY,
        period_start=TODAY - 90 * DAY,
        period_end=TODAY + 300 * DAY,
    )
    DrawdownFactory(
        funding_decision=decision,
        requested_date=TODAY - 30 * DAY,
        received_date=TODAY - 20 * DAY,
        requested_amount=Decimal("1000.00"),
        received_amount=Decimal("1000.00"),
    )
    return decision


def spend(project, *amounts):
    """Receipts paid before TODAY (the last one on TODAY itself), on one budget line."""
    line = BudgetLineFactory(project=project, planned_amount=Decimal("100000.00"))
    for i, amount in enumerate(amounts, start=1):
        ReceiptFactory(
            project=project,
            budget_line=line,
            receipt_date=TODAY - 40 * DAY,
            payment_date=TODAY - (len(amounts) - i) * DAY,
            net_amount=Decimal(amount),
            gross_amount=Decimal(amount),
        )


def after_today(project):
    """Money booked after TODAY, or not paid at all: none of it may show as of TODAY."""
    line = BudgetLineFactory(project=project)
    for payment_date in (TODAY + DAY, None):
        ReceiptFactory(
            project=project,
            budget_line=line,
            receipt_date=TODAY - DAY,
            payment_date=payment_date,
            net_amount=Decimal("9000.00"),
            gross_amount=Decimal("9000.00"),
        )
    decision = FundingDecisionFactory(
        project=project,
        granted_amount=Decimal("7000.00"),
        decision_date=TODAY + DAY,
        period_start=TODAY + DAY,
        period_end=TODAY + 300 * DAY,
    )
    DrawdownFactory(
        funding_decision=decision,
        requested_date=TODAY + 2 * DAY,
        received_date=TODAY + 3 * DAY,
    )


def matrix_of(data):
    """{(municipality slug, field slug): (total, green, yellow, red)} of non-empty cells."""
    fields = [f.slug for f in data["fields"]]
    cells = {}
    for m, row in data["matrix_rows"]:
        for slug, cell in zip(fields, row, strict=True):
            if cell.total:
                lights = cell.lights
                cells[(m.slug, slug)] = (
                    cell.total,
                    lights["green"],
                    lights["yellow"],
                    lights["red"],
                )
    return cells


EXPECTED_MATRIX = {
    ("soest", "infrastruktur"): (1, 1, 0, 0),  # Alpha leads
    ("soest", "bildung"): (1, 0, 0, 1),  # Beta, participant
    ("soest", "e-government"): (1, 0, 1, 0),  # Epsilon, participant
    ("lippstadt", "infrastruktur"): (1, 1, 0, 0),  # Alpha, participant
    ("lippstadt", "bildung"): (2, 1, 0, 1),  # Beta and Zeta lead
    ("iserlohn", "bildung"): (1, 0, 0, 1),  # Beta, participant
    ("iserlohn", "mobilitaet"): (1, 1, 0, 0),  # Gamma leads
    ("kreis-soest", "e-government"): (1, 0, 1, 0),  # Epsilon, once although listed twice
}
# (budget, granted, spent) by lead municipality and by field; archived Delta counts nowhere.
EXPECTED_BY_MUNICIPALITY = {
    "Stadt Soest": ("100000", "40000", "20000"),
    "Stadt Lippstadt": ("70000", "40000", "25000"),
    "Stadt Iserlohn": ("80000", "0", "0"),
    "Kreis Soest": ("10000", "0", "0"),
}
EXPECTED_BY_FIELD = {
    "infrastruktur": ("100000", "40000", "20000"),
    "bildung": ("70000", "40000", "25000"),
    "mobilitaet": ("80000", "0", "0"),
    "e-government": ("10000", "0", "0"),
}
REASONS = {
    "Beta Schule": ["Ampel rot"],
    "Epsilon Idee": ["Ampel gelb"],
    "Gamma Parken": ["2 Meilenstein(e) überfällig", "kein aktueller Bericht"],
}


def money(row):
    return (row.budget, row.granted, row.spent)


def as_money(triple):
    return tuple(Decimal(v) for v in triple)


@pytest.mark.parametrize("role", ["office", "steering", "partner_soest", "partner_iserlohn"])
def test_dashboard_figures_match_the_hand_computed_ones(region, request, role):
    user = request.getfixturevalue(role)

    data = dashboard_data(user, today=TODAY)

    # Every intranet role reads every project: the same figures for all.
    assert data["project_count"] == 5
    assert matrix_of(data) == EXPECTED_MATRIX
    by_municipality = {row.label: money(row) for row in data["money_by_municipality"]}
    for label, expected in EXPECTED_BY_MUNICIPALITY.items():
        assert by_municipality[label] == as_money(expected), label
    assert {row.label for row in data["money_by_municipality"]} >= set(EXPECTED_BY_MUNICIPALITY)
    fields = {f.name: f.slug for f in data["fields"]}
    by_field = {fields[row.label]: money(row) for row in data["money_by_field"]}
    for slug, expected in EXPECTED_BY_FIELD.items():
        assert by_field[slug] == as_money(expected), slug
    assert money(data["money_total"]) == as_money(("260000", "80000", "45000"))
    assert data["money_total"].percent_granted == 31  # 80,000 of 260,000
    assert data["attention_total"] == 3
    for item in data["attention"]:
        assert item["reasons"] == REASONS[item["project"].title]
    assert [m.title for m in data["upcoming"]] == ["Abnahme"]


@pytest.mark.parametrize("role", ["office", "partner_soest"])
def test_dashboard_money_is_money_as_of_of_each_project(region, request, role):
    """The table sums, per lead municipality, exactly what money_as_of gives each project
    as of the day (money booked or granted after the day, and unpaid receipts, left out);
    the project list's figures are the same."""
    user = request.getfixturevalue(role)
    data = dashboard_data(user, today=TODAY)

    expected = {}
    listed = Project.objects.visible_to(user).active().with_figures(today=TODAY)
    for project in listed.select_related("lead_municipality"):
        figures = money_as_of(project, TODAY, user=user)
        row = expected.setdefault(project.lead_municipality.name, [Decimal(0)] * 3)
        row[0] += project.total_budget
        row[1] += figures.granted
        row[2] += figures.spent
        assert (project.granted, project.drawn, project.spent) == (
            figures.granted,
            figures.drawn,
            figures.spent,
        ), project.title
    shown = {r.label: list(money(r)) for r in data["money_by_municipality"] if r.budget}
    assert shown == expected
    beta = money_as_of(Project.objects.get(title="Beta Schule"), TODAY)
    assert (beta.granted, beta.drawn, beta.spent) == (Decimal(25000), Decimal(1000), Decimal(5000))


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        # Red before yellow before green; nobody's "own" projects.
        ("office", [("Beta Schule", False), ("Epsilon Idee", False), ("Gamma Parken", False)]),
        ("steering", [("Beta Schule", False), ("Epsilon Idee", False), ("Gamma Parken", False)]),
        # Soest takes part in Beta and Epsilon: those first, marked.
        (
            "partner_soest",
            [("Beta Schule", True), ("Epsilon Idee", True), ("Gamma Parken", False)],
        ),
        # Iserlohn takes part in Beta and leads Gamma: Gamma moves before Epsilon.
        (
            "partner_iserlohn",
            [("Beta Schule", True), ("Gamma Parken", True), ("Epsilon Idee", False)],
        ),
    ],
)
def test_attention_list_order_and_own_marks_per_role(region, request, role, expected):
    data = dashboard_data(request.getfixturevalue(role), today=TODAY)
    assert [(a["project"].title, a["own"]) for a in data["attention"]] == expected


def test_attention_list_is_cut_at_ten_but_counts_all(office):
    for i in range(12):
        ProjectFactory(title=f"Rot {i:02d}", traffic_light="red", traffic_light_reason="x")

    data = dashboard_data(office, today=TODAY)

    assert data["attention_total"] == 12
    assert [a["project"].title for a in data["attention"]] == [f"Rot {i:02d}" for i in range(10)]


def test_dashboard_without_projects_shows_zeros(office):
    data = dashboard_data(office, today=TODAY)
    assert data["project_count"] == 0
    assert data["attention"] == []
    assert data["attention_total"] == 0
    assert money(data["money_total"]) == (0, 0, 0)
    assert matrix_of(data) == {}


@pytest.mark.parametrize("role", ["office", "partner_soest", "steering"])
def test_home_page_query_count_does_not_grow_with_projects(
    client, request, role, django_assert_max_num_queries
):
    user = request.getfixturevalue(role)
    counts = []
    for n in (2, 20):
        for _ in range(n):
            project = ProjectFactory(
                participants=["lippstadt"], traffic_light="red", traffic_light_reason="x"
            )
            FundingDecisionFactory(project=project)
            MilestoneFactory(project=project, due_date=timezone.localdate() + DAY)
            MilestoneFactory(project=project, due_date=timezone.localdate() - DAY)
        client.force_login(user)
        client.get("/")  # warm-up: per-process caches
        with django_assert_max_num_queries(15) as captured:
            assert client.get("/").status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts
