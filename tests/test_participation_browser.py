"""Browser journey: a citizen contributes and confirms, the office accepts and answers, the
citizen sees the answer; axe-core clean on every public participation page on the way."""

import pytest
from django.core.cache import cache

from participation.models import Contribution
from participation.tests.factories import ContributionFactory, ParticipationFactory
from soest_office.access import Role
from soest_office.tests.factories import TEST_PASSWORD, UserFactory
from subscriptions.tests.smtp_sink import SmtpSink
from tests.conftest import assert_no_axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_contributes_office_answers_citizen_reads(page, live_server, settings):
    cache.clear()
    settings.SITE_URL = live_server.url
    settings.PARTICIPATION_MIN_FILL_SECONDS = 1
    UserFactory(username="buero", role=Role.OFFICE)
    participation = ParticipationFactory(question="Wie wird der Marktplatz schöner?")
    published = ContributionFactory(participation=participation, title="Mehr Bäume")
    base = f"{live_server.url}/vorhaben/{participation.project.slug}/beteiligung/"
    citizen = staff = page  # one tab: the public pages look the same to everyone
    with SmtpSink() as sink:
        sink.configure(settings)
        citizen.goto(base)
        assert_no_axe_violations(citizen, "Beteiligungsseite")
        citizen.get_by_label("Titel").fill("Wasserspiel für Kinder")
        citizen.get_by_label("Ihr Beitrag").fill(
            "Ein flaches Wasserspiel, siehe https://example.org"
        )
        citizen.get_by_label("Kategorie (freiwillig)").select_option("Aufenthalt")
        citizen.get_by_label("E-Mail-Adresse (freiwillig, nur für Antworten)").fill(
            "clara@example.org"
        )
        citizen.get_by_label("Ich habe die Hinweise zum Datenschutz").check()
        citizen.wait_for_timeout(1100)
        citizen.get_by_role("button", name="Beitrag senden").click()
        citizen.get_by_role("heading", name="Vielen Dank für Ihren Beitrag").wait_for()
        assert_no_axe_violations(citizen, "gesendet")

        ((_rcpts, message),) = sink.wait_for(1)
        citizen.goto(sink.link(message, "/beteiligung/bestaetigen/"))
        assert_no_axe_violations(citizen, "Bestätigen")
        citizen.get_by_role("button", name="Ja, Beitrag bestätigen").click()
        citizen.get_by_role("heading", name="Ihr Beitrag ist bestätigt").wait_for()
        assert_no_axe_violations(citizen, "bestätigt")

        citizen.goto(f"{base}{published.pk}/unterstuetzen/")
        assert_no_axe_violations(citizen, "Unterstützen")
        withdraw_link = sink.link(message, "/beteiligung/zurueckziehen/")
        citizen.goto(withdraw_link)
        assert_no_axe_violations(citizen, "Zurückziehen")

        contribution = Contribution.objects.get(title="Wasserspiel für Kinder")
        login(staff, live_server, "buero", TEST_PASSWORD)
        staff.goto(f"{live_server.url}/beteiligung/verwaltung/")
        staff.get_by_role("link", name="Wasserspiel für Kinder").click()
        assert_no_axe_violations(staff, "Moderation")
        staff.get_by_label("annehmen und veröffentlichen").check()
        staff.get_by_role("button", name="Entscheidung speichern").click()
        staff.get_by_role("heading", name="Antwort des Projektbüros (öffentlich)").wait_for()
        staff.get_by_label("Stand").select_option("implementing")
        staff.get_by_label("Antwort des Projektbüros (mit Grund)").fill(
            "Das Wasserspiel kommt mit dem Umbau 2027."
        )
        staff.get_by_role("button", name="Antwort veröffentlichen").click()
        staff.wait_for_load_state("load")
        contribution.refresh_from_db()
        assert contribution.answer_status == "implementing"
        sink.wait_for(3)  # confirmation, accepted, answered

        staff.context.clear_cookies()  # the citizen again: not logged in
        citizen.goto(base)
        citizen.get_by_text("Das Wasserspiel kommt mit dem Umbau 2027.").wait_for()
        assert citizen.get_by_role("link", name="https://example.org").count() == 1
        assert_no_axe_violations(citizen, "mit Antwort")
        login(staff, live_server, "buero", TEST_PASSWORD)
        staff.goto(
            f"{live_server.url}/beteiligung/verwaltung/vorhaben/{participation.project.slug}/"
        )
        assert_no_axe_violations(staff, "Auswertung")
