from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from meetings.models import Meeting, MinutesCorrection
from meetings.services import decisions, minutes

from .factories import AgendaItemFactory, MeetingFactory, MembershipFactory


@pytest.fixture
def held(db):
    item = AgendaItemFactory(
        meeting__starts_at=timezone.now() - timedelta(days=30),
        meeting__status=Meeting.Status.HELD,
        minutes="Der Lenkungskreis berät den Stand.",
    )
    later = MeetingFactory(body=item.meeting.body, starts_at=timezone.now() - timedelta(days=1))
    return item, later


def test_approval_freezes_minutes_and_corrections_are_new_entries(office, held):
    item, later = held
    meeting = minutes.minutes_approve(office, item.meeting, approved_in=later)
    assert meeting.status == Meeting.Status.APPROVED
    assert meeting.minutes_approved_in == later

    with pytest.raises(ValidationError, match="eingefroren"):
        minutes.minutes_write(office, item, "Nachträglich geändert")
    item.refresh_from_db()
    assert item.minutes == "Der Lenkungskreis berät den Stand."

    with pytest.raises(ValidationError):
        decisions.decision_create(office, item.meeting, text="Zu spät", vote="unanimous")

    correction = minutes.minutes_correct(office, item, "Richtig ist: 12 Teilnehmende.")
    assert list(MinutesCorrection.objects.filter(agenda_item=item)) == [correction]
    item.refresh_from_db()
    assert item.minutes == "Der Lenkungskreis berät den Stand."


def test_approval_needs_a_later_meeting_of_the_same_body(office, held):
    item, _later = held
    other = MeetingFactory(starts_at=timezone.now())
    with pytest.raises(ValidationError):
        minutes.minutes_approve(office, item.meeting, approved_in=other)
    item.meeting.refresh_from_db()
    assert not item.meeting.minutes_frozen


def test_approval_by_a_member_without_office_role_is_refused(partner_soest, held):
    item, later = held
    MembershipFactory(body=item.meeting.body, user=partner_soest)
    with pytest.raises(PermissionDenied):
        minutes.minutes_approve(partner_soest, item.meeting, approved_in=later)
    item.meeting.refresh_from_db()
    assert not item.meeting.minutes_frozen


def test_minutes_page_offers_correction_after_approval(client_for, office, held):
    item, later = held
    minutes.minutes_approve(office, item.meeting, approved_in=later)
    client = client_for(office)
    url = f"/sitzungen/{item.meeting.pk}/top/{item.pk}/protokoll/"
    response = client.post(url, {"text": "Ergänzung: Frau Meyer war entschuldigt."})
    assert response.status_code == 302
    page = client.get(item.meeting.get_absolute_url()).content.decode()
    assert "Berichtigung vom" in page
    assert "Frau Meyer war entschuldigt" in page
    assert "Der Lenkungskreis berät den Stand." in page
