from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from soest_office.access import RuledQuerySet

from .bodies import Body


class MeetingSeries(models.Model):
    """A body's regular meetings: every N weeks until a date, or the first given weekday of
    each quarter. An occurrence becomes a real Meeting when the office prepares it; one
    occurrence can be moved or cancelled alone (SeriesOccurrence)."""

    class Rule(models.TextChoices):
        EVERY_WEEKS = "every_weeks", _("alle N Wochen")
        QUARTER_FIRST_WEEKDAY = "quarter_first_weekday", _("erster Wochentag im Quartal")

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="series")
    title = models.CharField(_("Titel"), max_length=200)
    rule = models.CharField(_("Rhythmus"), max_length=25, choices=Rule.choices)
    first_start = models.DateTimeField(
        _("erster Termin"), help_text=_("Uhrzeit und, im Quartalsrhythmus, der Wochentag")
    )
    duration_minutes = models.PositiveSmallIntegerField(_("Dauer (Minuten)"), default=120)
    every_weeks = models.PositiveSmallIntegerField(_("alle … Wochen"), default=4)
    until = models.DateField(_("bis"))
    place = models.CharField(_("Ort"), max_length=200, blank=True)
    template_agenda = models.TextField(
        _("Vorlage der Tagesordnung"),
        blank=True,
        help_text=_("Ein Punkt je Zeile, optional mit Dauer: „Bericht des Büros | 20“"),
    )

    objects = RuledQuerySet.as_manager()

    class Meta:
        verbose_name = _("Sitzungsreihe")
        verbose_name_plural = _("Sitzungsreihen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(every_weeks__gte=1), name="meetings_series_every_week"
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.body})"

    def get_absolute_url(self):
        return reverse("meetings:series_detail", args=[self.body.slug, self.pk])


class SeriesOccurrence(models.Model):
    """What differs for one occurrence of a series (keyed by its regular date): moved to
    another time, cancelled, or prepared as a meeting."""

    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="overrides")
    original_date = models.DateField(_("regulärer Termin"))
    moved_to = models.DateTimeField(_("verschoben auf"), null=True, blank=True)
    cancelled = models.BooleanField(_("fällt aus"), default=False)
    meeting = models.OneToOneField(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="series_occurrence",
    )

    objects = RuledQuerySet.as_manager()

    class Meta:
        verbose_name = _("Termin einer Sitzungsreihe")
        verbose_name_plural = _("Termine von Sitzungsreihen")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "original_date"], name="meetings_occurrence_once"
            )
        ]

    def __str__(self):
        return f"{self.series}: {date_format(self.original_date, 'SHORT_DATE_FORMAT')}"
