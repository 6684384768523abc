"""The ledger of a project: its receipts (Belege). Spent per budget line and spent to date
are derived from them (projects.services.money), never typed a second time."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from soest_office.access import RuledQuerySet
from soest_office.uploads import UploadTo

from .funding import BudgetLine
from .project import MONEY, Project


class Receipt(models.Model):
    """A Beleg: one paid (or still unpaid) expense booked against a budget line."""

    project = models.ForeignKey(
        Project, verbose_name=_("Projekt"), on_delete=models.CASCADE, related_name="receipts"
    )
    budget_line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("Budgetposition"),
        on_delete=models.PROTECT,
        related_name="receipts",
    )
    number = models.CharField(_("Belegnummer"), max_length=50, blank=True)
    receipt_date = models.DateField(_("Belegdatum"))
    payee = models.CharField(_("Empfänger"), max_length=200)
    purpose = models.CharField(_("Zweck"), max_length=300)
    net_amount = models.DecimalField(_("netto (€)"), **MONEY)
    gross_amount = models.DecimalField(_("brutto (€)"), **MONEY)
    payment_date = models.DateField(_("bezahlt am"), null=True, blank=True)
    file = models.FileField(
        _("Scan des Belegs"),
        upload_to=UploadTo("projekte/belege"),
        max_length=200,
        blank=True,
    )
    original_name = models.CharField(_("ursprünglicher Dateiname"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erfasst von"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    objects = RuledQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["file"])

    class Meta:
        verbose_name = _("Beleg")
        verbose_name_plural = _("Belege")
        ordering = ["receipt_date", "pk"]
        indexes = [models.Index(fields=["project", "payment_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(net_amount__gte=0) & Q(gross_amount__gte=F("net_amount")),
                name="receipt_amounts_plausible",
                violation_error_message=_(
                    "Der Bruttobetrag darf nicht kleiner als der Nettobetrag sein."
                ),
            ),
        ]

    def __str__(self):
        return _("Beleg %(number)s vom %(date)s (%(payee)s)") % {
            "number": self.number or f"#{self.pk}",
            "date": self.receipt_date.strftime("%d.%m.%Y"),
            "payee": self.payee,
        }

    def get_absolute_url(self):
        return reverse(
            "projects:receipt_download", kwargs={"slug": self.project.slug, "pk": self.pk}
        )
