"""Exports read back with real readers: csv, openpyxl, pypdf, icalendar, json."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook
from pypdf import PdfReader

from projects import services
from projects.models import ProjectUserSettings
from soest_office.models import AuditEvent, ExportJob
from soest_office.tests.export_helpers import download_export
from soest_office.tests.factories import municipality
from soest_office.tests.test_pdf import assert_tagged_pdf

from .factories import (
    DrawdownFactory,
    FundingDecisionFactory,
    MilestoneFactory,
    ProgressReportFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(office, partner_soest):
    stadtmodell = ProjectFactory(
        title="3D-Stadtmodell Soest",
        slug="3d-stadtmodell",
        total_budget=Decimal("1234567.89"),
        participants=["lippstadt"],
    )
    decision = FundingDecisionFactory(
        project=stadtmodell,
        eligible_costs=Decimal("100000"),
        funding_rate=Decimal("90"),
        granted_amount=Decimal("90000"),
        own_share=Decimal("10000"),
        decision_date=datetime.date(2025, 12, 1),
        period_start=datetime.date(2026, 1, 1),
    )
    DrawdownFactory(
        funding_decision=decision,
        requested_date=datetime.date(2026, 3, 1),
        received_date=datetime.date(2026, 3, 15),
        requested_amount=Decimal("30000.5"),
        received_amount=Decimal("30000.5"),
    )
    report = ProgressReportFactory(
        project=stadtmodell,
        author=partner_soest,
        reporting_date=datetime.date(2026, 3, 31),
        achieved="Befliegung abgeschlossen; Gebäudemodell LoD2 für Ölmühle und Dom übernommen.",
    )
    services.report_accept(actor=office, report=report)
    MilestoneFactory(
        project=stadtmodell, title="Datenplattform online", due_date=datetime.date(2026, 2, 15)
    )
    ProjectFactory(
        title="Digitale Schule Iserlohn", slug="schule", lead_municipality=municipality("iserlohn")
    )
    return stadtmodell


def test_csv_opens_in_german_excel(client_for, office, data):
    response = client_for(office).get(reverse("projects:export_csv") + "?q=Stadtmodell")
    assert response.streaming  # written while it is sent, never built whole in memory
    raw = response.getvalue()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel detects UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1  # the filter of the list applies
    row = rows[0]
    assert row["Titel"] == "3D-Stadtmodell Soest"
    assert row["Budget (€)"] == "1234567,89"
    assert row["Förderung bewilligt (€)"] == "90000,00"
    assert row["abgerufen (€)"] == "30000,50"
    assert row["beteiligte Kommunen"] == "Stadt Lippstadt"
    assert row["letzter Bericht"] == "31.03.2026"
    assert row["Ampel"] == "grün"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_list_export_names_people_and_leaves_one_audit_event(client_for, office, data, fmt):
    """The list carries each project's responsible person: its download is logged."""
    client = client_for(office)
    client.get(reverse(f"projects:export_{fmt}") + "?q=Stadtmodell").getvalue()
    event = AuditEvent.objects.exclude(area="").get()
    assert (event.kind, event.actor, event.area) == ("export", office, "projekte")
    assert (event.target, event.details) == ("q=Stadtmodell", {"format": fmt, "anzahl": 1})


def test_csv_neutralises_formulas(client_for, office, data):
    ProjectFactory(title='=HYPERLINK("http://example.org")', slug="formel")
    raw = client_for(office).get(reverse("projects:export_csv")).getvalue().decode("utf-8-sig")
    titles = [r["Titel"] for r in csv.DictReader(io.StringIO(raw), delimiter=";")]
    assert '\'=HYPERLINK("http://example.org")' in titles


