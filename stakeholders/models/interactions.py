"""The contact history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from soest_office.access import RuledQuerySet
from soest_office.choices import ChoiceDisplayMixin

from .contacts import Contact


class Interaction(ChoiceDisplayMixin, models.Model):
    """An entry of the contact history. After an erasure the row stays without contact
    and without text: an anonymous count per date, channel and project."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Telefon")
        EMAIL = "email", _("E-Mail")
        MEETING = "meeting", _("Termin")
        EVENT = "event", _("Veranstaltung")
        MAILING = "mailing", _("Pressemitteilung")

    contact = models.ForeignKey(
        Contact,
        verbose_name=_("Kontakt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interactions",
    )
    occurred_at = models.DateTimeField(_("Datum"))
    channel = models.CharField(_("Kanal"), max_length=10, choices=Channel.choices)
    summary = models.TextField(_("Zusammenfassung"), blank=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("Projekt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interactions",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erfasst von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("erfasst am"), auto_now_add=True)

    objects = RuledQuerySet.as_manager()

    class Meta:
        verbose_name = _("Kontakt-Eintrag")
        verbose_name_plural = _("Kontakthistorie")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["contact", "-occurred_at"])]

    def __str__(self):
        return f"{self.get_channel_display()} am {self.occurred_at:%d.%m.%Y}"
