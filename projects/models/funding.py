from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from soest_office.access import RuledQuerySet
from soest_office.locking import VersionedModel

from .project import MONEY, Project


class FundingDecision(VersionedModel):
    """A Förderbescheid (or other grant) financing a project."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("Projekt"),
        on_delete=models.CASCADE,
        related_name="funding_decisions",
    )
    funder = models.CharField(_("Fördermittelgeber"), max_length=200)
    programme = models.CharField(_("Förderprogramm"), max_length=200, blank=True)
    reference = models.CharField(_("Aktenzeichen"), max_length=100, blank=True)
    decision_date = models.DateField(_("Datum des Bescheids"))
    period_start = models.DateField(_("Bewilligungszeitraum von"))
    period_end = models.DateField(_("Bewilligungszeitraum bis"))
    eligible_costs = models.DecimalField(_("zuwendungsfähige Ausgaben (€)"), **MONEY)
    funding_rate = models.DecimalField(_("Förderquote (%)"), max_digits=5, decimal_places=2)
    granted_amount = models.DecimalField(_("bewilligte Zuwendung (€)"), **MONEY)
    own_share = models.DecimalField(_("Eigenanteil (€)"), default=0, **MONEY)
    third_party_share = models.DecimalField(_("Mittel Dritter (€)"), default=0, **MONEY)
    # The Nebenbestimmungen (ANBest-G/ANBest-P Nr. 1.2): an Einzelansatz may be exceeded by
    # this share where savings on other lines cover it.
    deviation_percent = models.DecimalField(
        _("zulässige Überschreitung je Einzelansatz (%)"),
        max_digits=5,
        decimal_places=2,
        default=20,
    )
    interim_proof_months = models.PositiveSmallIntegerField(
        _("Zwischennachweis alle … Monate"), default=12
    )
    final_proof_months = models.PositiveSmallIntegerField(
        _("Verwendungsnachweis … Monate nach Ende des Bewilligungszeitraums"), default=6
    )

    objects = RuledQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Förderbescheid")
        verbose_name_plural = _("Förderbescheide")
        ordering = ["decision_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="funding_period_end_not_before_start",
                violation_error_message=_("Der Bewilligungszeitraum endet vor seinem Beginn."),
            ),
            models.CheckConstraint(
                condition=Q(funding_rate__gte=0) & Q(funding_rate__lte=100),
                name="funding_rate_between_0_and_100",
            ),
            models.CheckConstraint(
                condition=Q(granted_amount__gte=0) & Q(eligible_costs__gte=0) & Q(own_share__gte=0),
                name="funding_amounts_not_negative",
            ),
        ]

    def __str__(self):
        return " – ".join(p for p in (self.funder, self.programme, self.reference) if p)


class BudgetLine(VersionedModel):
    """A line of the project's cost plan (Kostenplan): planned against spent."""

    project = models.ForeignKey(
        Project, verbose_name=_("Projekt"), on_delete=models.CASCADE, related_name="budget_lines"
    )
    title = models.CharField(_("Position"), max_length=200)
    planned_amount = models.DecimalField(_("geplant (€)"), **MONEY)
    # Derived from the receipts (projects.services.ledger keeps it), never typed.
    spent_amount = models.DecimalField(_("ausgegeben (€)"), default=0, **MONEY)
    funding_decision = models.ForeignKey(
        FundingDecision,
        verbose_name=_("Förderbescheid"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
        help_text=_("Der Bescheid, in dessen Finanzierungsplan die Position steht."),
    )

    objects = RuledQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Budgetposition")
        verbose_name_plural = _("Budgetpositionen")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_amount__gte=0) & Q(spent_amount__gte=0),
                name="budget_line_amounts_not_negative",
            )
        ]

    def __str__(self):
        return self.title


class Drawdown(VersionedModel):
    """A Mittelabruf against a funding decision: requested, later received."""

    funding_decision = models.ForeignKey(
        FundingDecision,
        verbose_name=_("Förderbescheid"),
        on_delete=models.CASCADE,
        related_name="drawdowns",
    )
    requested_date = models.DateField(_("abgerufen am"))
    requested_amount = models.DecimalField(_("abgerufen (€)"), **MONEY)
    received_date = models.DateField(_("eingegangen am"), null=True, blank=True)
    received_amount = models.DecimalField(_("eingegangen (€)"), default=0, **MONEY)

    objects = RuledQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Mittelabruf")
        verbose_name_plural = _("Mittelabrufe")
        ordering = ["requested_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_amount__gte=0) & Q(received_amount__gte=0),
                name="drawdown_amounts_not_negative",
            )
        ]

    def __str__(self):
        return _("Mittelabruf vom %(date)s") % {"date": self.requested_date.strftime("%d.%m.%Y")}
