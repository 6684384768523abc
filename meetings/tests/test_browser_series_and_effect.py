"""In a real browser: the office works on a series page (moves one occurrence, prepares
another), records a decision that stops a project, and
the project's history links the change to the decision. axe-core on every page on the way."""

import datetime

import pytest
from django.utils import timezone

from meetings.models import Meeting, MeetingSeries
from projects.models import Project
from projects.tests.factories import ProjectFactory
from soest_office.access import Role
from soest_office.tests.factories import TEST_PASSWORD, UserFactory
from tests.conftest import assert_no_axe_violations, login

from .factories import BodyFactory, MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_series_page_and_a_decision_that_stops_a_project(page, live_server):
    UserFactory(username="buero", role=Role.OFFICE)
    body = BodyFactory(name="Projektteam", slug="projektteam", code="PT")
    first = timezone.localtime(timezone.now() + datetime.timedelta(days=7)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    MeetingSeries.objects.create(
        body=body,
        title="Projektteam monatlich",
        rule=MeetingSeries.Rule.EVERY_WEEKS,
        every_weeks=4,
        first_start=first,
        until=first.date() + datetime.timedelta(weeks=8),
        template_agenda="Berichte | 30\nVerschiedenes",
    )
    login(page, live_server, "buero", TEST_PASSWORD)

    page.goto(f"{live_server.url}{body.get_absolute_url()}")
    page.get_by_role("link", name="Projektteam monatlich").click()
    page.get_by_role("heading", name="Sitzungsreihe: Projektteam monatlich").wait_for()
    assert_no_axe_violations(page, "Sitzungsreihe")

    second = first.date() + datetime.timedelta(weeks=4)
    field = page.get_by_label(f"Neuer Beginn des Termins vom {second:%d.%m.%Y}")
    moved = datetime.datetime.combine(second + datetime.timedelta(days=1), datetime.time(17, 30))
    field.fill(f"{moved:%Y-%m-%dT%H:%M}")
    field.locator("xpath=..").get_by_role("button", name="verschieben").click()
    page.get_by_text(f"ist verschoben auf {moved:%d.%m.%Y} 17:30").wait_for()
    assert_no_axe_violations(page, "Sitzungsreihe nach dem Verschieben")

    page.get_by_role("button", name="Sitzung vorbereiten").first.click()
    page.get_by_text("ist als Sitzung vorbereitet").wait_for()
    meeting = Meeting.objects.get()
    assert meeting.agenda_items.count() == 2

    project = ProjectFactory(title="Glasfaser Testdorf", status=Project.Status.IN_PROGRESS)
    held = MeetingFactory(
        body=body,
        title="Sitzung mit Beschluss",
        starts_at=timezone.now() - datetime.timedelta(days=1),
    )
    page.goto(f"{live_server.url}{held.get_absolute_url()}")
    page.get_by_role("link", name="Beschluss eintragen").click()
    page.get_by_label("Beschlusstext").fill("Das Projekt Glasfaser Testdorf wird gestoppt.")
    page.get_by_label("Abstimmung").select_option("unanimous")
    page.get_by_label("Der Beschluss ändert das Projekt").select_option(str(project.pk))
    page.get_by_label("auf den Status").select_option("cancelled")
    assert_no_axe_violations(page, "Beschluss mit Wirkung")
    page.get_by_role("button", name="Speichern").click()
    page.get_by_text("hat jetzt den Status „abgebrochen“").wait_for()
    assert_no_axe_violations(page, "Sitzung mit Wirkung")

    page.goto(f"{live_server.url}/projekte/{project.slug}/verlauf/")
    link = page.get_by_role("link", name="Beschluss PT-")
    link.wait_for()
    assert_no_axe_violations(page, "Projektverlauf")
    link.click()
    page.get_by_text("Wirkung: Status von in Umsetzung auf abgebrochen geändert").wait_for()
