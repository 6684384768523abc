"""The page of a meeting series: its rhythm, template agenda and occurrences; the office
moves, cancels or prepares one occurrence from there (services/series.py)."""

from datetime import date, datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from soest_office.access import CHANGE, VIEW

from ..models import Meeting, MeetingSeries
from ..rules import SERIES
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
            series_services.occurrence_move(user, series, day, new_start)
            messages.success(
                request,
                _("Der Termin vom %(d)s ist verschoben auf %(n)s.")
                % {
                    "d": day.strftime("%d.%m.%Y"),
                    "n": timezone.localtime(new_start).strftime("%d.%m.%Y %H:%M"),
                },
            )
        elif name == "cancel":
            series_services.occurrence_cancel(user, series, day)
            messages.success(
                request, _("Der Termin vom %(d)s fällt aus.") % {"d": day.strftime("%d.%m.%Y")}
            )
        elif name == "prepare":
            meeting = series_services.occurrence_prepare(user, series, day)
            messages.success(
                request,
                _("Der Termin vom %(d)s ist als Sitzung vorbereitet.")
                % {"d": day.strftime("%d.%m.%Y")},
            )
            return redirect(meeting.get_absolute_url())
        else:
            raise ValidationError(_("Unbekannte Aktion."))
    except ValidationError as error:
        return refused(request, error, url)
    return redirect(url)
