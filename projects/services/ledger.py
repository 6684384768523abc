"""Writes of the ledger: booking, changing and deleting receipts (Belege).

After every write the derived figures are refreshed in the same transaction: the budget
line's `spent_amount` and the project's `spent_to_date` are the sums of the receipts paid
so far (gross), never typed (projects.services.money reads them as of any date)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from soest_office.access import CHANGE, require

from ..display import format_euro
from ..models import BudgetLine, Project, Receipt
from ..rules import RECEIPT

# No receipt of the programme comes near this (a sanity bound against typos like 1e9).
RECEIPT_MAX_AMOUNT = Decimal("5000000")
# The highest German VAT rate: gross above net plus 19 % is a typo, not a receipt.
MAX_VAT = Decimal("0.19")
ZERO = Decimal(0)


@dataclass
class ReceiptInput:
    budget_line: BudgetLine
    receipt_date: datetime.date
    payee: str
    purpose: str
    net_amount: Decimal
    gross_amount: Decimal
    payment_date: datetime.date | None = None
    number: str = ""
    upload: object = None


@dataclass
class LedgerResult:
    receipt: Receipt
    warnings: list[str] = field(default_factory=list)


def receipt_errors(project: Project, data: ReceiptInput, *, today=None) -> dict[str, str]:
    """The refusals, per field, in German (empty: the receipt may be booked)."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    net, gross = data.net_amount, data.gross_amount
    for name, value in (("net_amount", net), ("gross_amount", gross)):
        if value is None:
            continue
        if value < 0:
            errors[name] = _("Der Betrag darf nicht negativ sein.")
        elif value > RECEIPT_MAX_AMOUNT:
            errors[name] = _(
                "%(amount)s ist für einen einzelnen Beleg nicht plausibel (höchstens %(max)s)."
            ) % {"amount": format_euro(value), "max": format_euro(RECEIPT_MAX_AMOUNT)}
    if not errors and gross is not None and net is not None:
        if gross <= 0:
            errors["gross_amount"] = _("Der Bruttobetrag muss größer als 0 sein.")
        elif gross < net:
            errors["gross_amount"] = _(
                "Der Bruttobetrag darf nicht kleiner als der Nettobetrag sein."
            )
        elif gross > (net * (1 + MAX_VAT)).quantize(Decimal("0.01")) + Decimal("0.01"):
            errors["gross_amount"] = _(
                "Brutto liegt mehr als 19 %% über netto – bitte die Beträge prüfen."
            )
        elif project.total_budget and gross > project.total_budget:
            errors["gross_amount"] = _(
                "Der Beleg (%(amount)s) ist höher als das gesamte Budget des Projekts (%(budget)s)."
            ) % {"amount": format_euro(gross), "budget": format_euro(project.total_budget)}
    line = data.budget_line
    if line is not None and line.project_id != project.pk:
        errors["budget_line"] = _("Die Budgetposition gehört zu einem anderen Projekt.")
    if data.payment_date and data.payment_date > today:
        errors["payment_date"] = _(
            "Das Zahldatum liegt in der Zukunft. Erfasst wird ein Beleg, wenn er bezahlt ist; "
            "bis dahin bleibt das Feld leer."
        )
    return errors


def receipt_warnings(project: Project, data: ReceiptInput) -> list[str]:
    """What the office should look at, but may book (dates outside the approval period)."""
    line = data.budget_line
    decisions = (
        [line.funding_decision]
        if line is not None and line.funding_decision_id
        else list(project.funding_decisions.all())
    )
    warnings = []
    if not decisions:
        return warnings
    for label, day in ((_("Belegdatum"), data.receipt_date), (_("Zahldatum"), data.payment_date)):
        if day is None:
            continue
        if not any(d.period_start <= day <= d.period_end for d in decisions):
            periods = ", ".join(
                f"{formats.date_format(d.period_start, 'd.m.Y')}–"
                f"{formats.date_format(d.period_end, 'd.m.Y')}"
                for d in decisions
            )
            warnings.append(
                _(
                    "%(label)s %(day)s liegt außerhalb des Bewilligungszeitraums (%(periods)s); "
                    "der Beleg ist trotzdem gebucht – bitte prüfen, ob die Ausgabe "
                    "zuwendungsfähig ist."
                )
                % {"label": label, "day": formats.date_format(day, "d.m.Y"), "periods": periods}
            )
    if data.payment_date and data.payment_date < data.receipt_date:
        warnings.append(_("Die Zahlung liegt vor dem Belegdatum (Vorauszahlung?)."))
    return warnings


def receipt_save(
    *, actor, project: Project, data: ReceiptInput, receipt: Receipt | None = None
) -> LedgerResult:
    """Book a new receipt or change one; refreshes the derived figures. Raises
    ValidationError (per field, German) and saves nothing on bad input."""
    from soest_office.uploads import clean_display_name

    if receipt is None:
        from ..rules import PROJECT

        require(RECEIPT.permits(actor, CHANGE) and PROJECT.allows(actor, project))
    else:
        require(RECEIPT.allows(actor, receipt, CHANGE) and receipt.project_id == project.pk)
    errors = receipt_errors(project, data)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        old_line_id = receipt.budget_line_id if receipt else None
        receipt = receipt or Receipt(project=project, created_by=actor)
        for name in (
            "budget_line",
            "receipt_date",
            "payee",
            "purpose",
            "net_amount",
            "gross_amount",
            "payment_date",
            "number",
        ):
            setattr(receipt, name, getattr(data, name))
        if data.upload is not None:
            receipt.original_name = clean_display_name(data.upload.name)
            receipt.file.save(data.upload.name, data.upload, save=False)
        receipt.save()
        ledger_refresh(project, line_ids={receipt.budget_line_id, old_line_id} - {None})
    return LedgerResult(receipt, receipt_warnings(project, data))


def receipt_delete(*, actor, receipt: Receipt) -> None:
    require(RECEIPT.allows(actor, receipt, CHANGE))
    name, storage = receipt.file.name, receipt.file.storage
    project, line_id = receipt.project, receipt.budget_line_id
    with transaction.atomic():
        receipt.delete()
        ledger_refresh(project, line_ids={line_id})
        if name:
            transaction.on_commit(lambda: storage.delete(name))


def ledger_refresh(project: Project, *, line_ids=None) -> None:
    """Write the derived spent figures of the lines (all of the project's by default) and of
    the project: the receipts paid so far (future payment dates are refused). Plain updates:
    no history entry and no version step for a figure nobody typed."""
    lines = BudgetLine.objects.filter(project=project)
    if line_ids is not None:
        lines = lines.filter(pk__in=line_ids)
    paid = Receipt.objects.filter(payment_date__isnull=False)
    for line_id in lines.values_list("pk", flat=True):
        total = paid.filter(budget_line_id=line_id).aggregate(s=Sum("gross_amount"))["s"] or ZERO
        BudgetLine.objects.filter(pk=line_id).update(spent_amount=total)
    total = paid.filter(project=project).aggregate(s=Sum("gross_amount"))["s"] or ZERO
    Project.objects.filter(pk=project.pk).update(spent_to_date=total)
    project.spent_to_date = total
