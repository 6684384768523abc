"""The iCalendar (RFC 5545 / iTIP RFC 5546) attachment of invitation mails: one stable UID per
meeting, SEQUENCE rising with every change sent, METHOD REQUEST or CANCEL."""

from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Projektbuero Digitale Modellregion Soest//Sitzungen//DE"


def event_uid(meeting) -> str:
    return f"{meeting.uid}@sitzungen.modellregion-soest.de"


def _organizer() -> vCalAddress:
    from email.utils import parseaddr

    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    if name:
        organizer.params["cn"] = vText(name)
    return organizer


def build_ical(meeting, *, method: str, sequence: int, attendees=()) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", event_uid(meeting))
    event.add("sequence", sequence)
    event.add("dtstamp", datetime.now(UTC).replace(microsecond=0))
    event.add("dtstart", timezone.localtime(meeting.starts_at).replace(microsecond=0))
    event.add("dtend", timezone.localtime(meeting.ends_at).replace(microsecond=0))
    event.add("summary", f"{meeting.body.name}: {meeting.title}")
    location = meeting.place or meeting.video_url
    if location:
        event.add("location", location)
    description = settings.SITE_URL + meeting.get_absolute_url()
    if meeting.video_url:
        description = f"{meeting.video_url}\n{description}"
    event.add("description", description)
    event.add("url", settings.SITE_URL + meeting.get_absolute_url())
    event.add("organizer", _organizer())
    for user in attendees:
        attendee = vCalAddress(f"mailto:{user.email}")
        attendee.params["cn"] = vText(user.get_full_name() or user.get_username())
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        attendee.params["rsvp"] = vText("FALSE")
        event.add("attendee", attendee, encode=0)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
