"""Meeting series: the occurrences of a rule, one occurrence moved or cancelled alone, and an
occurrence prepared as a real meeting with the series' template agenda."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from soest_office import access
from soest_office.access import CHANGE, CREATE

from ..models import AgendaItem, Invitation, Meeting, MeetingSeries, SeriesOccurrence
from ..rules import SERIES
from . import invitations

QUARTER_MONTHS = (1, 4, 7, 10)


@dataclass(frozen=True)
class Occurrence:
    original_date: date
    start: datetime
    cancelled: bool = False
    meeting: Meeting | None = None


def regular_dates(series: MeetingSeries) -> list[date]:
    first = timezone.localtime(series.first_start).date()
    if series.rule == MeetingSeries.Rule.EVERY_WEEKS:
        step = timedelta(weeks=series.every_weeks)
        dates, current = [], first
        while current <= series.until:
            dates.append(current)
            current += step
        return dates
    weekday = first.weekday()
    dates = []
    year, month = first.year, max(m for m in QUARTER_MONTHS if m <= first.month)
    while True:
        day = date(year, month, 1)
        day += timedelta(days=(weekday - day.weekday()) % 7)
        if day > series.until:
            return dates
        if day >= first:
            dates.append(day)
        month += 3
        if month > 12:
            year, month = year + 1, month - 12


def _at(series, day: date) -> datetime:
    local = timezone.localtime(series.first_start)
    return timezone.make_aware(datetime.combine(day, local.time().replace(tzinfo=None)))


def occurrences(series: MeetingSeries) -> list[Occurrence]:
    overrides = {o.original_date: o for o in series.overrides.select_related("meeting")}
    result = []
    for day in regular_dates(series):
        override = overrides.get(day)
        start = _at(series, day)
        if override is None:
            result.append(Occurrence(day, start))
            continue
        result.append(
            Occurrence(
                day,
                override.moved_to or start,
                cancelled=override.cancelled,
                meeting=override.meeting,
            )
        )
    return result


def _override(user, series, day) -> SeriesOccurrence:
    series = SERIES.get_object(user, None, CHANGE, pk=series.pk)
    if day not in regular_dates(series):
        raise ValidationError(_("An diesem Tag hat die Reihe keinen Termin."))
    override, _created = SeriesOccurrence.objects.select_for_update().get_or_create(
        series=series, original_date=day
    )
    return override


@dataclass(frozen=True)
class OccurrenceChange:
    occurrence: SeriesOccurrence
    notified: int = 0  # calendar mails queued for the invited (update or cancellation)


def _queued(meeting) -> int:
    # Counted inside the transaction: the sending task runs only after the commit.
    return Invitation.objects.filter(meeting=meeting, status=Invitation.Status.QUEUED).count()


@transaction.atomic
def occurrence_move(user, series, day: date, new_start: datetime) -> OccurrenceChange:
    """Move one occurrence to a new start (atomic). A prepared occurrence's meeting moves
    along through `meeting_move`: when it is invited, everyone invited gets a calendar update
    (SEQUENCE rises, same UID). A cancelled occurrence is not moved."""
    override = _override(user, series, day)
    if override.cancelled:
        raise ValidationError(_("Dieser Termin der Reihe fällt aus."))
    override.moved_to = new_start
    override.save(update_fields=["moved_to"])
    if override.meeting_id is None:
        return OccurrenceChange(override)
    # Prepared already: the meeting moves along.
    override.meeting = invitations.meeting_move(user, override.meeting, starts_at=new_start)
    return OccurrenceChange(override, _queued(override.meeting))


@transaction.atomic
def occurrence_cancel(user, series, day: date) -> OccurrenceChange:
    """Cancel one occurrence (atomic, idempotent). A prepared occurrence's meeting is
    cancelled through `meeting_cancel`: whoever received its invitation gets METHOD:CANCEL.
    A meeting that already took place is refused, and nothing changes."""
    override = _override(user, series, day)
    override.cancelled = True
    override.save(update_fields=["cancelled"])
    meeting = override.meeting
    if meeting is None or meeting.status == Meeting.Status.CANCELLED:
        return OccurrenceChange(override)
    override.meeting = invitations.meeting_cancel(user, meeting)
    return OccurrenceChange(override, _queued(override.meeting))


def template_items(series) -> list[tuple[str, int]]:
    """The template agenda as (title, minutes); lenient with lines typed in the admin
    before the form checked them (a duration that is no number counts as 15 minutes)."""
    items = []
    for line in series.template_agenda.splitlines():
        title, _sep, minutes = line.partition("|")
        if title.strip():
            minutes = minutes.strip()
            items.append((title.strip(), int(minutes) if minutes.isdigit() else 15))
    return items


# Bounds of the series form: beyond them the input is a typing error, not a plan.
MAX_EVERY_WEEKS = 52
MAX_YEARS = 5
MAX_OCCURRENCES = 150
MAX_ITEM_MINUTES = 480
MAX_ITEM_TITLE = 250  # AgendaItem.title


def parse_template_agenda(text: str) -> list[tuple[str, int]]:
    """The template agenda as (title, minutes), strictly: one item per line, „Titel“ or
    „Titel | Minuten“; empty lines are skipped. Raises ValidationError with one German
    message per bad line."""
    items, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        title = parts[0]
        shown = line.strip()
        if len(parts) > 2:
            errors.append(
                _("Zeile %(n)d („%(line)s“): höchstens ein „|“ je Zeile (Titel | Minuten).")
                % {"n": number, "line": shown}
            )
            continue
        if not title:
            errors.append(
                _("Zeile %(n)d („%(line)s“): vor dem „|“ fehlt der Titel des Punkts.")
                % {"n": number, "line": shown}
            )
            continue
        if len(title) > MAX_ITEM_TITLE:
            errors.append(
                _("Zeile %(n)d: der Titel ist länger als %(max)d Zeichen.")
                % {"n": number, "max": MAX_ITEM_TITLE}
            )
            continue
        minutes = 15
        if len(parts) == 2:
            if not parts[1].isdigit() or not 1 <= int(parts[1]) <= MAX_ITEM_MINUTES:
                errors.append(
                    _(
                        "Zeile %(n)d („%(line)s“): die Dauer nach dem „|“ muss eine ganze Zahl "
                        "von 1 bis %(max)d Minuten sein, z. B. „Bericht des Büros | 20“."
                    )
                    % {"n": number, "line": shown, "max": MAX_ITEM_MINUTES}
                )
                continue
            minutes = int(parts[1])
        items.append((title, minutes))
    if errors:
        raise ValidationError(errors)
    return items


@transaction.atomic
def series_save(user, *, form) -> MeetingSeries:
    """Save the series form (atomic): a new series for the form instance's body, or the
    changes of an existing one. A change that would drop a regular date on which an
    occurrence was already moved, cancelled or prepared is refused with a German
    ValidationError, and nothing is saved."""
    series = form.instance
    if series.pk is None:
        access.require(SERIES.permits(user, CREATE))
        return form.save()
    SERIES.get_object(user, MeetingSeries.objects.select_for_update(), CHANGE, pk=series.pk)
    kept = set(regular_dates(series))
    lost = sorted(
        day
        for day in SeriesOccurrence.objects.filter(series_id=series.pk).values_list(
            "original_date", flat=True
        )
        if day not in kept
    )
    if lost:
        raise ValidationError(
            ngettext(
                "Mit diesen Angaben hätte die Reihe den Termin vom %(dates)s nicht mehr; er ist "
                "bereits verschoben, abgesagt oder als Sitzung vorbereitet. Bitte Rhythmus, "
                "ersten Termin und Enddatum so wählen, dass er bleibt.",
                "Mit diesen Angaben hätte die Reihe die Termine vom %(dates)s nicht mehr; sie "
                "sind bereits verschoben, abgesagt oder als Sitzung vorbereitet. Bitte Rhythmus, "
                "ersten Termin und Enddatum so wählen, dass sie bleiben.",
                len(lost),
            )
            % {"dates": ", ".join(date_format(day, "SHORT_DATE_FORMAT") for day in lost)}
        )
    return form.save()


@transaction.atomic
def occurrence_prepare(user, series, day: date) -> Meeting:
    """The occurrence as a real meeting, with the template agenda (idempotent)."""
    override = _override(user, series, day)
    if override.cancelled:
        raise ValidationError(_("Dieser Termin der Reihe fällt aus."))
    if override.meeting_id:
        return override.meeting
    start = override.moved_to or _at(series, day)
    meeting = Meeting.objects.create(
        body=series.body,
        title=series.title,
        starts_at=start,
        ends_at=start + timedelta(minutes=series.duration_minutes),
        place=series.place,
    )
    for position, (title, minutes) in enumerate(template_items(series), start=1):
        AgendaItem.objects.create(
            meeting=meeting, position=position, title=title, duration_minutes=minutes
        )
    override.meeting = meeting
    override.save(update_fields=["meeting"])
    return meeting
