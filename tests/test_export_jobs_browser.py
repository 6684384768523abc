"""A background export in a real browser: the job's page waits (static script, no timed
refresh) and shows the download by itself once the worker is done; both states pass axe."""

import pytest

from soest_office import exports
from soest_office.access import Role
from soest_office.models import ExportJob
from soest_office.tests.factories import TEST_PASSWORD, UserFactory
from stakeholders.tests.factories import ContactFactory, InteractionFactory
from tests.conftest import assert_no_axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_job_page_shows_the_download_when_the_worker_is_done(page, live_server):
    office = UserFactory(username="buero", role=Role.OFFICE)
    contact = ContactFactory(first_name="Paula", last_name="Presse")
    InteractionFactory(contact=contact, summary="Interview zur Smart City")
    # Queued, as a request leaves it in production (the worker has not picked it up yet).
    job = ExportJob.objects.create(
        kind="auskunft",
        title=f"Auskunft nach Art. 15 DSGVO zu Kontakt Nr. {contact.pk}",
        params={"contact": contact.pk},
        requested_by=office,
    )
    login(page, live_server, "buero", TEST_PASSWORD)
    page.goto(f"{live_server.url}{job.get_absolute_url()}")
    page.get_by_text("Die Datei wird erstellt.").wait_for()
    assert page.get_by_role("link", name="Datei herunterladen").count() == 0
    assert_no_axe_violations(page, "Export in Arbeit")

    assert exports.export_job_run(job_id=job.pk) == "done"  # the worker

    page.get_by_role("link", name="Datei herunterladen").wait_for(timeout=15_000)
    assert_no_axe_violations(page, "Export fertig")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Datei herunterladen").click()
    assert download_info.value.suggested_filename == f"auskunft-{contact.pk}.pdf"
