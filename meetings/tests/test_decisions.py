import threading
from datetime import timedelta

import pytest
from celery._state import _set_task_join_will_block
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import timezone

from meetings.models import ActionItem, Decision
from meetings.services.decisions import action_item_set_status, decision_create
from projects.tests.factories import ProjectFactory
from soest_office.tests.factories import municipality

from .factories import ActionItemFactory, MeetingFactory


def test_decisions_are_numbered_per_body_and_year(office):
    meeting = MeetingFactory(body__code="LK", starts_at=timezone.now() - timedelta(days=1))
    first = decision_create(office, meeting, text="Projekt A wird fortgeführt.", vote="unanimous")
    second = decision_create(office, meeting, text="Projekt B wird gestoppt.", vote="unanimous")
    other_body = MeetingFactory(starts_at=meeting.starts_at)
    third = decision_create(office, other_body, text="Eigene Zählung.", vote="unanimous")
    year = timezone.localtime(meeting.starts_at).year
    assert first.reference == f"LK-{year}-01"
    assert second.reference == f"LK-{year}-02"
    assert third.number == 1


def test_decision_by_partner_is_refused_and_nothing_saved(partner_soest):
    meeting = MeetingFactory()
    with pytest.raises(PermissionDenied):
        decision_create(partner_soest, meeting, text="x", vote="unanimous")
    assert not Decision.objects.exists()


def test_decision_on_hidden_project_is_refused(office, partner_soest, db):
    meeting = MeetingFactory()
    project = ProjectFactory()
    with pytest.raises(ValidationError):
        decision_create(office, meeting, text="", vote="unanimous", projects=[project])
    assert not Decision.objects.exists()


def test_partner_updates_status_of_own_municipalitys_item_only(partner_soest, partner_lippstadt):
    item = ActionItemFactory(owner_municipality=municipality("soest"))
    action_item_set_status(partner_soest, item, ActionItem.Status.DONE)
    item.refresh_from_db()
    assert item.status == "done"
    with pytest.raises(PermissionDenied):  # sees it (not confidential) but does not own it
        action_item_set_status(partner_lippstadt, item, ActionItem.Status.OPEN)
    item.refresh_from_db()
    assert item.status == "done"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_concurrent_writers_never_share_a_number(reference_data):
    from soest_office.access import Role
    from soest_office.tests.factories import UserFactory

    office = UserFactory(role=Role.OFFICE)
    meeting = MeetingFactory(body__code="LK")
    barrier = threading.Barrier(2)
    errors = []

    def write(n):
        try:
            barrier.wait()
            for i in range(10):
                decision_create(office, meeting, text=f"Beschluss {n}/{i}", vote="unanimous")
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        # Each save queues its search update as an eager task; Celery's eager apply_async
        # guards itself with a process-global flag (denied_join_result) that two threads can
        # leave set, and later tests calling result.get() on a real worker would then fail.
        _set_task_join_will_block(False)
    assert errors == []
    numbers = sorted(Decision.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 21))


def test_office_creates_action_items_with_one_owner(office, partner_soest):
    from meetings.services.decisions import action_item_create

    meeting = MeetingFactory()
    due = timezone.localdate() + timedelta(days=5)
    item = action_item_create(
        office, meeting, title="Angebot einholen", due=due, owner_municipality=municipality("soest")
    )
    assert item.body == meeting.body
    with pytest.raises(ValidationError):
        action_item_create(office, meeting, title="Niemandes Aufgabe", due=due)
    with pytest.raises(PermissionDenied):
        action_item_create(partner_soest, meeting, title="x", due=due, owner_user=partner_soest)
    assert ActionItem.objects.count() == 1
