import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from soest_office.access import RuledQuerySet
from soest_office.choices import ChoiceDisplayMixin
from soest_office.locking import VersionedModel

MONEY = {"max_digits": 14, "decimal_places": 2}


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


def _subquery_value(qs, field, output_field):
    return Subquery(qs.values(field)[:1], output_field=output_field)


def no_report_since_q(days: int, *, today=None) -> Q:
    """No accepted report within `days` days: the latest report date (else the start date,
    else the creation date) lies before the cutoff."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=days)
    return (
        Q(last_report_date__lt=cutoff)
        | Q(last_report_date__isnull=True, start_date__lt=cutoff)
        | Q(last_report_date__isnull=True, start_date__isnull=True, created_at__date__lt=cutoff)
    )


class ProjectQuerySet(RuledQuerySet):
    """Scoped by the app's rule (projects/rules.py): `visible_to(user)`, `permitted(user,
    verb)`; every view, export and search starts here."""

    def editable_by(self, user):
        """Projects whose reports, milestones and documents the user may change."""
        from ..rules import CONTRIBUTE

        return self.permitted(user, CONTRIBUTE)

    def active(self):
        return self.filter(archived_at__isnull=True)

    def with_figures(self, *, today=None):
        """Annotate what lists, the dashboard and exports show, as correlated subqueries
        so that no join multiplies rows and the query count stays constant: granted,
        drawn and spent as of `today` (the figures of money_as_of, the one read function:
        projects.services.money), overdue_milestones, next_milestone_date."""
        from ..services.money import money_annotations

        today = today or timezone.localdate()
        figures = money_annotations(today)
        overdue = (
            Milestone.objects.filter(project=OuterRef("pk"), done_date__isnull=True)
            .filter(due_date__lt=today)
            .order_by()
            .values("project")
            .annotate(n=Count("pk"))
            .values("n")
        )
        next_due = Milestone.objects.filter(
            project=OuterRef("pk"), done_date__isnull=True, due_date__gte=today
        ).order_by("due_date")
        return self.annotate(
            granted=figures["granted"],
            drawn=figures["drawn"],
            spent=figures["spent"],
            overdue_milestones=Coalesce(
                Subquery(overdue, output_field=models.IntegerField()), Value(0)
            ),
            next_milestone_date=_subquery_value(next_due, "due_date", models.DateField()),
        )

    def without_report_since(self, days: int, *, today=None):
        """Projects whose latest accepted report is older than `days` days (or that have none
        and started more than `days` days ago)."""
        return self.filter(no_report_since_q(days, today=today))

    def with_overdue_milestones(self, *, today=None):
        today = today or timezone.localdate()
        overdue = Milestone.objects.filter(done_date__isnull=True, due_date__lt=today).values(
            "project_id"
        )
        return self.filter(pk__in=overdue)

    def involving(self, municipality_id):
        """Led by or with participation of the municipality (no duplicate rows): the "own
        projects" of the rules."""
        from ..rules import involving

        return self.filter(involving(municipality_id))


class Project(ChoiceDisplayMixin, VersionedModel):
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
    next_steps = models.TextField(_("nächste Schritte"), blank=True)
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
    start_date = models.DateField(_("Beginn"), null=True, blank=True)
    planned_end_date = models.DateField(_("geplantes Ende"), null=True, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verantwortlich im Projektbüro"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_projects",
    )
    total_budget = models.DecimalField(_("Gesamtbudget (€)"), default=0, **MONEY)
    # Taken over from the latest accepted progress report (report_accept).
    spent_to_date = models.DecimalField(_("bisher ausgegeben (€)"), default=0, **MONEY)
    percent_complete = models.PositiveSmallIntegerField(_("Fortschritt (%)"), default=0)
    last_report_date = models.DateField(_("Stichtag des letzten Berichts"), null=True, blank=True)
    transferability = models.TextField(
        _("Übertragbarkeit"),
        blank=True,
        help_text=_("Was brauchen andere Regionen, um die Lösung zu übernehmen?"),
    )
    is_public = models.BooleanField(_("öffentlich"), default=False)
    # Money stays internal unless the office publishes the granted funding of a public project.
    funding_is_public = models.BooleanField(
        _("Fördersumme öffentlich"),
        default=False,
        help_text=_("Die bewilligte Fördersumme auf der öffentlichen Projektseite zeigen."),
    )
    archived_at = models.DateTimeField(_("archiviert am"), null=True, blank=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = ProjectQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

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
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(planned_end_date__isnull=True)
                | Q(planned_end_date__gte=models.F("start_date")),
                name="project_end_not_before_start",
                violation_error_message=_("Das geplante Ende liegt vor dem Beginn."),
            ),
            models.CheckConstraint(
                condition=Q(percent_complete__lte=100),
                name="project_percent_at_most_100",
            ),
            models.CheckConstraint(
                condition=Q(total_budget__gte=0) & Q(spent_to_date__gte=0),
                name="project_money_not_negative",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:detail", kwargs={"slug": self.slug})

    @property
    def light_css(self):
        return {"green": "gruen", "yellow": "gelb", "red": "rot"}[self.traffic_light]


class ProjectContact(models.Model):
    """The contact person of one municipality for one project: receives the reminders."""

    project = models.ForeignKey(
        Project, verbose_name=_("Projekt"), on_delete=models.CASCADE, related_name="contacts"
    )
    municipality = models.ForeignKey(
        "soest_office.Municipality", verbose_name=_("Kommune"), on_delete=models.PROTECT
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Ansprechperson"),
        on_delete=models.CASCADE,
        related_name="project_contacts",
    )

    objects = RuledQuerySet.as_manager()

    class Meta:
        verbose_name = _("Ansprechperson")
        verbose_name_plural = _("Ansprechpersonen")
        ordering = ["municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "municipality"],
                name="one_contact_per_project_and_municipality",
                violation_error_message=_(
                    "Für diese Kommune gibt es schon eine Ansprechperson im Projekt."
                ),
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.municipality})"


class MilestoneQuerySet(RuledQuerySet):
    def overdue(self, *, today=None):
        return self.filter(done_date__isnull=True, due_date__lt=today or timezone.localdate())

    def open(self):
        return self.filter(done_date__isnull=True)


class Milestone(ChoiceDisplayMixin, VersionedModel):
    project = models.ForeignKey(
        Project, verbose_name=_("Projekt"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("Titel"), max_length=200)
    due_date = models.DateField(_("fällig am"))
    done_date = models.DateField(_("erledigt am"), null=True, blank=True)
    note = models.TextField(_("Notiz"), blank=True)
    is_public = models.BooleanField(
        _("öffentlich"),
        default=False,
        help_text=_("Auf der öffentlichen Projektseite zeigen (nur bei öffentlichen Projekten)."),
    )

    objects = MilestoneQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")
        ordering = ["due_date", "pk"]
        indexes = [
            # Open milestones by due date: overdue and upcoming ones on the dashboard.
            models.Index(
                fields=["due_date"],
                condition=Q(done_date__isnull=True),
                name="milestone_open_due_idx",
            )
        ]

    def __str__(self):
        return self.title

    def is_overdue(self, today=None):
        return self.done_date is None and self.due_date < (today or timezone.localdate())

    @property
    def overdue(self):
        return self.is_overdue()
