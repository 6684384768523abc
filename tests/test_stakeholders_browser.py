"""Browser tests: the import with a broken row, and axe-core on the main pages."""

import pytest

from soest_office.access import Role
from soest_office.models import Municipality
from soest_office.tests.factories import TEST_PASSWORD, UserFactory
from stakeholders.models import Contact
from stakeholders.tests.factories import (
    ContactFactory,
    InteractionFactory,
    LegalBasisFactory,
    OrganisationFactory,
)
from tests.conftest import assert_no_axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "Vorname;Nachname;E-Mail;Organisation;Kommune\n"


@pytest.fixture
def office_login(page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Transactional tests flush the data migration's rows; bring back what we need.
    Municipality.objects.get_or_create(slug="soest", defaults={"name": "Soest"})
    UserFactory(username="buero-browser", role=Role.OFFICE)
    login(page, live_server, "buero-browser", TEST_PASSWORD)
    return page


def test_import_with_a_broken_row_then_fixed(office_login, live_server, tmp_path):
    page = office_login
    broken = tmp_path / "kontakte.csv"
    broken.write_bytes(
        (
            HEADER
            + "Anna;Arndt;anna@example.org;Stadtwerke Soest;Soest\n"
            + "Bernd;Berg;bernd(at)example.org;Bäckerei Größ;Soest\n"
        ).encode("cp1252")
    )
    page.goto(f"{live_server.url}/kontakte/import/")
    assert_no_axe_violations(page, "Import: Hochladen")
    page.get_by_label("Datei (CSV oder XLSX)").set_input_files(str(broken))
    page.get_by_role("button", name="Hochladen").click()

    page.wait_for_url("**/zuordnung/")
    assert_no_axe_violations(page, "Import: Zuordnung")
    page.get_by_role("button", name="Weiter zur Vorschau").click()

    page.wait_for_url("**/vorschau/")
    errors = page.locator("#import-fehler")
    assert "Zeile 3: E-Mail-Adresse »bernd(at)example.org« ist ungültig." in errors.inner_text()
    assert page.get_by_role("button", name="jetzt importieren").count() == 0
    assert_no_axe_violations(page, "Import: Vorschau mit Fehler")

    # Fix the broken row right in the browser.
    page.get_by_label("E-Mail (Zeile 3)").fill("bernd@example.org")
    page.get_by_role("button", name="Zeile 3 übernehmen").click()
    page.wait_for_url("**/vorschau/")
    assert page.locator("#import-fehler").count() == 0
    page.get_by_role("button", name="2 Zeilen jetzt importieren").click()

    assert page.get_by_text("Import abgeschlossen: 2 neu angelegt").is_visible()
    assert_no_axe_violations(page, "Import: Ergebnis")
    assert set(Contact.objects.values_list("last_name", flat=True)) == {"Arndt", "Berg"}
    assert Contact.objects.get(last_name="Berg").email == "bernd@example.org"


def test_list_detail_and_form_pages_pass_axe(office_login, live_server):
    page = office_login
    org = OrganisationFactory(name="Fachhochschule Südwestfalen")
    contact = ContactFactory(first_name="Claudia", last_name="Hüsken", organisation=org)
    LegalBasisFactory(contact=contact)
    InteractionFactory(contact=contact, summary="Gespräch über das Reallabor")

    page.goto(f"{live_server.url}/kontakte/")
    assert page.get_by_role("link", name="Hüsken, Claudia").is_visible()
    assert_no_axe_violations(page, "Kontaktliste")
    page.get_by_label("Alle Kontakte dieser Seite auswählen").check()
    assert page.get_by_label("Claudia Hüsken auswählen").is_checked()

    page.get_by_role("link", name="Hüsken, Claudia").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Claudia Hüsken"
    assert page.get_by_text("Gespräch über das Reallabor").is_visible()
    assert_no_axe_violations(page, "Kontaktseite")

    page.get_by_role("link", name="Bearbeiten").click()
    assert_no_axe_violations(page, "Kontakt bearbeiten")

    page.goto(f"{live_server.url}/kontakte/neu/")
    page.get_by_label("Nachname").fill("Test")
    page.get_by_label("E-Mail-Adresse", exact=True).fill("kaputt@")
    page.get_by_role("button", name="Speichern").click()
    assert page.get_by_text("gültige E-Mail-Adresse").first.is_visible()
    assert_no_axe_violations(page, "Kontaktformular mit Fehlern")

    page.goto(f"{live_server.url}/kontakte/organisationen/")
    assert_no_axe_violations(page, "Organisationen")
