"""A Verwendungs- or Zwischennachweis once created: the record the office keeps of it.

Creating a proof (the one-click button or the proof form) stores a draft record linked to
the export job that builds its file; the office marks it "eingereicht" with the date it went
to the funder. A submitted record ends the reminders for the proof it covers
(projects.services.proof.upcoming_dues)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from soest_office.access import RuledQuerySet

from .funding import FundingDecision


class ProofRecord(models.Model):
    class Kind(models.TextChoices):
        FINAL = "final", _("Verwendungsnachweis")
        INTERIM = "interim", _("Zwischennachweis")

    class Status(models.TextChoices):
        DRAFT = "draft", _("erstellt, nicht eingereicht")
        SUBMITTED = "submitted", _("eingereicht")

    funding_decision = models.ForeignKey(
        FundingDecision,
        verbose_name=_("Förderbescheid"),
        on_delete=models.CASCADE,
        related_name="proof_records",
    )
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices)
    date_from = models.DateField(_("Zeitraum von"))
    date_to = models.DateField(_("Zeitraum bis"))
    output = models.CharField(_("Format"), max_length=10, default="pdf")
    # The background export that built the file; export jobs are deleted after a while, the
    # record stays.
    export_job = models.ForeignKey(
        "soest_office.ExportJob",
        verbose_name=_("Export"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    submitted_on = models.DateField(_("eingereicht am"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eingereicht von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erstellt von"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("erstellt am"), auto_now_add=True)

    objects = RuledQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Nachweis")
        verbose_name_plural = _("Nachweise")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["funding_decision", "kind", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_to__gte=F("date_from")),
                name="proof_record_period_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_on__isnull=False),
                name="proof_record_submitted_has_date",
            ),
        ]

    def __str__(self):
        return _("%(kind)s %(start)s – %(end)s") % {
            "kind": self.get_kind_display(),
            "start": self.date_from.strftime("%d.%m.%Y"),
            "end": self.date_to.strftime("%d.%m.%Y"),
        }

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    def covers(self, kind: str, start, end) -> bool:
        """Whether this record stands for the proof of `kind` over `start`–`end`: the same
        kind over a period that contains it."""
        return self.kind == kind and self.date_from <= start and self.date_to >= end
