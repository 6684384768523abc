"""In a real browser: write, approve (second office member), publish, read it in public and
in the feed; axe-core on the editor and the public pages."""

import feedparser
import pytest

from soest_office.access import Role
from soest_office.tests.factories import TEST_PASSWORD, UserFactory
from tests.conftest import assert_no_axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_write_approve_publish_and_read_it_in_public(page, live_server):
    UserFactory(username="autorin", role=Role.OFFICE)
    UserFactory(username="kollege", role=Role.OFFICE)
    title = "Digitales Bürgerbüro öffnet in Lippstadt"

    login(page, live_server, "autorin", TEST_PASSWORD)
    page.goto(f"{live_server.url}/presse/redaktion/neu/")
    assert_no_axe_violations(page, "Editor")
    page.locator("#id_title").fill(title)
    page.locator("#id_dateline").fill("Lippstadt")
    page.locator("#id_teaser").fill("25 Verwaltungsleistungen sind ab sofort online.")
    page.locator("#id_body").fill("Das **Bürgerbüro** ist rund um die Uhr erreichbar.")
    page.locator("#id_tag_names").fill("E-Government, Lippstadt")
    # The live preview renders through the server (sanitised) while typing.
    page.locator("#vorschau strong", has_text="Bürgerbüro").wait_for()
    page.get_by_role("button", name="Speichern").click()
    page.get_by_role("button", name="Zur Freigabe einreichen").click()
    page.get_by_text("Die Meldung ist zur Freigabe eingereicht.").wait_for()
    assert page.get_by_role("button", name="Freigeben").count() == 0  # four eyes
    editorial_url = page.url

    page.context.clear_cookies()
    login(page, live_server, "kollege", TEST_PASSWORD)
    page.goto(editorial_url)
    page.get_by_role("button", name="Freigeben").click()
    page.get_by_text("Die Meldung ist freigegeben.").wait_for()
    page.get_by_role("button", name="Jetzt veröffentlichen").click()
    page.get_by_text("Die Meldung ist veröffentlicht.").wait_for()

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/presse/")
    assert_no_axe_violations(page, "öffentliche Liste")
    page.get_by_role("link", name=title).click()
    page.get_by_role("heading", level=1, name=title).wait_for()
    assert_no_axe_violations(page, "öffentliche Meldung")
    assert page.locator('meta[property="og:title"]').get_attribute("content") == title

    feed = feedparser.parse(page.request.get(f"{live_server.url}/presse/feed/rss/").body())
    assert [e.title for e in feed.entries] == [title]


def test_editorial_list_and_detail_are_accessible(page, live_server):
    from news.tests.factories import PressReleaseFactory

    user = UserFactory(username="redaktion", role=Role.OFFICE)
    release = PressReleaseFactory(author=user, published=True)
    login(page, live_server, "redaktion", TEST_PASSWORD)
    page.goto(f"{live_server.url}/presse/redaktion/")
    assert_no_axe_violations(page, "Redaktionsliste")
    page.goto(f"{live_server.url}{release.get_editorial_url()}")
    assert_no_axe_violations(page, "Redaktionsansicht")
    page.goto(f"{live_server.url}/presse/redaktion/{release.pk}/verlauf/")
    assert_no_axe_violations(page, "Verlauf")


def test_distribution_check_send_and_watch_progress(page, live_server):
    from news.tests.factories import PressReleaseFactory
    from stakeholders import services as stakeholder_services
    from stakeholders.models import Contact
    from stakeholders.tests.factories import DistributionListFactory, consenting_contact

    user = UserFactory(username="versand", role=Role.OFFICE)
    release = PressReleaseFactory(author=user, published=True, title="Versand im Browser")
    press_list = DistributionListFactory(name="Lokalpresse")
    for name in ("Albers", "Brandt"):
        consenting_contact(last_name=name, municipality=None)
    stakeholder_services.list_add_contacts(
        distribution_list=press_list, contacts=Contact.objects.all()
    )

    login(page, live_server, "versand", TEST_PASSWORD)
    page.goto(f"{live_server.url}{release.get_editorial_url()}")
    page.get_by_role("link", name="An Verteiler senden").click()
    page.get_by_label("Lokalpresse").check()
    page.get_by_role("button", name="Empfänger prüfen").click()
    page.get_by_role("heading", name="Empfänger mit gültiger Einwilligung: 2").wait_for()
    assert_no_axe_violations(page, "Versandseite")
    page.get_by_role("button", name="Jetzt an 2 Empfänger senden").click()
    page.get_by_text("2 von 2 erledigt").wait_for()
    assert_no_axe_violations(page, "Versandstand")
