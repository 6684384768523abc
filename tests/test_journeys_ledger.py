"""The office's money journey through a real browser (Debian's Chromium): book receipts, create
the Verwendungsnachweis of the funding decision in one click, download it and read it back.
Each page on the way passes axe-core."""

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from projects.models import Receipt
from projects.tests.factories import BudgetLineFactory, FundingDecisionFactory, ProjectFactory
from soest_office.access import Role
from soest_office.tests.factories import TEST_PASSWORD, UserFactory
from tests.conftest import assert_no_axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_journey_office_books_receipts_and_downloads_the_verwendungsnachweis(
    page, live_server, tmp_path
):
    UserFactory(username="buero", role=Role.OFFICE)
    today = timezone.localdate()
    project = ProjectFactory(
        title="Digitales Rathaus Soest", slug="rathaus", total_budget=Decimal("100000")
    )
    decision = FundingDecisionFactory(
        project=project,
        funder="Land NRW",
        decision_date=today - datetime.timedelta(days=300),
        period_start=today - datetime.timedelta(days=300),
        period_end=today + datetime.timedelta(days=60),
    )
    BudgetLineFactory(
        project=project,
        title="Software",
        planned_amount=Decimal("30000"),
        funding_decision=decision,
    )
    scan = tmp_path / "rechnung.pdf"
    scan.write_bytes(b"%PDF-1.4\n%Rechnung\n")
    paid = (today - datetime.timedelta(days=20)).isoformat()

    login(page, live_server, "buero", TEST_PASSWORD)
    for number, payee, net, gross in (
        ("R-101", "Fachverfahren GmbH", "10.000,00", "11.900,00"),
        ("R-102", "Hosting Hellweg eG", "5.000,00", "5.950,00"),
    ):
        page.goto(f"{live_server.url}/projekte/{project.slug}/")
        page.get_by_role("link", name="Beleg erfassen").click()
        page.get_by_label("Budgetposition").select_option(label="Software")
        page.get_by_label("Belegnummer").fill(number)
        page.get_by_label("Belegdatum").fill(paid)
        page.get_by_label("Empfänger").fill(payee)
        page.get_by_label("Zweck").fill("Lizenz und Betrieb")
        page.get_by_label("netto (€)").fill(net)
        page.get_by_label("brutto (€)").fill(gross)
        page.get_by_label("bezahlt am").fill(paid)
        page.get_by_label("Scan des Belegs").set_input_files(str(scan))
        page.get_by_role("button", name="Speichern").click()
        page.get_by_text("Der Beleg ist gebucht.").wait_for()
    assert Receipt.objects.filter(project=project).count() == 2
    assert page.get_by_text("17.850,00 €").count() >= 1  # spent on the line, from receipts
    assert_no_axe_violations(page, "Belege")

    page.goto(f"{live_server.url}/projekte/{project.slug}/")
    page.get_by_role("link", name="Land NRW", exact=True).click()
    assert_no_axe_violations(page, "Förderbescheid")
    page.get_by_role("button", name="Verwendungsnachweis erstellen").click()
    link = page.get_by_role("link", name="Datei herunterladen")
    link.wait_for(timeout=30_000)
    assert_no_axe_violations(page, "Verwendungsnachweis fertig")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.startswith("verwendungsnachweis-rathaus-")
    reader = PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Verwendungsnachweis" in text
    assert "Fachverfahren GmbH" in text
    assert "Hosting Hellweg eG" in text
    assert "17.850,00 €" in text
