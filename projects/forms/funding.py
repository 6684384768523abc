"""Forms of a project's money: funding decisions, budget lines and drawdowns, checked
against each other and the project's budget."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from soest_office.locking import VersionedFormMixin

from .. import display, selectors
from ..models import BudgetLine, Drawdown, FundingDecision, Project
from .common import ROUNDING_TOLERANCE, DateInput, money_field

OPTIONAL_WITH_DEFAULT = (
    "third_party_share",
    "deviation_percent",
    "interim_proof_months",
    "final_proof_months",
)


class FundingDecisionForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = FundingDecision
        fields = [
            "funder",
            "programme",
            "reference",
            "decision_date",
            "period_start",
            "period_end",
            "eligible_costs",
            "funding_rate",
            "granted_amount",
            "own_share",
            "third_party_share",
            "deviation_percent",
            "interim_proof_months",
            "final_proof_months",
        ]
        widgets = {
            "decision_date": DateInput,
            "period_start": DateInput,
            "period_end": DateInput,
        }

    def __init__(self, *args, project: Project, **kwargs):
        self.project = project
        super().__init__(*args, **kwargs)
        self.instance.project = project
        for name in (
            "eligible_costs",
            "funding_rate",
            "granted_amount",
            "own_share",
            "third_party_share",
            "deviation_percent",
        ):
            money_field(self.fields[name])
        # Settings of the proof of use: the NRW defaults unless the decision says otherwise.
        for name in OPTIONAL_WITH_DEFAULT:
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        for name in OPTIONAL_WITH_DEFAULT:
            if data.get(name) is None and name not in self.errors:
                data[name] = FundingDecision._meta.get_field(name).default
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Der Bewilligungszeitraum endet vor seinem Beginn."))
        rate = data.get("funding_rate")
        if rate is not None and not 0 <= rate <= 100:
            self.add_error("funding_rate", _("Die Förderquote muss zwischen 0 und 100 % liegen."))
            rate = None
        eligible, granted = data.get("eligible_costs"), data.get("granted_amount")
        own = data.get("own_share") or Decimal(0)
        third = data.get("third_party_share") or Decimal(0)
        deviation = data.get("deviation_percent")
        if deviation is not None and not 0 <= deviation <= 100:
            self.add_error(
                "deviation_percent", _("Die Überschreitung muss zwischen 0 und 100 % liegen.")
            )
        for name in ("eligible_costs", "granted_amount", "own_share", "third_party_share"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("Der Betrag darf nicht negativ sein."))
                return data
        if None not in (eligible, granted, rate):
            expected = (eligible * rate / 100).quantize(Decimal("0.01"))
            if abs(expected - granted) > ROUNDING_TOLERANCE:
                self.add_error(
                    "granted_amount",
                    _(
                        "Zuwendung und Förderquote passen nicht zusammen: %(rate)s %% von "
                        "%(eligible)s sind %(expected)s."
                    )
                    % {
                        "rate": str(rate).replace(".", ","),
                        "eligible": display.format_euro(eligible),
                        "expected": display.format_euro(expected),
                    },
                )
            elif (own or third) and abs(granted + own + third - eligible) > ROUNDING_TOLERANCE:
                self.add_error(
                    "own_share",
                    _(
                        "Zuwendung, Eigenanteil und Mittel Dritter ergeben zusammen nicht "
                        "die zuwendungsfähigen Ausgaben."
                    ),
                )
        if granted is not None:
            others = selectors.granted_total(self.project, exclude_pk=self.instance.pk)
            if others + granted > self.project.total_budget + ROUNDING_TOLERANCE:
                self.add_error(
                    "granted_amount",
                    _(
                        "Die Förderung insgesamt (%(total)s) wäre höher als das Budget des "
                        "Projekts (%(budget)s). Bitte zuerst das Budget anpassen."
                    )
                    % {
                        "total": display.format_euro(others + granted),
                        "budget": display.format_euro(self.project.total_budget),
                    },
                )
        return data


class BudgetLineForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["title", "funding_decision", "planned_amount"]

    def __init__(self, *args, project: Project, **kwargs):
        self.project = project
        super().__init__(*args, **kwargs)
        self.instance.project = project
        # Spent is derived from the receipts (services.ledger), never typed here.
        self.fields["funding_decision"].queryset = project.funding_decisions.all()
        self.fields["funding_decision"].error_messages["invalid_choice"] = _(
            "Bitte einen Förderbescheid dieses Projekts wählen."
        )
        money_field(self.fields["planned_amount"])

    def clean(self):
        data = super().clean()
        planned = data.get("planned_amount")
        if planned is not None and planned < 0:
            self.add_error("planned_amount", _("Der Betrag darf nicht negativ sein."))
        return data


class DrawdownForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Drawdown
        fields = [
            "funding_decision",
            "requested_date",
            "requested_amount",
            "received_date",
            "received_amount",
        ]
        widgets = {"requested_date": DateInput, "received_date": DateInput}

    def __init__(self, *args, project: Project, **kwargs):
        self.project = project
        super().__init__(*args, **kwargs)
        self.fields["funding_decision"].queryset = project.funding_decisions.all()
        money_field(self.fields["requested_amount"])
        money_field(self.fields["received_amount"])

    def clean(self):
        data = super().clean()
        decision = data.get("funding_decision")
        requested = data.get("requested_amount")
        received = data.get("received_amount") or Decimal(0)
        if requested is not None and requested <= 0:
            self.add_error("requested_amount", _("Der abgerufene Betrag muss größer als 0 sein."))
        if received < 0:
            self.add_error("received_amount", _("Der Betrag darf nicht negativ sein."))
        if requested is not None and received > requested:
            self.add_error(
                "received_amount", _("Es kann nicht mehr eingehen, als abgerufen wurde.")
            )
        if received > 0 and not data.get("received_date"):
            self.add_error("received_date", _("Bitte das Eingangsdatum angeben."))
        requested_date, received_date = data.get("requested_date"), data.get("received_date")
        if requested_date and received_date and received_date < requested_date:
            self.add_error("received_date", _("Der Eingang liegt vor dem Abruf."))
        if decision and requested is not None:
            others = selectors.drawn_total(decision, exclude_pk=self.instance.pk)
            if others + requested > decision.granted_amount + ROUNDING_TOLERANCE:
                self.add_error(
                    "requested_amount",
                    _("Insgesamt würden %(total)s abgerufen, bewilligt sind nur %(granted)s.")
                    % {
                        "total": display.format_euro(others + requested),
                        "granted": display.format_euro(decision.granted_amount),
                    },
                )
        return data
