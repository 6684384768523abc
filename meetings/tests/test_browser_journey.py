"""The Lenkungskreis in a real browser: the office prepares the agenda, invites, writes the
minutes with a decision and an action item; the partner marks the item done on the home page;
the next meeting's proposed agenda shows it. axe-core on the pages on the way."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from meetings.models import ActionItem, Meeting
from soest_office.access import Role
from soest_office.tests.factories import TEST_PASSWORD, UserFactory, municipality
from tests.conftest import assert_no_axe_violations, login

from .factories import MeetingFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_journey_minutes_decision_action_item_and_next_agenda(page, live_server):
    office = UserFactory(username="buero", role=Role.OFFICE)
    partner = UserFactory(username="soest", role=Role.PARTNER, municipality=municipality("soest"))
    now = timezone.now()
    last = MeetingFactory(
        title="Letzte Sitzung",
        body__code="LK",
        body__name="Lenkungskreis",
        starts_at=now - datetime.timedelta(days=30),
        status=Meeting.Status.HELD,
    )
    body = last.body
    MembershipFactory(body=body, user=office)
    MembershipFactory(body=body, user=partner)
    meeting = MeetingFactory(
        body=body, title="Sitzung im Dezember", starts_at=now + datetime.timedelta(days=7)
    )
    url = f"{live_server.url}{meeting.get_absolute_url()}"

    login(page, live_server, "buero", TEST_PASSWORD)
    page.goto(url)
    page.get_by_role("button", name="Tagesordnung vorschlagen").click()
    page.get_by_text("Die Tagesordnung ist vorgeschlagen").wait_for()
    assert page.get_by_role("heading", name="TOP 1: Genehmigung des Protokolls").count() == 1
    page.get_by_role("button", name="Einladen").click()
    page.get_by_text("2 Einladungen werden versandt").wait_for()
    assert len(mail.outbox) == 2

    page.get_by_role("link", name="Protokoll schreiben").nth(1).click()
    page.get_by_label("Protokoll").fill("Die offenen Aufgaben wurden besprochen.")
    page.get_by_role("button", name="Speichern").click()
    page.get_by_text("Das Protokoll ist gespeichert").wait_for()

    page.get_by_role("link", name="Beschluss eintragen").click()
    page.get_by_label("Beschlusstext").fill("Der Lenkungskreis beauftragt Soest mit dem Antrag.")
    page.get_by_label("Abstimmung").select_option("unanimous")
    page.get_by_role("button", name="Speichern").click()
    year = timezone.localtime(meeting.starts_at).year
    page.get_by_text(f"Beschluss LK-{year}-01 ist gefasst").wait_for()

    page.get_by_role("link", name="Aufgabe eintragen").click()
    page.get_by_label("Aufgabe").fill("Förderantrag einreichen")
    page.get_by_label("oder zuständige Kommune").select_option(str(municipality("soest").pk))
    due = timezone.localdate() + datetime.timedelta(days=14)
    page.get_by_label("fällig am").fill(due.isoformat())
    page.get_by_role("button", name="Speichern").click()
    page.get_by_text("Die Aufgabe ist angelegt").wait_for()
    assert_no_axe_violations(page, "Sitzungsseite (Projektbüro)")

    page.context.clear_cookies()
    login(page, live_server, "soest", TEST_PASSWORD)
    page.goto(f"{live_server.url}/")
    section = page.locator("#meine-aufgaben")
    assert "Förderantrag einreichen" in section.inner_text()
    assert_no_axe_violations(page, "Startseite (Kommune)")
    section.get_by_label("Status von „Förderantrag einreichen“").select_option("done")
    section.get_by_role("button", name="Speichern").click()
    page.get_by_text("Der Status der Aufgabe ist gespeichert").wait_for()
    assert ActionItem.objects.get().status == ActionItem.Status.DONE

    # Time passes: the December meeting has taken place (before the partner's update).
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.HELD,
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now - datetime.timedelta(hours=22),
    )
    ActionItem.objects.update(updated_at=now)
    following = MeetingFactory(
        body=body, title="Sitzung im Januar", starts_at=now + datetime.timedelta(days=40)
    )
    page.context.clear_cookies()
    login(page, live_server, "buero", TEST_PASSWORD)
    page.goto(f"{live_server.url}{following.get_absolute_url()}")
    page.get_by_role("button", name="Tagesordnung vorschlagen").click()
    page.get_by_text("Die Tagesordnung ist vorgeschlagen").wait_for()
    item = page.locator("article").filter(has_text="Stand der offenen Aufgaben")
    text = item.inner_text()
    assert "Seit der letzten Sitzung erledigt" in text
    assert "Förderantrag einreichen" in text
    assert_no_axe_violations(page, "nächste Sitzung")
