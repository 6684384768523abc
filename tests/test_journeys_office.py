"""End-to-end journeys of DESIGN.md's roles through a real browser (Debian's Chromium): the
office publishing and distributing a press release about a red report, and the office's
contact data protection work. Each ends with axe-core on its last page; a failing journey
leaves a screenshot in test-artifacts/ (the `page` fixture).
"""

import datetime
import time
from email import message_from_bytes
from email.header import decode_header, make_header

import feedparser
import pytest
from django.utils import timezone

from news import tasks as news_tasks
from news.models import PressRelease
from news.tests.smtp_sink import smtp_sink
from projects.models import Project
from projects.tests.factories import ProgressReportFactory, ProjectFactory
from soest_office.access import Role
from soest_office.tests.factories import TEST_PASSWORD, UserFactory, municipality
from stakeholders import services as stakeholder_services
from stakeholders.models import Contact
from stakeholders.tests.factories import (
    ContactFactory,
    DistributionListFactory,
    OrganisationFactory,
    consenting_contact,
)
from tests.conftest import assert_no_axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads go to a temporary directory, never into the repository."""
    settings.MEDIA_ROOT = tmp_path / "media"


def test_journey_office_accepts_red_report_publishes_and_distributes_press_release(
    page, live_server, settings
):
    UserFactory(username="buero", role=Role.OFFICE)
    UserFactory(username="buero2", role=Role.OFFICE)
    partner = UserFactory(
        username="lippstadt", role=Role.PARTNER, municipality=municipality("lippstadt")
    )
    project = ProjectFactory(
        title="Smarte Parkraumsteuerung Lippstadt",
        slug="parkraum-lippstadt",
        lead_municipality=municipality("lippstadt"),
    )
    report = ProgressReportFactory(
        project=project,
        author=partner,
        traffic_light=Project.TrafficLight.RED,
        traffic_light_reason="Die Sensorik wurde vom Hersteller nicht geliefert.",
    )
    press_list = DistributionListFactory(name="Lokalpresse Hellweg")
    consenting = [
        consenting_contact(last_name=name, email=f"{name.lower()}@presse.example.org")
        for name in ("Albers", "Brandt", "Cramer")
    ]
    without_consent = ContactFactory(last_name="Dietz", email="dietz@presse.example.org")
    stakeholder_services.list_add_contacts(
        distribution_list=press_list, contacts=Contact.objects.all()
    )
    title = "Parkraumsteuerung in Lippstadt verzögert sich"

    # The office accepts the partner's red report; the dashboard shows the red light.
    login(page, live_server, "buero", TEST_PASSWORD)
    page.goto(f"{live_server.url}/projekte/{project.slug}/")
    page.get_by_role("link", name=f"Bericht zum {report.reporting_date:%d.%m.%Y}").click()
    page.get_by_role("button", name="Annehmen").click()
    page.get_by_text("Der Bericht ist angenommen").wait_for()
    page.goto(f"{live_server.url}/")
    entry = page.locator("#aufmerksamkeit-liste li").filter(has_text=project.title)
    assert "rot" in entry.inner_text()

    # Writes a press release about it and submits it; four eyes: no approval for the author.
    page.goto(f"{live_server.url}/presse/redaktion/neu/")
    page.locator("#id_title").fill(title)
    page.locator("#id_dateline").fill("Lippstadt")
    page.locator("#id_teaser").fill("Die Sensoren für 400 Stellplätze kommen später.")
    page.locator("#id_body").fill("Der Hersteller hat die **Sensorik** nicht geliefert.")
    page.locator("#vorschau strong", has_text="Sensorik").wait_for()
    page.get_by_role("button", name="Speichern").click()
    page.get_by_role("button", name="Zur Freigabe einreichen").click()
    page.get_by_text("Die Meldung ist zur Freigabe eingereicht.").wait_for()
    assert page.get_by_role("button", name="Freigeben").count() == 0
    editorial_url = page.url

    # A second office member approves and schedules it a moment ahead.
    page.context.clear_cookies()
    login(page, live_server, "buero2", TEST_PASSWORD)
    page.goto(editorial_url)
    page.get_by_role("button", name="Freigeben").click()
    page.get_by_text("Die Meldung ist freigegeben.").wait_for()
    # The form takes whole minutes: the next minute that is at least a few seconds away.
    publish_at = (timezone.localtime() + datetime.timedelta(seconds=70)).replace(
        second=0, microsecond=0
    )
    page.get_by_label("Veröffentlichen am").fill(publish_at.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Veröffentlichung planen").click()
    page.get_by_role("button", name="Planung aufheben").wait_for()
    release = PressRelease.objects.get(title=title)
    assert release.status == PressRelease.Status.SCHEDULED
    assert release.publish_at == publish_at

    # Beat's job before the time: nothing due, nothing public.
    assert news_tasks.publish_due_releases.delay().get() == []
    page.goto(f"{live_server.url}/presse/")
    assert page.get_by_role("link", name=title).count() == 0
    # Once the minute has come, the same job (what beat runs every 30 s) publishes it.
    time.sleep(max(0.0, (publish_at - timezone.now()).total_seconds()) + 1)
    assert news_tasks.publish_due_releases.delay().get() == [release.pk]
    assert news_tasks.publish_due_releases.delay().get() == []  # exactly once
    release.refresh_from_db()
    assert release.status == PressRelease.Status.PUBLISHED

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/presse/")
    page.get_by_role("link", name=title).click()
    page.get_by_role("heading", level=1, name=title).wait_for()
    feed = feedparser.parse(page.request.get(f"{live_server.url}/presse/feed/rss/").body())
    assert [e.title for e in feed.entries] == [title]

    # The author distributes it to the press list through a real SMTP server: exactly one
    # mail per consenting member, none for the member without consent.
    login(page, live_server, "buero", TEST_PASSWORD)
    page.goto(editorial_url)
    page.get_by_role("link", name="An Verteiler senden").click()
    page.get_by_label("Lokalpresse Hellweg").check()
    page.get_by_role("button", name="Empfänger prüfen").click()
    page.get_by_role("heading", name="Empfänger mit gültiger Einwilligung: 3").wait_for()
    with smtp_sink() as (sink, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        page.get_by_role("button", name="Jetzt an 3 Empfänger senden").click()
        page.get_by_text("3 von 3 erledigt").wait_for()
    assert dict(sink.received) == {c.email: 1 for c in consenting}
    assert without_consent.email not in sink.received
    messages = [message_from_bytes(raw) for raw in sink.messages]
    assert len(messages) == 3
    assert all(title in str(make_header(decode_header(m["Subject"]))) for m in messages)
    assert_no_axe_violations(page, "Versandstand")


def test_journey_office_imports_merges_answers_auskunft_and_erases(page, live_server, tmp_path):
    UserFactory(username="buero", role=Role.OFFICE)
    stadtwerke = OrganisationFactory(
        name="Stadtwerke Lippstadt", municipality=municipality("lippstadt")
    )
    existing = ContactFactory(
        first_name="Jana",
        last_name="Kötter",
        email="jana.koetter@stadtwerke-lippstadt.de",
        organisation=stadtwerke,
    )
    csv = tmp_path / "kontakte.csv"
    csv.write_bytes(
        (
            "Vorname;Nachname;E-Mail;Organisation;Kommune\n"
            "Jana;Kötter;j.koetter@example.org;Stadtwerke Lippstadt;Lippstadt\n"
            "Torsten;Wiemer;torsten.wiemer@example.org;Hochschule Hamm-Lippstadt;Lippstadt\n"
            "Greta;Vollmer;greta.vollmer@example.org;Stadtwerke Lippstadt;Soest\n"
        ).encode("cp1252")
    )

    login(page, live_server, "buero", TEST_PASSWORD)

    # Import: upload, mapping (duplicates created anyway, to be merged), preview, commit.
    page.goto(f"{live_server.url}/kontakte/import/")
    page.get_by_label("Datei (CSV oder XLSX)").set_input_files(str(csv))
    page.get_by_role("button", name="Hochladen").click()
    page.wait_for_url("**/zuordnung/")
    page.get_by_label("trotzdem neu anlegen").check()
    page.get_by_role("button", name="Weiter zur Vorschau").click()
    page.wait_for_url("**/vorschau/")
    page.get_by_role("button", name="3 Zeilen jetzt importieren").click()
    page.get_by_text("Import abgeschlossen: 3 neu angelegt").wait_for()
    assert Contact.objects.filter(last_name="Kötter").count() == 2
    duplicate = Contact.objects.exclude(pk=existing.pk).get(last_name="Kötter")

    # Merge the imported duplicate into the existing contact on the duplicates page.
    page.goto(f"{live_server.url}/kontakte/dubletten/")
    # Chosen by the link's ids: the label shows them with a thousands separator (Nr. 10.460).
    page.locator(f'a[href$="/zusammenfuehren/{existing.pk}/{duplicate.pk}/"]').click()
    # The e-mail addresses differ: the kept contact's stays (preselected), the other one
    # becomes the second address.
    email_choice = page.get_by_role("group", name="E-Mail-Adresse", exact=True)
    assert email_choice.get_by_label("jana.koetter@stadtwerke-lippstadt.de").is_checked()
    page.get_by_role("button", name="Zusammenführen").click()
    page.get_by_text("Die Kontakte wurden zu »Jana Kötter« zusammengeführt").wait_for()
    assert list(Contact.objects.filter(last_name="Kötter").values_list("pk", flat=True)) == [
        existing.pk
    ]
    existing.refresh_from_db()
    assert "j.koetter@example.org" in (existing.email, existing.email_secondary)
    page.goto(f"{live_server.url}/kontakte/dubletten/")
    page.get_by_text("Keine möglichen Dubletten gefunden.").wait_for()

    # Auskunft (Art. 15) for Greta Vollmer as JSON.
    greta = Contact.objects.get(last_name="Vollmer")
    page.goto(f"{live_server.url}/kontakte/{greta.pk}/")
    href = page.get_by_role("link", name="Auskunft (JSON)").get_attribute("href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/json")
    assert "greta.vollmer@example.org" in response.text()
    assert "Stadtwerke Lippstadt" in response.text()
    response.json()  # well-formed

    # Before the erasure the search finds her ...
    page.goto(f"{live_server.url}/suche/?q=Vollmer")
    assert page.locator(".search-hit").filter(has_text="Vollmer").count() == 1

    # ... then erasure in two confirmations ...
    page.goto(f"{live_server.url}/kontakte/{greta.pk}/")
    page.get_by_role("link", name="Löschen (DSGVO)").click()
    page.get_by_label("Ich weiß, dass die Löschung nicht rückgängig gemacht werden kann.").check()
    page.get_by_role("button", name="Weiter").click()
    page.get_by_label("Zur zweiten Bestätigung den Nachnamen eingeben").fill("Vollmer")
    page.get_by_role("button", name="Jetzt unwiderruflich löschen").click()
    page.get_by_text("Der Kontakt wurde unwiderruflich gelöscht.").wait_for()
    assert not Contact.objects.filter(email="greta.vollmer@example.org").exists()

    # ... and afterwards the search knows nothing of her.
    page.goto(f"{live_server.url}/suche/?q=Vollmer")
    page.get_by_text("Keine Treffer für „Vollmer“.").wait_for()
    assert page.locator(".search-hit").count() == 0
    page.goto(f"{live_server.url}/suche/?q=greta.vollmer")
    assert page.locator(".search-hit").count() == 0
    assert_no_axe_violations(page, "Suche nach der gelöschten Person")
