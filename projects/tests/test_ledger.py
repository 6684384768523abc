"""The ledger (receipts), money as of a date, and the Verwendungs-/Zwischennachweis."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from projects import services
from projects.exports import funder_report_sections
from projects.forms import BudgetLineForm
from projects.models import BudgetLine, FundingDecision, Project, Receipt
from projects.services import ledger, money
from projects.services import proof as proofs
from soest_office.models import ExportJob
from soest_office.tests.export_helpers import download_export

from .factories import (
    BudgetLineFactory,
    DrawdownFactory,
    FundingDecisionFactory,
    ProgressReportFactory,
    ProjectFactory,
    ReceiptFactory,
)

pytestmark = pytest.mark.django_db
D = Decimal
BOUNDARY = datetime.date(2025, 12, 31)


def day(text):
    return datetime.date.fromisoformat(text)


def receipt(line, gross, paid, *, net=None, **kwargs):
    return ReceiptFactory(
        project=line.project,
        budget_line=line,
        gross_amount=D(gross),
        net_amount=D(net if net is not None else gross),
        receipt_date=kwargs.pop("receipt_date", paid or day("2025-01-02")),
        payment_date=paid,
        **kwargs,
    )


# --- Money as of a date ---------------------------------------------------------------------


@pytest.fixture
def booked():
    """Bookings on both sides of 31.12.2025."""
    project = ProjectFactory(slug="stichtag", total_budget=D("200000"))
    decision = FundingDecisionFactory(
        project=project,
        decision_date=day("2025-01-15"),
        period_start=day("2025-01-01"),
        period_end=day("2026-12-31"),
        granted_amount=D("40000"),
    )
    FundingDecisionFactory(  # decided after the boundary
        project=project,
        decision_date=day("2026-01-01"),
        period_start=day("2026-01-01"),
        period_end=day("2026-12-31"),
        granted_amount=D("10000"),
        eligible_costs=D("12500"),
        own_share=D("2500"),
    )
    DrawdownFactory(
        funding_decision=decision,
        requested_date=day("2025-11-01"),
        requested_amount=D("10000"),
        received_date=BOUNDARY,
        received_amount=D("10000"),
    )
    DrawdownFactory(
        funding_decision=decision,
        requested_date=day("2025-12-20"),
        requested_amount=D("5000"),
        received_date=day("2026-01-01"),
        received_amount=D("5000"),
    )
    line_a = BudgetLineFactory(project=project, title="Personal", planned_amount=D("50000"))
    line_b = BudgetLineFactory(project=project, title="Sachmittel", planned_amount=D("20000"))
    receipt(line_a, "1000.00", BOUNDARY)
    receipt(line_a, "200.00", day("2026-01-01"))
    receipt(line_b, "119.00", day("2025-06-30"), net="100.00")
    receipt(line_b, "999.00", None)  # not paid: never spent
    return project


def test_money_as_of_counts_what_happened_by_the_date(booked):
    before = money.money_as_of(booked, BOUNDARY)
    assert before.granted == D("40000")
    assert before.requested == D("15000")
    assert before.drawn == D("10000")
    assert before.spent == D("1119.00")
    assert [(f.line.title, f.spent) for f in before.lines] == [
        ("Personal", D("1000.00")),
        ("Sachmittel", D("119.00")),
    ]

    after = money.money_as_of(booked, BOUNDARY + datetime.timedelta(days=1))
    assert after.granted == D("50000")
    assert after.drawn == D("15000")
    assert after.spent == D("1319.00")
    assert after.lines[0].spent == D("1200.00")
    assert after.lines[0].remaining == D("48800.00")

    earlier = money.money_as_of(booked, day("2025-01-14"))
    assert (earlier.granted, earlier.drawn, earlier.spent) == (0, 0, 0)


def test_funder_report_for_a_past_period_shows_that_periods_money(booked, office):
    (section,) = funder_report_sections(
        Project.objects.filter(pk=booked.pk),
        date_from=day("2025-01-01"),
        date_to=BOUNDARY,
        user=office,
    )
    assert section.funding["granted"] == D("40000")
    assert section.funding["drawn"] == D("10000")
    assert section.funding["spent"] == D("1119.00")


def test_funder_report_sections_run_a_fixed_number_of_queries(
    booked, office, django_assert_max_num_queries
):
    other = ProjectFactory(slug="zweites")
    receipt(BudgetLineFactory(project=other), "10.00", BOUNDARY)
    projects = Project.objects.filter(pk__in=[booked.pk, other.pk])
    with django_assert_max_num_queries(12):
        sections = funder_report_sections(
            projects, date_from=day("2025-01-01"), date_to=BOUNDARY, user=office
        )
    assert {s.project.slug: s.funding["spent"] for s in sections} == {
        "stichtag": D("1119.00"),
        "zweites": D("10.00"),
    }


def test_project_page_shows_spent_from_receipts(client_for, office, booked):
    html = client_for(office).get(booked.get_absolute_url()).content.decode()
    assert "ausgegeben (laut Belegen)" in html
    assert "1.319,00 €" in html  # today: every paid receipt


# --- Receipts: booking, derived figures, bad input --------------------------------------------


@pytest.fixture
def ledger_project():
    project = ProjectFactory(slug="belege", total_budget=D("100000"))
    decision = FundingDecisionFactory(
        project=project,
        decision_date=day("2025-01-01"),
        period_start=day("2025-01-01"),
        period_end=day("2026-12-31"),
    )
    line = BudgetLineFactory(
        project=project, title="Lizenzen", planned_amount=D("30000"), funding_decision=decision
    )
    return project, line


def receipt_post(line, **overrides):
    data = {
        "budget_line": line.pk,
        "number": "R-1",
        "receipt_date": "2026-03-01",
        "payee": "Lizenz GmbH",
        "purpose": "Jahreslizenz",
        "net_amount": "1.000,00",
        "gross_amount": "1.190,00",
        "payment_date": "2026-03-10",
    }
    data.update(overrides)
    return data


def test_office_books_a_receipt_with_scan_and_the_figures_follow(
    client_for, office, ledger_project
):
    project, line = ledger_project
    client = client_for(office)
    data = receipt_post(line)
    data["file"] = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%beleg\n", "application/pdf")
    response = client.post(reverse("projects:receipt_create", args=[project.slug]), data)
    assert response.status_code == 302
    booked = Receipt.objects.get()
    assert (booked.gross_amount, booked.created_by) == (D("1190.00"), office)
    assert booked.original_name == "scan.pdf"
    line.refresh_from_db()
    project.refresh_from_db()
    assert line.spent_amount == D("1190.00")
    assert project.spent_to_date == D("1190.00")
    download = client.get(booked.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # A change keeps the earlier version (history) and moves the derived figures.
    response = client.post(
        reverse("projects:receipt_edit", args=[project.slug, booked.pk]),
        receipt_post(line, gross_amount="1.100,00", net_amount="1.000,00"),
    )
    assert response.status_code == 302
    assert booked.history.count() == 2
    project.refresh_from_db()
    assert project.spent_to_date == D("1100.00")
    # Deleting takes it out again.
    client.post(reverse("projects:receipt_delete", args=[project.slug, booked.pk]))
    project.refresh_from_db()
    assert project.spent_to_date == 0
    assert not Receipt.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"net_amount": "-5", "gross_amount": "-5"}, "net_amount", "nicht negativ"),
        (
            {"net_amount": "9.000.000", "gross_amount": "9.000.000"},
            "net_amount",
            "nicht plausibel",
        ),
        ({"net_amount": "1.000", "gross_amount": "900"}, "gross_amount", "nicht kleiner"),
        ({"net_amount": "1.000", "gross_amount": "1.500"}, "gross_amount", "mehr als 19 %"),
        ({"net_amount": "0", "gross_amount": "0"}, "gross_amount", "größer als 0"),
        (
            {"net_amount": "200.000", "gross_amount": "200.000"},
            "gross_amount",
            "höher als das gesamte Budget",
        ),
        ({"payment_date": "2099-01-01"}, "payment_date", "in der Zukunft"),
        ({"file_bad": True}, "file", ""),
    ],
)
def test_bad_receipts_are_refused_in_german_and_nothing_is_saved(
    client_for, office, ledger_project, overrides, field, message
):
    project, line = ledger_project
    data = receipt_post(line, **overrides)
    if data.pop("file_bad", False):
        data["file"] = SimpleUploadedFile("beleg.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client_for(office).post(
        reverse("projects:receipt_create", args=[project.slug]), data
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert not Receipt.objects.exists()
    line.refresh_from_db()
    assert line.spent_amount == 0


def test_receipt_on_a_budget_line_of_another_project_is_refused(client_for, office, ledger_project):
    project, _line = ledger_project
    foreign = BudgetLineFactory(project=ProjectFactory(slug="fremd"))
    response = client_for(office).post(
        reverse("projects:receipt_create", args=[project.slug]), receipt_post(foreign)
    )
    assert response.status_code == 200
    assert "Bitte eine Budgetposition dieses Projekts wählen." in response.content.decode()
    assert not Receipt.objects.exists()
    with pytest.raises(Exception, match="anderen Projekt"):
        ledger.receipt_save(
            actor=office,
            project=project,
            data=ledger.ReceiptInput(
                budget_line=foreign,
                receipt_date=day("2026-03-01"),
                payee="x",
                purpose="y",
                net_amount=D("1"),
                gross_amount=D("1"),
            ),
        )


def test_receipt_outside_the_approval_period_is_booked_with_a_warning(
    client_for, office, ledger_project
):
    project, line = ledger_project
    response = client_for(office).post(
        reverse("projects:receipt_create", args=[project.slug]),
        receipt_post(line, receipt_date="2024-06-01", payment_date="2024-06-10"),
        follow=True,
    )
    html = response.content.decode()
    assert "außerhalb des Bewilligungszeitraums" in html
    assert Receipt.objects.count() == 1


def test_partners_read_the_ledger_but_do_not_book(client_for, partner_soest, ledger_project):
    project, line = ledger_project
    receipt(line, "50.00", day("2026-01-05"), payee="Druckerei Soest")
    client = client_for(partner_soest)
    assert (
        "Druckerei Soest"
        in client.get(reverse("projects:ledger", args=[project.slug])).content.decode()
    )
    response = client.post(
        reverse("projects:receipt_create", args=[project.slug]), receipt_post(line)
    )
    assert response.status_code == 403
    assert Receipt.objects.count() == 1


def test_budget_line_form_refuses_a_decision_of_another_project(ledger_project):
    project, _line = ledger_project
    foreign = FundingDecisionFactory(project=ProjectFactory(slug="anderes"))
    form = BudgetLineForm(
        data={"title": "X", "funding_decision": foreign.pk, "planned_amount": "100"},
        project=project,
    )
    assert not form.is_valid()
    assert "Bitte einen Förderbescheid dieses Projekts wählen." in form.errors["funding_decision"]
    assert "spent_amount" not in form.fields  # derived from receipts, never typed


def test_money_records_keep_their_history(ledger_project):
    _project, line = ledger_project
    decision = line.funding_decision
    decision.granted_amount = D("39000")
    decision.save()
    line.planned_amount = D("31000")
    line.save()
    drawdown = DrawdownFactory(funding_decision=decision)
    drawdown.received_amount = D("9000")
    drawdown.save()
    assert [h.granted_amount for h in decision.history.all()] == [D("39000"), D("40000")]
    assert line.history.count() == 2
    assert drawdown.history.count() == 2


def test_accepting_a_report_does_not_overwrite_the_derived_spent(office, ledger_project):
    project, line = ledger_project
    receipt(line, "700.00", day("2026-01-05"))
    ledger.ledger_refresh(project)
    report = ProgressReportFactory(project=project, spent_to_date=D("99999"))
    services.report_accept(actor=office, report=report)
    project.refresh_from_db()
    assert project.spent_to_date == D("700.00")


def test_deleting_a_budget_line_with_receipts_is_refused_in_german(
    client_for, office, ledger_project
):
    project, line = ledger_project
    receipt(line, "10.00", day("2026-01-05"))
    response = client_for(office).post(
        reverse("projects:budget_line_delete", args=[project.slug, line.pk]), follow=True
    )
    assert "kann nicht gelöscht werden" in response.content.decode()
    assert BudgetLine.objects.filter(pk=line.pk).exists()


# --- The Verwendungsnachweis, every figure by hand ---------------------------------------------


@pytest.fixture
def proof_case(office):
    project = ProjectFactory(slug="nachweis", total_budget=D("100000"))
    decision = FundingDecisionFactory(
        project=project,
        reference="DMR-VN",
        decision_date=day("2024-12-01"),
        period_start=day("2025-01-01"),
        period_end=day("2025-12-31"),
        eligible_costs=D("100000"),
        funding_rate=D("80"),
        granted_amount=D("80000"),
        own_share=D("15000"),
        third_party_share=D("5000"),
    )
    FundingDecisionFactory(project=project, granted_amount=D("1"))  # another decision
    personal = BudgetLineFactory(
        project=project, title="Personal", planned_amount=D("50000"), funding_decision=decision
    )
    sach = BudgetLineFactory(
        project=project, title="Sachmittel", planned_amount=D("30000"), funding_decision=decision
    )
    software = BudgetLineFactory(
        project=project, title="Software", planned_amount=D("20000"), funding_decision=decision
    )
    BudgetLineFactory(project=project, title="Andere Förderung", planned_amount=D("9"))
    receipt(personal, "20000.00", day("2025-03-31"), number="P-1")
    receipt(personal, "25000.00", day("2025-09-30"), number="P-2")
    receipt(personal, "7000.00", day("2026-01-10"), number="P-3")  # after the period
    receipt(personal, "3000.00", day("2024-12-20"), number="P-0")  # before the period
    receipt(sach, "33000.00", day("2025-06-15"), net="27731.09", number="S-1")
    receipt(sach, "4000.00", None, number="S-2")  # not paid
    receipt(software, "19000.00", day("2025-12-31"), number="W-1")
    for received, amount in (
        ("2025-04-01", "30000"),
        ("2025-10-01", "40000"),
        ("2026-02-01", "10000"),
    ):
        DrawdownFactory(
            funding_decision=decision,
            requested_date=day(received) - datetime.timedelta(days=10),
            requested_amount=D(amount),
            received_date=day(received),
            received_amount=D(amount),
        )
    for reporting_date, achieved in (
        ("2025-06-30", "Plattform ausgeschrieben."),
        ("2026-03-31", "Später."),
    ):
        services.report_accept(
            actor=office,
            report=ProgressReportFactory(
                project=project, reporting_date=day(reporting_date), achieved=achieved
            ),
        )
    ProgressReportFactory(
        project=project, reporting_date=day("2025-09-30"), achieved="Entwurf.", status="draft"
    )
    return decision


def test_verwendungsnachweis_figures_computed_by_hand(proof_case):
    proof = proofs.proof_of_use(
        proof_case, kind=proofs.FINAL, date_from=day("2025-01-01"), date_to=day("2025-12-31")
    )
    by_title = {p.line.title: p for p in proof.lines}
    assert list(by_title) == ["Personal", "Sachmittel", "Software"]
    # Expenditure laut Bescheid / laut Abrechnung (receipts paid in the period, gross)
    assert (by_title["Personal"].planned, by_title["Personal"].actual) == (D("50000"), D("45000"))
    assert (by_title["Sachmittel"].planned, by_title["Sachmittel"].actual) == (
        D("30000"),
        D("33000"),
    )
    assert (by_title["Software"].planned, by_title["Software"].actual) == (D("20000"), D("19000"))
    assert proof.planned_total == D("100000")
    assert proof.actual_total == D("97000")
    # Sachmittel: 3.000 over, 20 % of 30.000 = 6.000 allowed; savings 5.000 + 1.000 cover it
    assert by_title["Sachmittel"].overrun == D("3000")
    assert by_title["Sachmittel"].allowed_overrun == D("6000.00")
    assert by_title["Sachmittel"].status == "tolerated"
    assert (proof.savings, proof.overruns) == (D("6000"), D("3000"))
    assert proof.deviation_ok
    assert proof.problems == []
    # Income: grant received in the period 30.000 + 40.000; third parties as granted;
    # own share the rest: 97.000 − 70.000 − 5.000 = 22.000
    assert proof.income_planned == {
        "own_share": D("15000"),
        "third_party": D("5000"),
        "grant": D("80000"),
    }
    assert proof.income_actual == {
        "own_share": D("22000"),
        "third_party": D("5000"),
        "grant": D("70000"),
    }
    assert proof.income_planned_total == D("100000")
    assert proof.income_actual_total == D("97000")
    assert [r.number for r in proof.receipts] == ["P-1", "S-1", "P-2", "W-1"]
    # Sachbericht: the accepted reports of the period only
    assert "Plattform ausgeschrieben." in proof.narrative
    assert "Später." not in proof.narrative
    assert "Entwurf." not in proof.narrative


def test_verwendungsnachweis_one_click_pdf_and_xlsx_read_back(
    client_for, office, proof_case, django_capture_on_commit_callbacks
):
    client = client_for(office)
    page = client.get(
        reverse("projects:funding_detail", args=[proof_case.project.slug, proof_case.pk])
    ).content.decode()
    assert "Verwendungsnachweis erstellen" in page
    assert "Zwischennachweis erstellen" in page
    assert 'name="date_from" value="2025-01-01"' in page
    assert 'name="date_to" value="2025-12-31"' in page
    url = reverse("projects:proof_of_use", args=[proof_case.project.slug, proof_case.pk, "final"])
    period = {"date_from": "2025-01-01", "date_to": "2025-12-31"}
    pdf = download_export(
        client, url, {**period, "output": "pdf"}, django_capture_on_commit_callbacks
    )
    content = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for expected in (
        "Verwendungsnachweis",
        "I. Sachbericht",
        "Plattform ausgeschrieben.",
        "II. Zahlenmäßiger Nachweis",
        "97.000,00 €",
        "22.000,00 €",
        "70.000,00 €",
        "Überschreitung im zulässigen Rahmen",
        "III. Belegliste",
        "S-1",
    ):
        assert expected in text, expected
    assert "P-3" not in text
    assert reader.metadata.title.startswith("Verwendungsnachweis")

    xlsx = download_export(
        client,
        url,
        {**period, "output": "xlsx", "narrative": "Selbst formuliert."},
        django_capture_on_commit_callbacks,
    )
    content = b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Zahlenmäßiger Nachweis"]
    rows = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert rows["Zuwendung"][:2] == (80000, 70000)
    assert rows["Eigenmittel"][:2] == (15000, 22000)
    assert rows["Summe Ausgaben"][:2] == (100000, 97000)
    assert rows["Sachmittel"][:4] == (30000, 33000, 3000, "Überschreitung im Rahmen (20 %)")
    assert rows["Abweichungsregel"][0] == "eingehalten"
    belege = list(workbook["Belegliste"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in belege] == ["P-1", "S-1", "P-2", "W-1"]
    assert workbook["Sachbericht"]["A2"].value == "Selbst formuliert."
    assert ExportJob.objects.filter(kind="proof_of_use").count() == 2


def test_proofs_are_the_offices(client_for, partner_soest, proof_case):
    url = reverse("projects:proof_of_use", args=[proof_case.project.slug, proof_case.pk, "final"])
    response = client_for(partner_soest).post(
        url, {"date_from": "2025-01-01", "date_to": "2025-12-31", "output": "pdf"}
    )
    assert response.status_code == 403
    assert not ExportJob.objects.exists()


def test_proof_form_is_prefilled_with_period_and_draft(client_for, office, proof_case):
    url = reverse("projects:proof_of_use", args=[proof_case.project.slug, proof_case.pk, "final"])
    form = client_for(office).get(url).context["form"]
    assert form.initial["date_from"] == day("2025-01-01")
    assert form.initial["date_to"] == day("2025-12-31")
    assert "Plattform ausgeschrieben." in form.initial["narrative"]


# --- The deviation rule (ANBest Nr. 1.2) on both sides -------------------------------------------


def two_lines(actual_x, actual_y, *, percent="20"):
    project = ProjectFactory()
    decision = FundingDecisionFactory(
        project=project,
        period_start=day("2025-01-01"),
        period_end=day("2025-12-31"),
        deviation_percent=D(percent),
    )
    x = BudgetLineFactory(
        project=project, title="X", planned_amount=D("10000"), funding_decision=decision
    )
    y = BudgetLineFactory(
        project=project, title="Y", planned_amount=D("10000"), funding_decision=decision
    )
    receipt(x, actual_x, day("2025-05-05"))
    receipt(y, actual_y, day("2025-05-05"))
    return proofs.proof_of_use(
        decision, kind=proofs.FINAL, date_from=day("2025-01-01"), date_to=day("2025-12-31")
    )


def test_overrun_of_exactly_twenty_percent_covered_by_savings_is_kept():
    proof = two_lines("12000.00", "7000.00")
    assert proof.lines[0].status == "tolerated"
    assert proof.deviation_ok


def test_overrun_above_twenty_percent_is_shown():
    proof = two_lines("12000.01", "7000.00")
    assert proof.lines[0].status == "exceeded"
    (problem,) = proof.problems
    assert "„X“ ist um 2.000,01 € überschritten" in problem
    assert "20 % des Ansatzes, also 2.000,00 €" in problem


def test_overrun_within_twenty_percent_but_not_covered_by_savings_is_shown():
    proof = two_lines("11000.00", "10000.00")
    assert proof.lines[0].status == "tolerated"
    (problem,) = proof.problems
    assert "nicht durch Einsparungen" in problem


def test_deviation_percent_is_a_setting_of_the_decision():
    proof = two_lines("11500.00", "7000.00", percent="10")
    assert proof.lines[0].status == "exceeded"
    assert "10 % des Ansatzes, also 1.000,00 €" in proof.problems[0]


# --- Periods and due dates ------------------------------------------------------------------


def test_due_dates_interim_yearly_and_final_six_months_after(db):
    decision = FundingDecision(
        period_start=day("2025-03-01"),
        period_end=day("2027-06-30"),
        interim_proof_months=12,
        final_proof_months=6,
    )
    assert proofs.interim_periods(decision) == [
        (day("2025-03-01"), day("2026-02-28")),
        (day("2026-03-01"), day("2027-02-28")),
        (day("2027-03-01"), day("2027-06-30")),
    ]
    assert [(d.kind, d.due) for d in proofs.due_dates(decision)] == [
        ("interim", day("2026-02-28")),
        ("interim", day("2027-02-28")),
        ("final", day("2027-12-31")),
    ]
    assert proofs.default_period(decision, proofs.INTERIM, today=day("2026-05-01")) == (
        day("2026-03-01"),
        day("2027-02-28"),
    )


def test_window_check_agrees_with_every_due_date():
    """The dashboard's quick check (`_has_due_within`, which walks the intervals only up to
    the window) says yes exactly for the decisions one of whose `due_dates` lies in it, and
    the dues walked up to the window's end (`_dues_until`) are exactly those in it:
    intervals from one month to none given, month ends, periods shorter than an interval,
    windows before, inside and after the period."""
    import random

    rng = random.Random(20)
    checked = found = 0
    for _ in range(3000):
        start = day("2024-01-01") + datetime.timedelta(days=rng.randrange(0, 900))
        decision = FundingDecision(
            period_start=start,
            period_end=start + datetime.timedelta(days=rng.randrange(0, 1200)),
            interim_proof_months=rng.choice([0, 1, 3, 6, 12, 24]),
            final_proof_months=rng.choice([0, 1, 3, 6, 12]),
        )
        first = day("2024-01-01") + datetime.timedelta(days=rng.randrange(0, 2400))
        last = first + datetime.timedelta(days=rng.choice([0, 1, 30, 90]))
        expected = any(first <= d.due <= last for d in proofs.due_dates(decision))
        dates = (
            decision.period_start,
            decision.period_end,
            decision.interim_proof_months,
            decision.final_proof_months,
        )
        assert proofs._has_due_within(first, last, *dates) is expected, (dates, first, last)
        in_window = [(d.kind, d.due) for d in proofs.due_dates(decision) if first <= d.due <= last]
        walked = [(d.kind, d.due) for d in proofs._dues_until(decision, last) if d.due >= first]
        assert walked == in_window, (dates, first, last)
        checked += 1
        found += expected
    assert checked == 3000
    assert 100 < found < 2900  # both answers were asked often


def test_proof_due_dates_on_the_dashboard_and_reminded_once(client_for, office, steering):
    from projects.models import Notification
    from projects.notifications import reminders_run

    today = datetime.date.today()
    decision = FundingDecisionFactory(
        project=ProjectFactory(title="Nachweisprojekt"),
        period_start=today - datetime.timedelta(days=400),
        period_end=today - datetime.timedelta(days=170),
        final_proof_months=6,
    )
    (due,) = [d for d in proofs.due_dates(decision) if d.kind == proofs.FINAL]
    assert today < due.due <= today + datetime.timedelta(days=30)
    html = client_for(steering).get("/").content.decode()
    assert "Nachweise der nächsten 60 Tage" in html
    assert "Verwendungsnachweis</a>: Nachweisprojekt" in html
    assert reminders_run(today=today) >= 1
    reminder = Notification.objects.get(kind="reminder_proof", recipient=office)
    assert "Verwendungsnachweis" in reminder.subject
    assert f"/foerderung/{decision.pk}/" in reminder.body
    reminders_run(today=today)
    assert Notification.objects.filter(kind="reminder_proof").count() == 1


def test_report_form_proposes_the_spent_figure_of_the_receipts(client_for, office, ledger_project):
    project, line = ledger_project
    receipt(line, "1234.50", day("2026-01-05"))
    ledger.ledger_refresh(project)
    form = (
        client_for(office)
        .get(reverse("projects:report_create", args=[project.slug]))
        .context["form"]
    )
    assert form.initial["spent_to_date"] == D("1234.50")


def test_funder_report_for_all_projects_of_a_decision_or_programme(
    client_for, office, django_capture_on_commit_callbacks
):
    first = FundingDecisionFactory(
        project=ProjectFactory(slug="eins"), programme="Gigabit NRW", reference="G-1"
    )
    second = FundingDecisionFactory(project=ProjectFactory(slug="zwei"), programme="Gigabit NRW")
    FundingDecisionFactory(project=ProjectFactory(slug="drei"), programme="Anderes")
    client = client_for(office)
    url = reverse("projects:funder_report")
    page = client.get(url, {"bescheid": first.pk})
    assert page.context["form"].initial["decision"] == str(first.pk)
    assert "alle Projekte dieses Förderprogramms" in page.content.decode()
    period = {"date_from": "2025-01-01", "date_to": "2025-12-31", "output": "pdf"}
    with django_capture_on_commit_callbacks():
        client.post(url, {**period, "programme": "Gigabit NRW"})
        client.post(url, {**period, "decision": first.pk})
    by_programme, by_decision = ExportJob.objects.order_by("pk")
    assert by_programme.params["projects"] == sorted([first.project_id, second.project_id])
    assert by_decision.params["projects"] == [first.project_id]
