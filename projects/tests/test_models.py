"""Model rules, queryset helpers, funding figures and the dashboard data."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError

from projects import selectors
from projects.dashboard import dashboard_data
from projects.models import FieldOfAction, Milestone, Project
from soest_office.tests.factories import municipality

from .factories import (
    BudgetLineFactory,
    DrawdownFactory,
    FundingDecisionFactory,
    MilestoneFactory,
    ProgressReportFactory,
    ProjectFactory,
    ReceiptFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 1)


def test_milestone_is_overdue_when_due_and_not_done():
    late = MilestoneFactory(due_date=TODAY - datetime.timedelta(days=1))
    done = MilestoneFactory(due_date=TODAY - datetime.timedelta(days=1), done_date=TODAY)
    future = MilestoneFactory(due_date=TODAY)
    assert late.is_overdue(TODAY)
    assert not done.is_overdue(TODAY)
    assert not future.is_overdue(TODAY)
    assert list(Milestone.objects.overdue(today=TODAY)) == [late]


def test_database_refuses_end_before_start_and_percent_over_100():
    with pytest.raises(IntegrityError):
        ProjectFactory(start_date=TODAY, planned_end_date=TODAY - datetime.timedelta(days=1))


def test_report_percent_over_100_refused_by_database():
    with pytest.raises(IntegrityError):
        ProgressReportFactory(percent_complete=101)


def test_with_figures_sums_without_duplicating_rows():
    """Granted, drawn and spent as of TODAY (money_as_of's rules), without the rows of the
    participants multiplying anything."""
    day = datetime.timedelta(days=1)
    project = ProjectFactory(participants=["lippstadt", "iserlohn"])
    issued = {"decision_date": TODAY - 60 * day, "period_start": TODAY - 60 * day}
    first = FundingDecisionFactory(project=project, granted_amount=Decimal("40000"), **issued)
    FundingDecisionFactory(
        project=project,
        granted_amount=Decimal("10000"),
        eligible_costs=Decimal("12500"),
        own_share=Decimal("2500"),
        **issued,
    )
    # Issued after TODAY: not granted yet as of TODAY.
    FundingDecisionFactory(project=project, decision_date=TODAY + day, period_start=TODAY + day)
    DrawdownFactory(
        funding_decision=first,
        requested_amount=Decimal("5000"),
        received_amount=Decimal("5000"),
        requested_date=TODAY - 20 * day,
        received_date=TODAY - 10 * day,
    )
    DrawdownFactory(
        funding_decision=first,
        requested_amount=Decimal("7000"),
        received_amount=Decimal("0"),
        requested_date=TODAY - 5 * day,
        received_date=None,
    )
    DrawdownFactory(  # received after TODAY
        funding_decision=first, requested_date=TODAY - day, received_date=TODAY + day
    )
    line = BudgetLineFactory(project=project)
    for paid in (TODAY - day, TODAY, TODAY + day, None):
        ReceiptFactory(
            project=project,
            budget_line=line,
            receipt_date=TODAY - 30 * day,
            payment_date=paid,
            net_amount=Decimal("100"),
            gross_amount=Decimal("119"),
        )
    MilestoneFactory(project=project, due_date=TODAY - datetime.timedelta(days=5))
    MilestoneFactory(project=project, due_date=TODAY + datetime.timedelta(days=5))

    rows = list(Project.objects.with_figures(today=TODAY))

    assert len(rows) == 1
    assert rows[0].granted == Decimal("50000")
    assert rows[0].drawn == Decimal("5000")
    assert rows[0].spent == Decimal("238")  # paid by TODAY: two receipts
    assert rows[0].overdue_milestones == 1
    assert rows[0].next_milestone_date == TODAY + datetime.timedelta(days=5)


def test_involving_and_without_report_since():
    soest = ProjectFactory(last_report_date=TODAY - datetime.timedelta(days=100))
    joined = ProjectFactory(
        lead_municipality=municipality("lippstadt"),
        participants=["soest", "iserlohn"],
        last_report_date=TODAY - datetime.timedelta(days=10),
    )
    ProjectFactory(lead_municipality=municipality("iserlohn"))
    soest_id = municipality("soest").pk
    assert set(Project.objects.involving(soest_id)) == {soest, joined}
    assert list(Project.objects.without_report_since(90, today=TODAY)) == [soest]


def test_funding_summary_warns_about_undrawn_money_at_period_end(settings):
    settings.PROJECTS_UNDRAWN_WARNING_DAYS = 60
    project = ProjectFactory(total_budget=Decimal("100000"))
    line = BudgetLineFactory(project=project)
    ReceiptFactory(
        project=project,
        budget_line=line,
        gross_amount=Decimal("25000"),
        net_amount=Decimal("21008.40"),
        payment_date=TODAY - datetime.timedelta(days=3),
    )
    ending = FundingDecisionFactory(
        project=project,
        decision_date=datetime.date(2025, 1, 1),
        period_start=datetime.date(2025, 1, 1),
        period_end=TODAY + datetime.timedelta(days=30),
        reference="DMR-2026",
    )
    DrawdownFactory(
        funding_decision=ending,
        requested_date=TODAY - datetime.timedelta(days=20),
        requested_amount=Decimal("15000"),
        received_date=TODAY - datetime.timedelta(days=10),
        received_amount=Decimal("15000"),
    )
    FundingDecisionFactory(
        project=project,
        decision_date=datetime.date(2025, 1, 1),
        period_start=datetime.date(2025, 1, 1),
        period_end=TODAY + datetime.timedelta(days=300),
        granted_amount=Decimal("10000"),
        eligible_costs=Decimal("12500"),
        own_share=Decimal("2500"),
    )

    summary = selectors.funding_summary(project, today=TODAY)

    assert summary["granted"] == Decimal("50000")
    assert summary["drawn"] == Decimal("15000")
    assert summary["spent"] == Decimal("25000")
    assert summary["available"] == Decimal("35000")
    assert summary["percent_granted"] == 50
    (warning,) = summary["warnings"]
    assert "DMR-2026" in warning
    assert "25.000,00 €" in warning
    assert "endet am" in warning


def test_detail_page_shows_undrawn_warning(client_for, office):
    project = ProjectFactory(slug="mit-warnung")
    FundingDecisionFactory(project=project, period_end=datetime.date.today())
    html = client_for(office).get(project.get_absolute_url()).content.decode()
    assert "nicht abgerufen" in html


def test_dashboard_matrix_attention_and_money(partner_soest):
    red = ProjectFactory(
        title="Smart Parking",
        traffic_light="red",
        traffic_light_reason="Sensorlieferung fehlt",
        field_of_action=FieldOfAction.objects.get(slug="mobilitaet"),
        lead_municipality=municipality("lippstadt"),
        participants=["soest"],
        total_budget=Decimal("80000"),
        last_report_date=TODAY,
    )
    MilestoneFactory(project=red, due_date=TODAY + datetime.timedelta(days=3), title="Testbetrieb")

    data = dashboard_data(partner_soest, today=TODAY)

    rows = {m.slug: cells for m, cells in data["matrix_rows"]}
    field_index = [f.slug for f in data["fields"]].index("mobilitaet")
    assert rows["soest"][field_index].total == 1
    assert rows["soest"][field_index].lights["red"] == 1
    assert rows["lippstadt"][field_index].total == 1
    attention = data["attention"][0]
    assert attention["project"] == red
    assert attention["own"] is True  # Soest takes part: listed first, marked
    assert "Ampel rot" in attention["reasons"]
    money = {row.label: row for row in data["money_by_municipality"]}
    assert money["Stadt Lippstadt"].budget == Decimal("80000")
    assert [m.title for m in data["upcoming"]] == ["Testbetrieb"]


def test_home_page_has_panel_with_table_alternatives(client_for, steering):
    ProjectFactory(title="Digitales Klassenzimmer")
    html = client_for(steering).get("/").content.decode()
    assert "Projekte im Überblick" in html
    assert "Projekte nach Kommune und Handlungsfeld" in html
    assert "<caption>Budget, Förderung und Ausgaben nach federführender Kommune" in html
    assert 'aria-hidden="true"' in html  # the bars are decoration of the tables


def test_home_panel_is_hidden_without_role(client_for, no_role_user):
    assert "Projekte im Überblick" not in client_for(no_role_user).get("/").content.decode()
