"""Browser: subscribe, open the link from the mail caught by a real SMTP sink, confirm,
change topics, unsubscribe; axe-core clean on every page of the flow."""

import pytest

from news.models import Section
from subscriptions.models import Subscription
from subscriptions.tests.smtp_sink import SmtpSink
from tests.conftest import assert_no_axe_violations


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_subscribe_confirm_change_and_unsubscribe(page, live_server, settings):
    from django.core.cache import cache

    cache.clear()
    Section.objects.create(name="Bildung", slug="bildung", position=1)
    Section.objects.create(name="Mobilität", slug="mobilitaet", position=2)
    settings.SITE_URL = live_server.url
    settings.SUBSCRIPTIONS_MIN_FILL_SECONDS = 1
    with SmtpSink() as sink:
        sink.configure(settings)
        page.goto(f"{live_server.url}/presse/abo/")
        assert_no_axe_violations(page, "Anmeldeseite")
        page.get_by_label("E-Mail-Adresse").fill("browser@example.org")
        page.get_by_label("Name (freiwillig)").fill("Bruno Browser")
        page.get_by_label("Bildung").check()
        page.get_by_label("Ich willige ein").check()
        page.wait_for_timeout(1100)
        page.get_by_role("button", name="Abonnieren").click()
        page.get_by_role("heading", name="Fast geschafft").wait_for()
        assert_no_axe_violations(page, "Bitte bestätigen")

        ((_rcpts, message),) = sink.wait_for(1)
        page.goto(sink.link(message, "/presse/abo/bestaetigen/"))
        assert_no_axe_violations(page, "Bestätigungsseite")
        page.get_by_role("button", name="Ja, Abonnement bestätigen").click()
        page.get_by_role("heading", name="Ihr Abonnement ist bestätigt").wait_for()
        assert_no_axe_violations(page, "bestätigt")

        page.get_by_role("link", name="Abonnement verwalten").click()
        page.get_by_role("heading", name="Abonnement verwalten").wait_for()
        assert_no_axe_violations(page, "Verwaltung")
        page.get_by_label("Mobilität").check()
        page.get_by_label("wöchentlicher Überblick").check()
        page.get_by_role("button", name="Änderungen speichern").click()
        page.get_by_text("Ihre Änderungen sind gespeichert").wait_for()
        assert_no_axe_violations(page, "gespeichert")
        subscription = Subscription.objects.get()
        assert sorted(s.slug for s in subscription.sections.all()) == ["bildung", "mobilitaet"]
        assert subscription.frequency == "weekly"

        page.get_by_role("link", name="Abonnement kündigen").click()
        assert_no_axe_violations(page, "Kündigen")
        page.get_by_role("button", name="Jetzt abmelden").click()
        page.get_by_text("Sie sind abgemeldet").wait_for()
        assert_no_axe_violations(page, "abgemeldet")
        subscription.refresh_from_db()
        assert subscription.status == Subscription.Status.ENDED
