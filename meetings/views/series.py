"""The page of a meeting series: its rhythm, template agenda and occurrences; the office
moves, cancels or prepares one occurrence from there (services/series.py)."""

from datetime import date, datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from soest_office import access
from soest_office.access import CHANGE, CREATE, VIEW

from ..forms import SeriesForm
from ..models import Meeting, MeetingSeries
from ..rules import BODY, SERIES
from ..services import series as series_services
from .base import refused, require_view

ACTIONS = {"verschieben": "move", "absagen": "cancel", "vorbereiten": "prepare"}


class MoveForm(forms.Form):
    new_start = forms.DateTimeField(
        label=gettext_lazy("neuer Beginn"),
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "class": "form-control form-control-sm"},
            format="%Y-%m-%dT%H:%M",
        ),
        input_formats=["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"],
        error_messages={
            "required": gettext_lazy("Bitte den neuen Beginn angeben."),
            "invalid": gettext_lazy("Bitte Datum und Uhrzeit angeben, z. B. 05.03.2027 17:00."),
        },
    )


def _get_series(request, slug, pk, verb=VIEW) -> MeetingSeries:
    require_view(request, SERIES)
    return SERIES.get_object(
        request.user, MeetingSeries.objects.select_related("body"), verb, pk=pk, body__slug=slug
    )


def _short(value: date | datetime) -> str:
    """A date or a moment in the German short format (05.03.2027, 05.03.2027 17:30)."""
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    return date_format(value, "SHORT_DATE_FORMAT")


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise Http404 from error


def series_page(request, series, *, move_errors=None, status=200):
    user = request.user
    occurrences = series_services.occurrences(series)
    # A prepared occurrence links its meeting only for those who may see that meeting.
    meeting_ids = [o.meeting.pk for o in occurrences if o.meeting is not None]
    visible = set(
        Meeting.objects.visible_to(user).filter(pk__in=meeting_ids).values_list("pk", flat=True)
    )
    now = timezone.now()
    rows = [
        {
            "occurrence": o,
            "meeting": o.meeting if o.meeting is not None and o.meeting.pk in visible else None,
            "moved": o.start != series_services._at(series, o.original_date),
            "past": o.start < now,
            "move_form": (move_errors or {}).get(o.original_date)
            or MoveForm(
                initial={"new_start": timezone.localtime(o.start)},
                prefix=o.original_date.isoformat(),
            ),
        }
        for o in occurrences
    ]
    return render(
        request,
        "meetings/series_detail.html",
        {
            "series": series,
            "body": series.body,
            "rows": rows,
            "template_items": series_services.template_items(series),
            "can_change": SERIES.allows(user, series, CHANGE),
        },
        status=status,
    )


@require_safe
def series_detail(request, slug, pk):
    return series_page(request, _get_series(request, slug, pk))


@require_http_methods(["GET", "HEAD", "POST"])
def series_form(request, slug, pk=None):
    """Create (pk None) or edit a body's series: the office's, by the SERIES rule."""
    require_view(request, SERIES)
    if pk is None:
        body = BODY.get_object(request.user, None, slug=slug)
        access.require(SERIES.permits(request.user, CREATE))
        series = MeetingSeries(body=body)
    else:
        series = _get_series(request, slug, pk, CHANGE)
        body = series.body
    form = SeriesForm(request.POST or None, instance=series)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = series_services.series_save(request.user, form=form)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Die Sitzungsreihe ist gespeichert."))
                return redirect(saved.get_absolute_url())
        status = 400
    return render(
        request,
        "meetings/series_form.html",
        {
            "form": form,
            "body": body,
            "series": series if pk is not None else None,
            "title": _("Sitzungsreihe bearbeiten") if pk is not None else _("Neue Sitzungsreihe"),
            "cancel_url": series.get_absolute_url() if pk is not None else body.get_absolute_url(),
        },
        status=status,
    )


@require_POST
def occurrence_action(request, slug, pk, day, action):
    series = _get_series(request, slug, pk, CHANGE)
    day = _day(day)
    name = ACTIONS.get(action)
    url = series.get_absolute_url()
    user = request.user
    try:
        if name == "move":
            form = MoveForm(request.POST, prefix=day.isoformat())
            if not form.is_valid():
                # Keep what was typed, with the German error, on the series page.
                return series_page(request, series, move_errors={day: form}, status=400)
            new_start = form.cleaned_data["new_start"]
            if isinstance(new_start, datetime) and timezone.is_naive(new_start):
                new_start = timezone.make_aware(new_start)
            change = series_services.occurrence_move(user, series, day, new_start)
            messages.success(
                request,
                _("Der Termin vom %(d)s ist verschoben auf %(n)s.")
                % {"d": _short(day), "n": _short(new_start)},
            )
            if change.notified:
                messages.info(request, _("Die Eingeladenen erhalten eine Kalender-Aktualisierung."))
        elif name == "cancel":
            change = series_services.occurrence_cancel(user, series, day)
            messages.success(request, _("Der Termin vom %(d)s fällt aus.") % {"d": _short(day)})
            if change.notified:
                messages.info(request, _("Die Absage wird an die Eingeladenen versandt."))
        elif name == "prepare":
            meeting = series_services.occurrence_prepare(user, series, day)
            messages.success(
                request,
                _("Der Termin vom %(d)s ist als Sitzung vorbereitet.") % {"d": _short(day)},
            )
            return redirect(meeting.get_absolute_url())
        else:
            raise ValidationError(_("Unbekannte Aktion."))
    except ValidationError as error:
        return refused(request, error, url)
    return redirect(url)
