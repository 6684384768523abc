import pytest
from django.core.management import call_command

from tests.conftest import assert_no_axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_accounts(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.DEBUG = False


def test_office_logs_in_through_the_form_and_pages_pass_axe(page, live_server, demo_accounts):
    page.goto(f"{live_server.url}/")
    assert "/konto/anmelden/?next=/" in page.url
    assert_no_axe_violations(page, "Anmeldeseite")

    login(page, live_server, "buero", "modellregion")

    assert page.url == f"{live_server.url}/"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Guten Tag")
    assert page.get_by_text("Projektbüro").first.is_visible()
    assert_no_axe_violations(page, "Startseite")


def test_wrong_password_shows_german_error_and_passes_axe(page, live_server, demo_accounts):
    login(page, live_server, "buero", "falsch")
    assert page.get_by_text("Benutzername oder Passwort ist falsch").is_visible()
    assert_no_axe_violations(page, "Anmeldeseite mit Fehler")


def test_skip_link_is_the_first_tab_stop_and_visible(page, live_server):
    page.goto(f"{live_server.url}/konto/anmelden/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Zum Inhalt springen"
    box = page.locator(".skip-link").bounding_box()
    assert box["x"] >= 0
    assert box["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhalt"
