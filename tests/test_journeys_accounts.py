"""Browser journey of the accounts and the inbox: the office invites a Lippstadt colleague
(over a real SMTP sink), who accepts, sets a password, logs in and finds the returned report
of Lippstadt in the inbox. axe-core on every new page on the way."""

import re

import pytest
from django.urls import reverse

from projects.models import ProgressReport
from projects.services.reports import report_return
from projects.tests.factories import ProgressReportFactory, ProjectFactory
from soest_office.tests.factories import TEST_PASSWORD, municipality
from subscriptions.tests.smtp_sink import SmtpSink
from tests.conftest import assert_no_axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Lippe-Aue-2026-sonnig"


@pytest.fixture
def sink(settings):
    with SmtpSink() as server:
        server.configure(settings)
        yield server


def test_office_invites_a_lippstadt_colleague_who_finds_the_returned_report(
    page, live_server, sink, office, partner_lippstadt
):
    project = ProjectFactory(
        title="Smarte Parkraumsteuerung Lippstadt",
        slug="parkraum-lippstadt",
        lead_municipality=municipality("lippstadt"),
    )
    report = ProgressReportFactory(
        project=project, author=partner_lippstadt, status=ProgressReport.Status.SUBMITTED
    )
    report_return(actor=office, report=report, comment="Bitte die Ausgaben belegen.")

    login(page, live_server, office.username, TEST_PASSWORD)
    page.get_by_role("link", name="Konten verwalten").click()
    assert_no_axe_violations(page, "Konten verwalten")
    page.get_by_role("link", name="Person einladen").click()
    assert_no_axe_violations(page, "Person einladen")
    # Sent empty: the form explains what is missing, accessibly.
    page.get_by_role("button", name="Einladung senden").click()
    assert_no_axe_violations(page, "Person einladen mit Fehlern")
    page.get_by_label("Vorname").fill("Lena")
    page.get_by_label("Nachname").fill("Lührmann")
    page.get_by_label("E-Mail-Adresse").fill("lena.luehrmann@lippstadt.example")
    page.get_by_label("Rolle").select_option("Kommune")
    page.get_by_label("Kommune", exact=True).select_option(label="Stadt Lippstadt")
    page.get_by_role("button", name="Einladung senden").click()
    # The username is proposed from the name; the office checks it and sends.
    assert page.get_by_label("Benutzername").input_value() == "lena.luehrmann"
    page.get_by_role("button", name="Einladung senden").click()
    page.wait_for_url(f"**{reverse('soest_office:account_list')}")
    assert "lena.luehrmann@lippstadt.example" in page.content()
    page.get_by_role("link", name=str(partner_lippstadt)).click()
    assert_no_axe_violations(page, "Konto")

    ((rcpts, message),) = sink.wait_for(1)
    assert rcpts == ["lena.luehrmann@lippstadt.example"]
    text = SmtpSink.text(message)
    assert "Benutzername: lena.luehrmann" in text
    link = re.search(r"https?://\S+/konto/einladung/\S+/", text).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    page.context.clear_cookies()
    page.goto(f"{live_server.url}{path}")
    assert_no_axe_violations(page, "Einladung annehmen")
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Passwort festlegen und Konto einrichten").click()
    page.wait_for_url(f"**{reverse('soest_office:login')}")

    login(page, live_server, "lena.luehrmann", NEW_PASSWORD)
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    nav.get_by_role("link", name=re.compile("Aufgaben")).click()
    assert_no_axe_violations(page, "Aufgaben")
    entry = page.get_by_role("link", name=re.compile("Smarte Parkraumsteuerung Lippstadt"))
    assert "Bitte die Ausgaben belegen." in page.content()
    entry.click()
    page.wait_for_url(f"**{report.get_absolute_url()}")

    # The used link explains itself.
    page.goto(f"{live_server.url}{path}")
    assert "bereits angenommen" in page.content()
    assert_no_axe_violations(page, "Einladung benutzt")
