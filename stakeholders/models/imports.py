"""Uploads of the contact import on their way through mapping, preview and commit."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def import_upload_to(instance, filename):
    return f"stakeholders/imports/{instance.token}.upload"


class ImportJob(models.Model):
    """An upload on its way through mapping, preview and an all-or-nothing commit."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("hochgeladen")
        PREVIEWED = "previewed", _("geprüft")
        QUEUED = "queued", _("in Warteschlange")
        RUNNING = "running", _("läuft")
        DONE = "done", _("abgeschlossen")
        FAILED = "failed", _("fehlgeschlagen")

    class DuplicateMode(models.TextChoices):
        SKIP = "skip", _("überspringen")
        UPDATE = "update", _("aktualisieren")
        CREATE = "create", _("trotzdem neu anlegen")

    token = models.CharField(max_length=32, unique=True, editable=False)
    file = models.FileField(_("Datei"), upload_to=import_upload_to)
    original_name = models.CharField(_("Dateiname"), max_length=255)
    file_format = models.CharField(_("Format"), max_length=5)
    encoding = models.CharField(_("Zeichenkodierung"), max_length=20, blank=True)
    delimiter = models.CharField(_("Trennzeichen"), max_length=1, blank=True)
    headers = models.JSONField(_("Spalten"), default=list)
    mapping = models.JSONField(_("Zuordnung"), default=dict)
    duplicate_mode = models.CharField(
        _("Dubletten"), max_length=10, choices=DuplicateMode.choices, default=DuplicateMode.SKIP
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.UPLOADED
    )
    total_rows = models.PositiveIntegerField(_("Zeilen"), default=0)
    processed_rows = models.PositiveIntegerField(_("verarbeitet"), default=0)
    created_count = models.PositiveIntegerField(_("neu"), default=0)
    updated_count = models.PositiveIntegerField(_("aktualisiert"), default=0)
    skipped_count = models.PositiveIntegerField(_("übersprungen"), default=0)
    error_message = models.TextField(_("Fehler"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    finished_at = models.DateTimeField(_("fertig am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Import")
        verbose_name_plural = _("Importe")
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("stakeholders:import_preview", kwargs={"token": self.token})

    @property
    def progress_percent(self):
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))
