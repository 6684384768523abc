"""A series occurrence that is already a meeting goes through the invitation services when it
is moved or cancelled: the invited read the change back from the iCalendar attachment (same
UID, rising SEQUENCE, METHOD REQUEST or CANCEL); a meeting not yet invited moves silently."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings.models import Invitation, Meeting, MeetingSeries, SeriesOccurrence
from meetings.services import invitations
from meetings.services import series as services
from meetings.services.ical import event_uid

from .factories import BodyFactory, MembershipFactory


def _read(message):
    """(METHOD, the one VEVENT) of a mail's iCalendar attachment."""
    (name, content, mimetype) = message.attachments[0]
    assert name == "einladung.ics"
    calendar = Calendar.from_ical(content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    assert f"method={calendar['method']}" in mimetype
    return str(calendar["method"]), events[0]


def _at(day, hour=16, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def series(db, partner_soest, steering):
    first = timezone.localdate() + dt.timedelta(days=7)
    body = BodyFactory(name="Projektteam", slug="projektteam")
    MembershipFactory(body=body, user=partner_soest)
    MembershipFactory(body=body, user=steering)
    return MeetingSeries.objects.create(
        body=body,
        title="Projektteam monatlich",
        rule=MeetingSeries.Rule.EVERY_WEEKS,
        every_weeks=4,
        first_start=_at(first),
        until=first + dt.timedelta(weeks=12),
        place="Kreishaus",
    )


@pytest.fixture
def first_day(series):
    return timezone.localtime(series.first_start).date()


@pytest.fixture
def invited(office, series, first_day, django_capture_on_commit_callbacks):
    """The first occurrence, prepared and invited: two members got REQUEST, SEQUENCE 0."""
    meeting = services.occurrence_prepare(office, series, first_day)
    with django_capture_on_commit_callbacks(execute=True):
        invitations.meeting_invite(office, meeting)
    assert len(mail.outbox) == 2
    method, event = _read(mail.outbox[0])
    assert (method, int(event["sequence"])) == ("REQUEST", 0)
    mail.outbox.clear()
    return meeting


def test_moving_an_invited_occurrence_sends_everyone_a_calendar_update(
    office, series, first_day, invited, django_capture_on_commit_callbacks
):
    new_start = _at(first_day + dt.timedelta(days=1), 17, 30)
    with django_capture_on_commit_callbacks(execute=True):
        change = services.occurrence_move(office, series, first_day, new_start)

    assert change.notified == 2
    invited.refresh_from_db()
    assert invited.starts_at == new_start
    assert invited.ends_at == new_start + dt.timedelta(minutes=120)
    assert invited.sequence == 1
    assert invited.status == Meeting.Status.INVITED
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        invited.invitations.values_list("user__email", flat=True)
    )
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        method, event = _read(message)
        assert method == "REQUEST"
        assert str(event["uid"]) == event_uid(invited)
        assert int(event["sequence"]) == 1
        assert event.decoded("dtstart") == timezone.localtime(new_start)
        assert event.decoded("dtend") == timezone.localtime(new_start + dt.timedelta(hours=2))
        assert "Geändert" in message.subject
    assert set(Invitation.objects.values_list("sent_sequence", flat=True)) == {1}

    # Moving again raises SEQUENCE again; the UID stays.
    later = new_start + dt.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.occurrence_move(office, series, first_day, later)
    method, event = _read(mail.outbox[-1])
    assert (method, int(event["sequence"])) == ("REQUEST", 2)
    assert str(event["uid"]) == event_uid(invited)
    assert len(mail.outbox) == 4


def test_cancelling_an_invited_occurrence_sends_method_cancel(
    office, series, first_day, invited, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change = services.occurrence_cancel(office, series, first_day)

    assert change.notified == 2
    invited.refresh_from_db()
    assert invited.status == Meeting.Status.CANCELLED
    assert invited.sequence == 1
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        method, event = _read(message)
        assert method == "CANCEL"
        assert str(event["uid"]) == event_uid(invited)
        assert int(event["sequence"]) == 1
        assert str(event["status"]) == "CANCELLED"
    assert SeriesOccurrence.objects.get(series=series, original_date=first_day).cancelled

    # Cancelling again changes and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        again = services.occurrence_cancel(office, series, first_day)
    assert again.notified == 0
    invited.refresh_from_db()
    assert invited.sequence == 1
    assert len(mail.outbox) == 2


def test_move_then_cancel_keeps_one_uid_and_a_rising_sequence(
    office, series, first_day, invited, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.occurrence_move(office, series, first_day, _at(first_day, 18))
    with django_capture_on_commit_callbacks(execute=True):
        services.occurrence_cancel(office, series, first_day)
    read = [_read(message) for message in mail.outbox]
    assert [(m, int(e["sequence"])) for m, e in read] == [
        ("REQUEST", 1),
        ("REQUEST", 1),
        ("CANCEL", 2),
        ("CANCEL", 2),
    ]
    assert {str(e["uid"]) for _m, e in read} == {event_uid(invited)}


def test_a_prepared_occurrence_not_yet_invited_moves_without_mail(
    office, series, first_day, django_capture_on_commit_callbacks
):
    meeting = services.occurrence_prepare(office, series, first_day)
    new_start = _at(first_day + dt.timedelta(days=2), 9)
    with django_capture_on_commit_callbacks(execute=True):
        change = services.occurrence_move(office, series, first_day, new_start)
    assert change.notified == 0
    meeting.refresh_from_db()
    assert meeting.starts_at == new_start
    assert meeting.ends_at == new_start + dt.timedelta(minutes=120)
    assert meeting.sequence == 0
    assert meeting.status == Meeting.Status.PLANNED
    assert mail.outbox == []
    assert not Invitation.objects.exists()


def test_cancelling_a_prepared_occurrence_not_yet_invited_sends_nothing(
    office, series, first_day, django_capture_on_commit_callbacks
):
    meeting = services.occurrence_prepare(office, series, first_day)
    with django_capture_on_commit_callbacks(execute=True):
        services.occurrence_cancel(office, series, first_day)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert mail.outbox == []


def test_a_member_who_never_got_the_invitation_gets_no_cancel(
    office, series, first_day, invited, django_capture_on_commit_callbacks
):
    """METHOD:CANCEL goes to those who received an invitation only."""
    from soest_office.tests.factories import UserFactory

    late = UserFactory(email="spaet@example.org")
    MembershipFactory(body=series.body, user=late)
    with django_capture_on_commit_callbacks(execute=True):
        services.occurrence_cancel(office, series, first_day)
    assert "spaet@example.org" not in {m.to[0] for m in mail.outbox}
    assert len(mail.outbox) == 2


def test_an_occurrence_whose_meeting_took_place_is_not_cancelled(office, series, first_day):
    meeting = services.occurrence_prepare(office, series, first_day)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    with pytest.raises(ValidationError, match="nicht mehr abgesagt"):
        services.occurrence_cancel(office, series, first_day)
    assert not SeriesOccurrence.objects.get(series=series, original_date=first_day).cancelled
    with pytest.raises(ValidationError, match="nicht mehr verschoben"):
        services.occurrence_move(office, series, first_day, _at(first_day, 18))
    occurrence = SeriesOccurrence.objects.get(series=series, original_date=first_day)
    assert occurrence.moved_to is None
    meeting.refresh_from_db()
    assert meeting.starts_at == series.first_start


def test_a_cancelled_occurrence_is_not_moved(office, series, first_day):
    services.occurrence_cancel(office, series, first_day)
    with pytest.raises(ValidationError, match="fällt aus"):
        services.occurrence_move(office, series, first_day, _at(first_day, 18))
    assert SeriesOccurrence.objects.get(series=series, original_date=first_day).moved_to is None


def test_the_series_page_says_the_update_goes_out(
    office, series, first_day, invited, client_for, django_capture_on_commit_callbacks
):
    url = reverse(
        "meetings:occurrence_action",
        args=[series.body.slug, series.pk, first_day.isoformat(), "verschieben"],
    )
    new_start = _at(first_day, 18)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(office).post(
            url,
            {
                f"{first_day.isoformat()}-new_start": timezone.localtime(new_start).strftime(
                    "%Y-%m-%dT%H:%M"
                )
            },
            follow=True,
        )
    html = response.content.decode()
    assert (
        f"Der Termin vom {first_day:%d.%m.%Y} ist verschoben auf "
        f"{first_day:%d.%m.%Y} 18:00." in html
    )
    assert "Die Eingeladenen erhalten eine Kalender-Aktualisierung." in html
    assert [_read(m)[0] for m in mail.outbox] == ["REQUEST", "REQUEST"]

    cancel = url.replace("verschieben", "absagen")
    with django_capture_on_commit_callbacks(execute=True):
        html = client_for(office).post(cancel, follow=True).content.decode()
    assert f"Der Termin vom {first_day:%d.%m.%Y} fällt aus." in html
    assert "Die Absage wird an die Eingeladenen versandt." in html
    assert [_read(m)[0] for m in mail.outbox[2:]] == ["CANCEL", "CANCEL"]


def test_moving_an_invited_occurrence_to_its_own_start_sends_nothing(
    office, series, first_day, invited, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change = services.occurrence_move(office, series, first_day, invited.starts_at)
    assert change.notified == 0
    invited.refresh_from_db()
    assert invited.sequence == 0
    assert mail.outbox == []