def test_xlsx_has_numbers_and_dates(client_for, office, data):
    response = client_for(office).get(reverse("projects:export_xlsx") + "?sort=title")
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    header = [c.value for c in sheet[1]]
    rows = [
        dict(zip(header, [c.value for c in row], strict=True)) for row in sheet.iter_rows(min_row=2)
    ]
    assert [r["Titel"] for r in rows] == ["3D-Stadtmodell Soest", "Digitale Schule Iserlohn"]
    assert rows[0]["Budget (€)"] == pytest.approx(1234567.89)
    assert rows[0]["letzter Bericht"].date() == datetime.date(2026, 3, 31)
    budget, last_report = header.index("Budget (€)") + 1, header.index("letzter Bericht") + 1
    assert sheet.cell(row=2, column=budget).number_format == '#,##0.00 "€"'
    assert sheet.cell(row=2, column=last_report).number_format == "DD.MM.YYYY"
    assert sheet[1][0].font.bold
    assert sheet.freeze_panes == "A2"


def test_funder_report_pdf_contains_period_and_projects(
    client_for, steering, data, django_capture_on_commit_callbacks
):
    response = download_export(
        client_for(steering),
        reverse("projects:funder_report"),
        {
            "date_from": "2026-01-01",
            "date_to": "2026-06-30",
            "projects": [data.pk],
            "output": "pdf",
        },
        django_capture_on_commit_callbacks,
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="sachstandsbericht-2026-01-01-bis-2026-06-30.pdf"'
    )
    content = response.getvalue()
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Sachstandsbericht Digitale Modellregion Soest" in text
    assert "01.01.2026 bis 30.06.2026" in text
    assert "3D-Stadtmodell Soest" in text
    tags = assert_tagged_pdf(content, title="Sachstandsbericht 01.01.2026 bis 30.06.2026")
    assert ("/H1", None) in tags
    assert "Ölmühle" in text
    assert "Datenplattform online" in text
    assert "Digitale Schule Iserlohn" not in text  # not selected


def test_funder_report_xlsx(client_for, office, data, django_capture_on_commit_callbacks):
    response = download_export(
        client_for(office),
        reverse("projects:funder_report"),
        {
            "date_from": "2026-01-01",
            "date_to": "2026-06-30",
            "projects": [data.pk],
            "output": "xlsx",
        },
        django_capture_on_commit_callbacks,
    )
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    overview = workbook["Übersicht"]
    assert overview["A5"].value == "3D-Stadtmodell Soest"
    assert overview["H5"].value == 90000
    assert "Befliegung" in overview["L5"].value
    assert workbook["Meilensteine"]["B2"].value == "Datenplattform online"


