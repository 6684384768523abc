"""End to end: a partner logs a report, the office accepts it and sees the light change on
the dashboard; axe-core finds nothing on the list, detail, form and dashboard pages."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.conftest import assert_no_axe_violations, login

# serialized_rollback: the flush after a transactional test also removes the municipalities
# and fields of action of the data migrations; the next test gets them back.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo(settings, tmp_path, reference_data):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.DEBUG = False


def attention_entry(page, title):
    return page.locator("#aufmerksamkeit-liste li").filter(has_text=title)


def test_partner_reports_office_accepts_dashboard_changes(page, live_server, demo):
    # The partner of Soest logs a red report for the 3D city model (Soest leads it).
    login(page, live_server, "soest", "modellregion")
    page.goto(f"{live_server.url}/projekte/")
    assert_no_axe_violations(page, "Projektliste")
    page.get_by_role("link", name="3D-Stadtmodell Soest mit Anwendungen für Dritte").click()
    assert_no_axe_violations(page, "Projektseite")
    page.get_by_role("link", name="Bericht erfassen").click()
    assert_no_axe_violations(page, "Berichtsformular")

    page.get_by_label("Stichtag").fill(timezone.localdate().isoformat())
    page.get_by_label("Fortschritt (%)").fill("140")
    page.get_by_label("rot", exact=True).check()
    page.get_by_label("Was wurde erreicht?").fill("Datenplattform im Testbetrieb.")
    page.get_by_label("bisher ausgegeben (€)").fill("950.000,00")
    page.get_by_role("button", name="Einreichen").click()
    # Bad input: German messages, nothing lost, still accessible.
    assert page.get_by_text("Der Fortschritt muss zwischen 0 und 100 % liegen.").is_visible()
    assert page.get_by_text(
        "Bitte begründen Sie, warum die Ampel nicht auf grün steht."
    ).is_visible()
    assert (
        page.get_by_label("Was wurde erreicht?").input_value() == "Datenplattform im Testbetrieb."
    )
    assert_no_axe_violations(page, "Berichtsformular mit Fehlern")
    page.get_by_label("Fortschritt (%)").fill("70")
    page.get_by_label("Begründung der Ampel").fill("Der Dienstleister hat Insolvenz angemeldet.")
    page.get_by_role("button", name="Einreichen").click()
    assert page.get_by_text("Der Bericht wurde eingereicht").is_visible()

    # The office sees the project still yellow, accepts the report, and it turns red.
    page.context.clear_cookies()
    login(page, live_server, "buero", "modellregion")
    title = "3D-Stadtmodell Soest"
    assert "gelb" in attention_entry(page, title).inner_text()
    assert_no_axe_violations(page, "Startseite mit Projekt-Dashboard")
    page.goto(f"{live_server.url}/projekte/3d-stadtmodell/")
    page.get_by_role("link", name=f"Bericht zum {timezone.localdate():%d.%m.%Y}").click()
    assert_no_axe_violations(page, "Bericht prüfen")
    page.get_by_role("button", name="Annehmen").click()
    assert page.get_by_text("Der Bericht ist angenommen").is_visible()
    assert "rot" in page.locator("#projekt-ampel").inner_text()
    assert page.get_by_text("Was hat sich seit dem vorigen Bericht geändert?").first.is_visible()

    page.goto(f"{live_server.url}/")
    entry = attention_entry(page, title).inner_text()
    assert "rot" in entry
    assert "gelb" not in entry


def test_office_forms_pass_axe(page, live_server, demo):
    login(page, live_server, "buero", "modellregion")
    for path, name in [
        ("/projekte/neu/", "Projekt anlegen"),
        ("/projekte/3d-stadtmodell/bearbeiten/", "Projekt bearbeiten"),
        ("/projekte/3d-stadtmodell/foerderung/neu/", "Förderbescheid"),
        ("/projekte/3d-stadtmodell/dokumente/neu/", "Dokument hochladen"),
        ("/projekte/sachstandsbericht/", "Sachstandsbericht"),
        ("/projekte/einstellungen/", "Einstellungen"),
        ("/projekte/?status=in_progress&sort=-light", "gefilterte Liste"),
    ]:
        page.goto(f"{live_server.url}{path}")
        assert page.get_by_role("heading", level=1).count() == 1
        assert_no_axe_violations(page, name)
