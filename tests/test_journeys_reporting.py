"""End-to-end journeys of DESIGN.md's roles through a real browser (Debian's Chromium): the
Lippstadt partner reporting, and the steering committee reading without changing anything.
Each ends with axe-core on its last page; a failing journey leaves a screenshot in
test-artifacts/ (the `page` fixture).
"""

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from projects import services as project_services
from projects.models import Project
from projects.tests.factories import FundingDecisionFactory, ProgressReportFactory, ProjectFactory
from soest_office.access import Role
from soest_office.tests.factories import TEST_PASSWORD, UserFactory, municipality
from tests.conftest import assert_no_axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads go to a temporary directory, never into the repository."""
    settings.MEDIA_ROOT = tmp_path / "media"


def small_pdf(path):
    """A real (one blank page) PDF written by pypdf."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Zwischenbericht"})
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def refused_page(page):
    """A second tab of the same session for pages that must answer 403/404: Chromium logs
    such a document response as a console error, which the `page` fixture (rightly) treats
    as a failure on every other page."""
    return page.context.new_page()


def lippstadt_and_iserlohn_projects():
    lippstadt, iserlohn = municipality("lippstadt"), municipality("iserlohn")
    own = ProjectFactory(
        title="Smarte Parkraumsteuerung Lippstadt",
        slug="parkraum-lippstadt",
        lead_municipality=lippstadt,
    )
    shared = ProjectFactory(
        title="Gemeinsames Bürgerportal im Kreis",
        slug="buergerportal-kreis",
        participants=["lippstadt"],
    )
    foreign = ProjectFactory(
        title="Iserlohner Schuldigitalisierung",
        slug="schuldigitalisierung-iserlohn",
        lead_municipality=iserlohn,
    )
    return own, shared, foreign


def test_journey_partner_reports_red_uploads_and_cannot_edit_foreign_project(
    page, live_server, tmp_path
):
    UserFactory(username="lippstadt", role=Role.PARTNER, municipality=municipality("lippstadt"))
    own, shared, foreign = lippstadt_and_iserlohn_projects()

    login(page, live_server, "lippstadt", TEST_PASSWORD)
    assert page.url == f"{live_server.url}/"

    # Finds its projects on the list (and, per the role table, may read the others too).
    page.goto(f"{live_server.url}/projekte/")
    for project in (own, shared, foreign):
        assert page.get_by_role("link", name=project.title).is_visible()
    page.get_by_label("Kommune").select_option(value=str(own.lead_municipality_id))
    page.get_by_role("button", name="Anwenden").click()
    page.wait_for_url("**municipality=*")
    assert page.get_by_role("link", name=own.title).is_visible()
    assert page.get_by_role("link", name=shared.title).is_visible()
    assert page.get_by_role("link", name=foreign.title).count() == 0
    page.get_by_role("link", name=own.title).click()
    page.get_by_role("heading", level=1, name=own.title).wait_for()
    # Reports and documents yes; master data no.
    assert page.get_by_role("link", name="Bearbeiten", exact=True).count() == 0

    # A red progress report with its reason, submitted.
    page.get_by_role("link", name="Bericht erfassen").click()
    page.get_by_label("Stichtag").fill(timezone.localdate().isoformat())
    page.get_by_label("Fortschritt (%)").fill("35")
    page.get_by_label("rot", exact=True).check()
    page.get_by_label("Begründung der Ampel").fill(
        "Die Sensorik wurde vom Hersteller nicht geliefert."
    )
    page.get_by_label("Was wurde erreicht?").fill("Standorte der Parkplatzsensoren abgestimmt.")
    page.get_by_label("bisher ausgegeben (€)").fill("12.500,00")
    page.get_by_role("button", name="Einreichen").click()
    page.get_by_text("Der Bericht wurde eingereicht").wait_for()

    report = own.reports.get()
    assert report.traffic_light == Project.TrafficLight.RED
    assert report.traffic_light_reason == "Die Sensorik wurde vom Hersteller nicht geliefert."
    assert report.status == report.Status.SUBMITTED
    assert report.municipality == municipality("lippstadt")

    # Uploads a small real PDF to the same project.
    page.goto(f"{live_server.url}/projekte/{own.slug}/")
    page.get_by_role("link", name="Dokument hochladen").click()
    page.get_by_label("Titel").fill("Lieferverzug Sensorik")
    page.get_by_label("Datei").set_input_files(str(small_pdf(tmp_path / "lieferverzug.pdf")))
    page.get_by_role("button", name="Speichern").click()
    page.get_by_text("Das Dokument wurde hochgeladen.").wait_for()
    link = page.locator("#dokumente").get_by_role("link", name="Lieferverzug Sensorik")
    link.wait_for()
    document = own.documents.get()
    assert document.original_name == "lieferverzug.pdf"
    response = page.request.get(f"{live_server.url}{link.get_attribute('href')}")
    assert response.status == 200
    assert len(PdfReader(io.BytesIO(response.body())).pages) == 1

    # An Iserlohn-only project: readable, but its edit page is refused and shows no form.
    page.goto(f"{live_server.url}/projekte/{foreign.slug}/")
    assert page.get_by_role("link", name="Bericht erfassen").count() == 0
    assert page.get_by_role("link", name="Dokument hochladen").count() == 0
    refused = refused_page(page)
    response = refused.goto(f"{live_server.url}/projekte/{foreign.slug}/bearbeiten/")
    assert response.status == 403
    assert refused.locator("#id_title").count() == 0
    assert refused.get_by_role("button", name="Speichern").count() == 0
    assert_no_axe_violations(refused, "Bearbeiten eines fremden Projekts (403)")


