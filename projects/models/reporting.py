from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from soest_office.access import RuledQuerySet
from soest_office.choices import ChoiceDisplayMixin
from soest_office.locking import VersionedModel

from .project import MONEY, Project

# The fields a report's snapshot freezes and the "what changed" comparison reads.
SNAPSHOT_FIELDS = [
    "reporting_date",
    "percent_complete",
    "traffic_light",
    "traffic_light_reason",
    "achieved",
    "next_steps",
    "risks",
    "spent_to_date",
]


class ProgressReportQuerySet(RuledQuerySet):
    """Scoped by the report rule (projects/rules.py): drafts and returned reports only for
    those who may edit the project's content."""

    def with_previous_accepted(self):
        """Annotate `previous_snapshot`: the snapshot of the project's latest accepted report
        before this one (by reporting date, then id), or None. Accepted reports are visible
        to every intranet role, so the comparison shows nobody anything new."""
        previous = (
            self.model._default_manager.filter(
                project=OuterRef("project"), status=ProgressReport.Status.ACCEPTED
            )
            # The plain range on the date lets the index on (project, status, date) seek.
            .filter(reporting_date__lte=OuterRef("reporting_date"))
            .filter(
                Q(reporting_date__lt=OuterRef("reporting_date"))
                | Q(reporting_date=OuterRef("reporting_date"), pk__lt=OuterRef("pk"))
            )
            .order_by("-reporting_date", "-pk")
            .values("snapshot")[:1]
        )
        return self.annotate(previous_snapshot=Subquery(previous, output_field=models.JSONField()))


class ProgressReport(ChoiceDisplayMixin, VersionedModel):
    """A Sachstandsbericht: a partner submits it, the office accepts or returns it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        SUBMITTED = "submitted", _("eingereicht")
        ACCEPTED = "accepted", _("angenommen")
        RETURNED = "returned", _("zurückgegeben")

    project = models.ForeignKey(
        Project, verbose_name=_("Projekt"), on_delete=models.CASCADE, related_name="reports"
    )
    municipality = models.ForeignKey(
        "soest_office.Municipality",
        verbose_name=_("berichtende Kommune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_reports",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verfasst von"),
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    reporting_date = models.DateField(_("Stichtag"))
    percent_complete = models.PositiveSmallIntegerField(_("Fortschritt (%)"))
    traffic_light = models.CharField(
        _("Ampel"), max_length=10, choices=Project.TrafficLight.choices
    )
    traffic_light_reason = models.TextField(_("Begründung der Ampel"), blank=True)
    achieved = models.TextField(_("Was wurde erreicht?"))
    next_steps = models.TextField(_("Nächste Schritte"), blank=True)
    risks = models.TextField(_("Risiken und Unterstützungsbedarf"), blank=True)
    spent_to_date = models.DecimalField(_("bisher ausgegeben (€)"), **MONEY)
    status = models.CharField(
        _("Status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("eingereicht am"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("geprüft am"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geprüft von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    review_comment = models.TextField(_("Kommentar des Projektbüros"), blank=True)
    # Frozen on acceptance: the report's fields and the project's key figures of that day.
    snapshot = models.JSONField(_("Stand bei Annahme"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    objects = ProgressReportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Sachstandsbericht")
        verbose_name_plural = _("Sachstandsberichte")
        ordering = ["-reporting_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_complete__lte=100),
                name="report_percent_at_most_100",
                violation_error_message=_("Der Fortschritt muss zwischen 0 und 100 % liegen."),
            ),
            models.CheckConstraint(
                condition=Q(spent_to_date__gte=0), name="report_spent_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(status="accepted", snapshot__isnull=False) | ~Q(status="accepted"),
                name="accepted_report_has_snapshot",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "status", "reporting_date"]),
            # The report lists, newest first: across projects and of one project (keyset).
            models.Index(fields=["reporting_date", "id"], name="report_date_id_idx"),
            models.Index(
                fields=["project", "reporting_date", "id"], name="report_project_date_id_idx"
            ),
            # The reports waiting for review (the office's inbox count, after every write):
            # counted from the index alone.
            models.Index(
                fields=["id"], condition=Q(status="submitted"), name="report_submitted_idx"
            ),
        ]

    def __str__(self):
        return _("Bericht zum %(date)s") % {"date": self.reporting_date.strftime("%d.%m.%Y")}

    def get_absolute_url(self):
        return reverse("projects:report_detail", kwargs={"slug": self.project.slug, "pk": self.pk})

    @property
    def is_editable_state(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def light_css(self):
        return {"green": "gruen", "yellow": "gelb", "red": "rot"}[self.traffic_light]

    def values(self) -> dict:
        """The report's content as JSON-ready values (the snapshot's report part)."""
        if self.snapshot:
            return self.snapshot["report"]
        return {
            "reporting_date": self.reporting_date.isoformat(),
            "percent_complete": self.percent_complete,
            "traffic_light": self.traffic_light,
            "traffic_light_reason": self.traffic_light_reason,
            "achieved": self.achieved,
            "next_steps": self.next_steps,
            "risks": self.risks,
            "spent_to_date": str(self.spent_to_date),
        }
