from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from soest_office import access


class FieldOfAction(models.Model):
    """A Handlungsfeld of the programme (created by a data migration)."""

    name = models.CharField(_("Name"), max_length=100, unique=True)
    slug = models.SlugField(_("Kürzel"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class ProjectQuerySet(models.QuerySet):
    """Scoping through soest_office.access; every view, export and search starts here."""

    def visible_to(self, user):
        return access.scope_projects_visible(self, user)

    def editable_by(self, user):
        """Projects whose reports, milestones and documents the user may change."""
        return access.scope_projects_editable(self, user)

    def active(self):
        return self.filter(archived_at__isnull=True)


class Project(models.Model):
    """An Einzelprojekt of the model region."""

    class Status(models.TextChoices):
        IDEA = "idea", _("Idee")
        PLANNED = "planned", _("geplant")
        IN_PROGRESS = "in_progress", _("in Umsetzung")
        COMPLETED = "completed", _("abgeschlossen")
        PAUSED = "paused", _("pausiert")
        CANCELLED = "cancelled", _("abgebrochen")

    class TrafficLight(models.TextChoices):
        GREEN = "green", _("grün")
        YELLOW = "yellow", _("gelb")
        RED = "red", _("rot")

    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=80, unique=True)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=500, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    field_of_action = models.ForeignKey(
        FieldOfAction,
        verbose_name=_("Handlungsfeld"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    lead_municipality = models.ForeignKey(
        "soest_office.Municipality",
        verbose_name=_("federführende Kommune"),
        on_delete=models.PROTECT,
        related_name="led_projects",
    )
    participating_municipalities = models.ManyToManyField(
        "soest_office.Municipality",
        verbose_name=_("beteiligte Kommunen"),
        blank=True,
        related_name="participating_projects",
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    traffic_light = models.CharField(
        _("Ampel"), max_length=10, choices=TrafficLight.choices, default=TrafficLight.GREEN
    )
    traffic_light_reason = models.TextField(_("Begründung der Ampel"), blank=True)
    is_public = models.BooleanField(_("öffentlich"), default=False)
    archived_at = models.DateTimeField(_("archiviert am"), null=True, blank=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("Einzelprojekt")
        verbose_name_plural = _("Einzelprojekte")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(traffic_light="green") | ~models.Q(traffic_light_reason=""),
                name="project_light_reason_unless_green",
                violation_error_message=_("Eine gelbe oder rote Ampel braucht eine Begründung."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:detail", kwargs={"slug": self.slug})
