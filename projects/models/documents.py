from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from soest_office.access import RuledQuerySet
from soest_office.uploads import UploadTo

from .project import Project


class Document(models.Model):
    """A file attached to a project, stored under a generated name and served only through
    the permission-checked download view (soest_office.uploads)."""

    class Kind(models.TextChoices):
        FUNDING_DECISION = "funding_decision", _("Förderbescheid")
        MINUTES = "minutes", _("Protokoll")
        REPORT = "report", _("Bericht")
        PRESENTATION = "presentation", _("Präsentation")
        CONCEPT = "concept", _("Konzept")
        OTHER = "other", _("Sonstiges")

    project = models.ForeignKey(
        Project, verbose_name=_("Projekt"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("Titel"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(_("Datei"), upload_to=UploadTo("projekte/dokumente"), max_length=200)
    original_name = models.CharField(_("ursprünglicher Dateiname"), max_length=200)
    size = models.PositiveBigIntegerField(_("Größe (Bytes)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hochgeladen von"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("hochgeladen am"), auto_now_add=True)
    is_public = models.BooleanField(
        _("öffentlich"),
        default=False,
        help_text=_("Auf der öffentlichen Projektseite zum Herunterladen anbieten."),
    )

    objects = RuledQuerySet.as_manager()

    class Meta:
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumente")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "projects:document_download", kwargs={"slug": self.project.slug, "pk": self.pk}
        )
