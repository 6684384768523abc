import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from meetings.models import Meeting, MeetingSeries
from meetings.services import series as services

from .factories import BodyFactory


def _start(day: dt.date, hour=16):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@pytest.fixture
def four_weekly(db):
    return MeetingSeries.objects.create(
        body=BodyFactory(),
        title="Projektteam",
        rule=MeetingSeries.Rule.EVERY_WEEKS,
        every_weeks=4,
        first_start=_start(dt.date(2027, 1, 7)),
        until=dt.date(2027, 4, 1),
        template_agenda="Berichte der Kommunen | 30\nVerschiedenes",
    )


def test_every_four_weeks_until_a_date(four_weekly):
    days = [o.original_date for o in services.occurrences(four_weekly)]
    assert days == [
        dt.date(2027, 1, 7),
        dt.date(2027, 2, 4),
        dt.date(2027, 3, 4),
        dt.date(2027, 4, 1),
    ]


def test_first_thursday_of_each_quarter(db):
    series = MeetingSeries.objects.create(
        body=BodyFactory(),
        title="Lenkungskreis",
        rule=MeetingSeries.Rule.QUARTER_FIRST_WEEKDAY,
        first_start=_start(dt.date(2027, 1, 7)),  # a Thursday
        until=dt.date(2027, 12, 31),
    )
    assert services.regular_dates(series) == [
        dt.date(2027, 1, 7),
        dt.date(2027, 4, 1),
        dt.date(2027, 7, 1),
        dt.date(2027, 10, 7),
    ]


def test_one_occurrence_moved_and_one_cancelled_alone(office, four_weekly):
    services.occurrence_move(office, four_weekly, dt.date(2027, 2, 4), _start(dt.date(2027, 2, 5)))
    services.occurrence_cancel(office, four_weekly, dt.date(2027, 3, 4))
    found = {o.original_date: o for o in services.occurrences(four_weekly)}
    assert timezone.localtime(found[dt.date(2027, 2, 4)].start).date() == dt.date(2027, 2, 5)
    assert found[dt.date(2027, 3, 4)].cancelled
    assert not found[dt.date(2027, 1, 7)].cancelled
    assert timezone.localtime(found[dt.date(2027, 4, 1)].start).hour == 16


def test_prepared_occurrence_is_a_meeting_with_the_template_agenda(office, four_weekly):
    meeting = services.occurrence_prepare(office, four_weekly, dt.date(2027, 1, 7))
    assert [(i.title, i.duration_minutes) for i in meeting.agenda_items.all()] == [
        ("Berichte der Kommunen", 30),
        ("Verschiedenes", 15),
    ]
    assert services.occurrence_prepare(office, four_weekly, dt.date(2027, 1, 7)) == meeting
    services.occurrence_cancel(office, four_weekly, dt.date(2027, 1, 7))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert Meeting.objects.count() == 1


def test_bad_dates_and_roles_are_refused(office, partner_soest, four_weekly):
    with pytest.raises(ValidationError, match="keinen Termin"):
        services.occurrence_cancel(office, four_weekly, dt.date(2027, 1, 8))
    with pytest.raises(PermissionDenied):
        services.occurrence_cancel(partner_soest, four_weekly, dt.date(2027, 1, 7))
    services.occurrence_cancel(office, four_weekly, dt.date(2027, 2, 4))
    with pytest.raises(ValidationError, match="fällt aus"):
        services.occurrence_prepare(office, four_weekly, dt.date(2027, 2, 4))
