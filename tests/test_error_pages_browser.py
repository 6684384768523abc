"""The German error pages in a real browser with DEBUG off (layout, one h1, axe-core clean),
and the other new pages of the office: retention overview, merge with a choice per field."""

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import assert_no_axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("soest_office.tests.error_urls"),
]


@pytest.fixture
def error_page(context):
    """A page that fails on console errors other than the error status of the page itself
    (Chromium reports "Failed to load resource: … 404" for the document, rightly here)."""
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = []
    page.on(
        "console",
        lambda msg: (
            problems.append(msg.text)
            if msg.type == "error" and "Failed to load resource" not in msg.text
            else None
        ),
    )
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    yield page
    assert problems == [], f"Konsolenfehler im Browser: {problems}"


def _login(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def _check(page, status, heading):
    assert page.locator("h1").count() == 1
    assert heading in page.locator("h1").inner_text()
    assert page.locator("html").get_attribute("lang") == "de"
    assert_no_axe_violations(page, f"Fehlerseite {status}")


def test_error_pages_pass_axe_for_the_public(error_page, live_server):
    page = error_page
    response = page.goto(f"{live_server.url}/gibt-es-nicht/")
    assert response.status == 404
    _check(page, 404, "Diese Seite gibt es nicht")

    response = page.goto(f"{live_server.url}/test-fehler/400/")
    assert response.status == 400
    _check(page, 400, "nicht verstehen")

    response = page.goto(f"{live_server.url}/test-fehler/500/")
    assert response.status == 500
    _check(page, 500, "schiefgegangen")
    assert page.get_by_text("Referenz").is_visible()


def test_error_pages_pass_axe_for_a_logged_in_user(error_page, live_server, steering):
    page = error_page
    _login(page, live_server, steering)

    response = page.goto(f"{live_server.url}/kontakte/")
    assert response.status == 403
    _check(page, 403, "Berechtigung")
    assert page.get_by_role("navigation", name="Hauptnavigation").is_visible()


def test_csrf_failure_page_passes_axe(error_page, live_server, office):
    page = error_page
    page.goto(f"{live_server.url}/barrierefreiheit/rueckmeldung/")
    page.context.clear_cookies()
    page.get_by_role("button", name="Rückmeldung senden").click()
    page.wait_for_load_state("load")

    _check(page, "403 CSRF", "Formular ist abgelaufen")


def test_retention_overview_passes_axe(error_page, live_server, office):
    page = error_page
    _login(page, live_server, office)

    response = page.goto(f"{live_server.url}/protokoll/aufbewahrung/")

    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert page.get_by_role("rowheader", name="IP-Adressen im Sicherheitsprotokoll").is_visible()
    assert_no_axe_violations(page, "Aufbewahrung")


def test_merge_page_with_choices_passes_axe_and_merges(error_page, live_server, office):
    from stakeholders.models import Contact
    from stakeholders.tests.factories import ContactFactory

    keep = ContactFactory(last_name="Größe", email="g@example.org", phone="02921 1")
    merge = ContactFactory(last_name="Groesse", email="g2@example.org", phone="02921 2")
    page = error_page
    _login(page, live_server, office)

    page.goto(f"{live_server.url}/kontakte/dubletten/zusammenfuehren/{keep.pk}/{merge.pk}/")
    assert page.locator("h1").count() == 1
    assert_no_axe_violations(page, "Zusammenführen")
    page.get_by_role("group", name="Telefon").get_by_label("02921 2").check()
    page.get_by_role("button", name="Zusammenführen").click()
    page.wait_for_load_state("load")

    assert not Contact.objects.filter(pk=merge.pk).exists()
    keep.refresh_from_db()
    assert keep.phone == "02921 2"
    assert "Telefon: 02921 1" in keep.notes