def test_funder_report_form_rejects_bad_period_in_german(client_for, office, data):
    response = client_for(office).post(
        reverse("projects:funder_report"),
        {"date_from": "2026-06-30", "date_to": "2026-01-01", "output": "pdf"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Das Ende des Zeitraums liegt vor seinem Beginn." in html
    assert "Bitte wählen Sie mindestens ein Projekt, einen Förderbescheid oder ein" in html
    assert not ExportJob.objects.exists()


def test_funder_report_get_with_old_query_only_fills_the_form(client_for, office, data):
    """Bookmarks of the former GET form: no report is made over GET, the form is prefilled."""
    response = client_for(office).get(
        reverse("projects:funder_report"),
        {"date_from": "2025-01-01", "date_to": "2025-12-31", "projects": [data.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert not ExportJob.objects.exists()
    form = response.context["form"]
    assert form.initial["date_from"] == "2025-01-01"
    assert form.initial["projects"] == [str(data.pk)]
    assert b'method="post"' in response.content


def test_funder_report_scopes_the_job_projects_again_when_rendering(
    client_for, partner_soest, data, django_capture_on_commit_callbacks
):
    """The project ids of a job are scoped again when it renders (visible, not archived)."""
    from projects.exports import funder_report_render

    hidden = ProjectFactory(title="Vertrauliches Vorhaben", slug="vertraulich")
    hidden.archived_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    hidden.save()
    result = funder_report_render(
        partner_soest,
        {
            "date_from": "2026-01-01",
            "date_to": "2026-06-30",
            "projects": [data.pk, hidden.pk],
            "output": "pdf",
        },
    )
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(result.content)).pages)
    assert "3D-Stadtmodell Soest" in text
    assert "Vertrauliches Vorhaben" not in text


def test_calendar_feed_with_revocable_token(client, client_for, partner_iserlohn, data):
    iserlohn_project = ProjectFactory(
        title="Smarte Parkplätze Iserlohn",
        lead_municipality=partner_iserlohn.municipality,
    )
    MilestoneFactory(
        project=iserlohn_project, title="Sensoren montiert", due_date=datetime.date(2026, 5, 4)
    )
    client_for(partner_iserlohn).post(reverse("projects:calendar_token"), {"action": "renew"})
    token = ProjectUserSettings.objects.get(user=partner_iserlohn).calendar_token
    assert len(token) >= 40
    client.logout()

    response = client.get(reverse("projects:calendar_feed", args=[token]))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    # A partner's calendar holds the milestones of its municipality's projects only.
    assert [str(e["SUMMARY"]) for e in events] == ["Smarte Parkplätze Iserlohn: Sensoren montiert"]
    assert events[0].decoded("DTSTART") == datetime.date(2026, 5, 4)

    client_for(partner_iserlohn).post(reverse("projects:calendar_token"), {"action": "revoke"})
    client.logout()
    assert client.get(reverse("projects:calendar_feed", args=[token])).status_code == 404


def test_renewing_calendar_token_invalidates_old_url(client, client_for, office, data):
    client_for(office).post(reverse("projects:calendar_token"), {"action": "renew"})
    old = ProjectUserSettings.objects.get(user=office).calendar_token
    client_for(office).post(reverse("projects:calendar_token"), {"action": "renew"})
    new = ProjectUserSettings.objects.get(user=office).calendar_token
    client.logout()
    assert client.get(reverse("projects:calendar_feed", args=[old])).status_code == 404
    feed = Calendar.from_ical(client.get(reverse("projects:calendar_feed", args=[new])).content)
    assert len(feed.walk("VEVENT")) == 1


def test_calendar_of_deactivated_user_is_gone(client, office, data):
    settings_row = services.calendar_token_renew(actor=office)
    office.is_active = False
    office.save()
    url = reverse("projects:calendar_feed", args=[settings_row.calendar_token])
    assert client.get(url).status_code == 404


def test_transparency_export_lists_public_projects_only(client, data, settings):
    data.is_public = True
    data.funding_is_public = True
    data.transferability = "Offene Schnittstellen (CityGML), Leitfaden für Kommunen."
    data.save()

    payload = json.loads(client.get(reverse("projects:transparency_json")).content)
    assert payload["schema_version"] == 1
    (project,) = payload["projects"]
    assert project["title"] == "3D-Stadtmodell Soest"
    assert project["lead_municipality"] == "Stadt Soest"
    assert project["participating_municipalities"] == ["Stadt Lippstadt"]
    assert project["funding_granted_eur"] == "90000.00"
    assert project["transferability"].startswith("Offene Schnittstellen")
    assert set(project) == set(payload["fields"])

    raw = client.get(reverse("projects:transparency_csv")).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw), delimiter=";"))
    assert [r["slug"] for r in rows] == ["3d-stadtmodell"]


def test_transparency_export_is_current_and_hides_money_not_released(client, data):
    data.is_public = True
    data.save()

    payload = json.loads(client.get(reverse("projects:transparency_json")).content)

    (project,) = payload["projects"]
    assert project["funding_granted_eur"] is None
    assert project["total_budget_eur"] is None
    assert payload["license"]["url"] == "https://www.govdata.de/dl-de/by-2-0"
    data.title = "3D-Stadtmodell Soest, zweite Stufe"
    data.save()
    payload = json.loads(client.get(reverse("projects:transparency_json")).content)
    assert payload["projects"][0]["title"] == "3D-Stadtmodell Soest, zweite Stufe"
