"""German error pages in the site's layout, with DEBUG off (as in production)."""

import logging
import re

import pytest
from django.conf import settings
from django.test import Client, RequestFactory

from soest_office import errors
from soest_office.middleware import RequestIdFilter

pytestmark = pytest.mark.urls("soest_office.tests.error_urls")


@pytest.fixture(autouse=True)
def _production_like(settings):
    settings.DEBUG = False


def _page(response) -> str:
    return response.content.decode()


def _assert_german_page(html: str, title: str):
    assert '<html lang="de">' in html
    assert f"<title>{title} –" in html
    assert html.count("<h1") == 1
    assert '<main id="inhalt"' in html
    assert "Zur Startseite" in html
    assert settings.OFFICE_EMAIL in html
    assert "59494 Soest" in html


@pytest.mark.django_db
def test_unknown_address_gives_the_german_404_without_internal_navigation_for_the_public(client):
    response = client.get("/gibt-es-nicht/")

    assert response.status_code == 404
    html = _page(response)
    _assert_german_page(html, "Seite nicht gefunden")
    assert "Diese Seite gibt es nicht" in html
    assert "Zur Anmeldung" in html
    assert 'href="/projekte/"' not in html
    assert "Not Found" not in html


@pytest.mark.django_db
def test_404_shows_the_navigation_the_logged_in_user_may_see(client_for, partner_soest):
    response = client_for(partner_soest).get("/projekte/gibt-es-nicht/")

    assert response.status_code == 404
    html = _page(response)
    assert 'href="/projekte/"' in html
    assert "Zur Anmeldung" not in html


@pytest.mark.django_db
def test_steering_member_opening_contacts_gets_the_german_403(client_for, steering):
    response = client_for(steering).get("/kontakte/")

    assert response.status_code == 403
    html = _page(response)
    _assert_german_page(html, "Keine Berechtigung")
    assert "Dafür fehlt Ihnen die Berechtigung" in html
    assert "Forbidden" not in html
    # The steering group's own navigation, not the office's.
    assert 'href="/projekte/"' in html
    assert "Sicherheitsprotokoll" not in html


@pytest.mark.django_db
def test_bad_request_gives_the_german_400(client):
    client.raise_request_exception = False
    response = client.get("/test-fehler/400/")

    assert response.status_code == 400
    _assert_german_page(_page(response), "Fehlerhafte Anfrage")


@pytest.mark.django_db
def test_csrf_failure_gives_the_german_page_and_changes_nothing(office):
    client = Client(enforce_csrf_checks=True)
    client.force_login(office)

    response = client.post("/konto/passwort/", {"old_password": "x"})

    assert response.status_code == 403
    html = _page(response)
    _assert_german_page(html, "Formular abgelaufen")
    assert "Ihre Eingaben wurden nicht gespeichert" in html
    assert "CSRF verification failed" not in html


@pytest.mark.django_db
def test_server_error_page_shows_the_reference_the_log_records(client):
    records = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Collect()
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    client.raise_request_exception = False
    try:
        response = client.get("/test-fehler/500/")
    finally:
        logger.removeHandler(handler)

    assert response.status_code == 500
    html = _page(response)
    _assert_german_page(html, "Technischer Fehler")
    reference = re.search(r"Referenz: <strong>([0-9a-f]{12})</strong>", html).group(1)
    assert response["X-Request-ID"] == reference
    errors_logged = [r for r in records if r.levelno >= logging.ERROR]
    assert errors_logged, "the error is logged"
    assert {r.request_id for r in errors_logged} == {reference}
    assert errors_logged[0].exc_info[0] is RuntimeError


def test_server_error_page_needs_no_database():
    # No django_db mark: any query here fails the test.
    request = RequestFactory().get("/irgendwo/")

    response = errors.server_error(request)

    assert response.status_code == 500
    html = _page(response)
    assert '<html lang="de">' in html
    assert "Hier ist etwas schiefgegangen" in html


def test_log_format_carries_the_request_reference():
    console = settings.LOGGING["handlers"]["console"]
    assert "request_id" in console["filters"]
    assert "%(request_id)s" in settings.LOGGING["formatters"][console["formatter"]]["format"]