def test_journey_steering_reads_dashboard_downloads_funder_report_changes_nothing(
    page, live_server
):
    UserFactory(username="lenkung", role=Role.STEERING)
    office = UserFactory(username="buero", role=Role.OFFICE)
    project = ProjectFactory(title="Digitale Bauakte Kreis Soest", slug="digitale-bauakte")
    FundingDecisionFactory(project=project)
    report = ProgressReportFactory(
        project=project,
        author=office,
        traffic_light=Project.TrafficLight.RED,
        traffic_light_reason="Schnittstelle zum Fachverfahren fehlt.",
    )
    report = project_services.report_accept(actor=office, report=report)

    login(page, live_server, "lenkung", TEST_PASSWORD)
    assert page.url == f"{live_server.url}/"
    entry = page.locator("#aufmerksamkeit-liste li").filter(has_text=project.title)
    assert "rot" in entry.inner_text()

    # The funder report: made in the background (with in-process tasks at once), then a
    # real PDF naming the project from the job's page.
    page.goto(f"{live_server.url}/projekte/sachstandsbericht/")
    page.get_by_label(project.title).check()
    page.get_by_label("PDF (Druckfassung)").check()
    page.get_by_role("button", name="Bericht erstellen").click()
    page.wait_for_url(f"{live_server.url}/exporte/*/")
    page.get_by_text("Die Datei ist fertig").wait_for()
    assert_no_axe_violations(page, "fertiger Sachstandsbericht")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Datei herunterladen").click()
    download = download_info.value
    assert download.suggested_filename.startswith("sachstandsbericht-")
    assert download.suggested_filename.endswith(".pdf")
    reader = PdfReader(download.path())
    text = "".join(p.extract_text() for p in reader.pages)
    assert project.title in text

    # Reads everything, changes nothing: no edit controls on the list and the project page...
    page.goto(f"{live_server.url}/projekte/")
    assert page.get_by_role("link", name="Projekt anlegen").count() == 0
    page.get_by_role("link", name=project.title).click()
    page.get_by_role("heading", level=1, name=project.title).wait_for()
    main = page.locator("main")
    assert main.count() == 1
    for name in (
        "Bearbeiten",
        "Bericht erfassen",
        "Dokument hochladen",
        "Meilenstein anlegen",
        "Förderbescheid erfassen",
        "Budgetposition anlegen",
    ):
        assert main.get_by_role("link", name=name, exact=True).count() == 0, name
    assert main.get_by_role("button").count() == 0
    assert main.locator("form[method=post]").count() == 0

    # ...and the change pages themselves refuse, without a form.
    refused = refused_page(page)
    for path in (
        f"/projekte/{project.slug}/bearbeiten/",
        f"/projekte/{project.slug}/berichte/neu/",
        f"/projekte/{project.slug}/berichte/{report.pk}/bearbeiten/",
    ):
        response = refused.goto(f"{live_server.url}{path}")
        assert response.status in (403, 404), path
        assert refused.locator("main form[method=post]").count() == 0, path
    assert_no_axe_violations(refused, "Berichtsformular für den Lenkungskreis (verweigert)")
