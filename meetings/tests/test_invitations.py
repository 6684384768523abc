from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings.forms import MeetingForm
from meetings.models import Attendance, Invitation
from meetings.services import invitations
from meetings.services.ical import event_uid
from soest_office.access import Role
from soest_office.tests.factories import UserFactory

from .factories import MeetingFactory, MembershipFactory


def _event(message):
    (name, content, mimetype) = message.attachments[0]
    assert name == "einladung.ics"
    calendar = Calendar.from_ical(content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return calendar, events[0], mimetype


@pytest.fixture
def invited(office, partner_soest, steering):
    meeting = MeetingFactory(body__code="LK", title="Lenkungskreis 3/2026")
    MembershipFactory(body=meeting.body, user=partner_soest)
    MembershipFactory(body=meeting.body, user=steering)
    return meeting


def test_invitation_update_and_cancel_read_back(
    office, invited, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = invitations.meeting_invite(office, invited)
    assert result.queued == 2
    assert len(mail.outbox) == 2
    calendar, event, mimetype = _event(mail.outbox[0])
    assert str(calendar["method"]) == "REQUEST"
    assert "method=REQUEST" in mimetype
    uid = str(event["uid"])
    assert uid == event_uid(invited)
    assert int(event["sequence"]) == 0
    assert event.decoded("dtstart") == timezone.localtime(invited.starts_at).replace(microsecond=0)
    assert str(event.decoded("dtstart").tzinfo) == "Europe/Berlin"

    # Inviting again sends nothing new (idempotent).
    with django_capture_on_commit_callbacks(execute=True):
        again = invitations.meeting_invite(office, invited)
    assert again.queued == 0
    assert len(mail.outbox) == 2

    # A new time: an update with a higher SEQUENCE, same UID.
    new_start = invited.starts_at + timedelta(days=1)
    form = MeetingForm(
        {
            "body": invited.body_id,
            "title": invited.title,
            "starts_at": timezone.localtime(new_start).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": timezone.localtime(new_start + timedelta(hours=2)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "place": invited.place,
        },
        instance=invited,
    )
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        invitations.meeting_save(office, form)
    assert len(mail.outbox) == 4
    calendar, event, _ = _event(mail.outbox[-1])
    assert str(calendar["method"]) == "REQUEST"
    assert str(event["uid"]) == uid
    assert int(event["sequence"]) == 1
    assert "Geändert" in mail.outbox[-1].subject

    # The cancellation: METHOD:CANCEL, higher SEQUENCE again, same UID.
    with django_capture_on_commit_callbacks(execute=True):
        invitations.meeting_cancel(office, invited)
    assert len(mail.outbox) == 6
    calendar, event, mimetype = _event(mail.outbox[-1])
    assert str(calendar["method"]) == "CANCEL"
    assert "method=CANCEL" in mimetype
    assert str(event["uid"]) == uid
    assert int(event["sequence"]) == 2
    assert str(event["status"]) == "CANCELLED"
    assert set(Invitation.objects.values_list("sent_sequence", flat=True)) == {2}


def test_meeting_in_the_past_is_not_invited(office, invited):
    invited.starts_at = timezone.now() - timedelta(hours=3)
    invited.ends_at = timezone.now() - timedelta(hours=1)
    invited.save()
    with pytest.raises(ValidationError, match="Vergangenheit"):
        invitations.meeting_invite(office, invited)
    assert not Invitation.objects.exists()


def test_member_without_email_is_said_clearly(office, invited, django_capture_on_commit_callbacks):
    no_mail = UserFactory(email="", role=Role.STEERING, first_name="Karl", last_name="Ohnemail")
    MembershipFactory(body=invited.body, user=no_mail)
    with django_capture_on_commit_callbacks(execute=True):
        result = invitations.meeting_invite(office, invited)
    assert result.queued == 2
    assert result.warnings() == [
        "Karl Ohnemail hat keine E-Mail-Adresse und wird nicht per Mail eingeladen."
    ]
    assert Invitation.objects.get(user=no_mail).status == Invitation.Status.NO_EMAIL


def test_killed_worker_rows_are_handed_back(office, invited, django_capture_on_commit_callbacks):
    invitations.meeting_invite(office, invited)  # queued, the task never ran (no commit)
    Invitation.objects.update(
        status=Invitation.Status.SENDING, claimed_at=timezone.now() - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.invitations_reconcile() == 2
    assert set(Invitation.objects.values_list("status", flat=True)) == {"sent"}
    assert len(mail.outbox) == 2


def test_signed_link_records_the_answer(client, partner_soest, invited):
    url = reverse(
        "meetings:respond_link",
        kwargs={"token": invitations.respond_token(invited.pk, partner_soest.pk)},
    )
    assert client.get(url).status_code == 200
    response = client.post(url, {"response": "declined"})
    assert response.status_code == 200
    assert "Ihre Antwort ist gespeichert" in response.content.decode()
    assert Attendance.objects.get(user=partner_soest).response == "declined"


def test_tampered_link_is_a_german_error_and_changes_nothing(client, partner_soest, invited):
    token = invitations.respond_token(invited.pk, partner_soest.pk)
    url = reverse("meetings:respond_link", kwargs={"token": token[:-3] + "xyz"})
    response = client.post(url, {"response": "accepted"})
    assert response.status_code == 400
    assert "Antwort-Link ist ungültig" in response.content.decode()
    assert not Attendance.objects.exists()


def test_link_of_a_non_member_is_refused(client, partner_lippstadt, invited):
    token = invitations.respond_token(invited.pk, partner_lippstadt.pk)
    url = reverse("meetings:respond_link", kwargs={"token": token})
    assert client.post(url, {"response": "accepted"}).status_code == 400
    assert not Attendance.objects.exists()
