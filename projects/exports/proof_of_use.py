"""The Verwendungsnachweis and Zwischennachweis of a funding decision (services.proof) as
PDF (tagged, soest_office.pdf) and XLSX, and the checks and rendering of their background
export (soest_office.exports, kind "proof_of_use")."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from soest_office.exports import ExportFile

from ..models import FundingDecision
from ..services import proof as proofs
from .xlsx import _xlsx_value

EURO = '#,##0.00 "€"'
DATE = "DD.MM.YYYY"


def proof_decision(user, params) -> FundingDecision:
    """The decision, if the user may keep it (the funding decision rule: the office); 404
    when not visible, 403 when visible but not kept by the user."""
    from soest_office.access import CHANGE

    from ..rules import FUNDING_DECISION

    return FUNDING_DECISION.get_object(
        user,
        FundingDecision.objects.select_related("project"),
        CHANGE,
        pk=params["decision"],
    )


def proof_check_access(user, params) -> None:
    proof_decision(user, params)


def proof_build(user, params) -> proofs.ProofOfUse:
    decision = proof_decision(user, params)
    return proofs.proof_of_use(
        decision,
        kind=params["kind"],
        date_from=datetime.date.fromisoformat(params["date_from"]),
        date_to=datetime.date.fromisoformat(params["date_to"]),
        narrative=params.get("narrative"),
    )


def proof_render(user, params) -> ExportFile:
    proof = proof_build(user, params)
    stem = (
        f"{'verwendungsnachweis' if proof.kind == proofs.FINAL else 'zwischennachweis'}-"
        f"{proof.decision.project.slug}-{proof.date_from:%Y-%m-%d}-bis-{proof.date_to:%Y-%m-%d}"
    )
    if params.get("output") == "xlsx":
        from soest_office.spreadsheets import XLSX_CONTENT_TYPE

        return ExportFile(render_proof_xlsx(proof), f"{stem}.xlsx", XLSX_CONTENT_TYPE)
    return ExportFile(render_proof_pdf(proof, user=user), f"{stem}.pdf", "application/pdf")


def proof_context(proof, *, user) -> dict:
    return {
        "proof": proof,
        "decision": proof.decision,
        "project": proof.decision.project,
        "income": [
            (proofs.INCOME_LABELS[key], proof.income_planned[key], proof.income_actual[key])
            for key in ("own_share", "third_party", "grant")
        ],
        "created_at": timezone.localtime(),
        "created_by": user,
    }


def render_proof_pdf(proof, *, user) -> bytes:
    from soest_office.pdf import render_pdf

    return render_pdf(
        "projects/proof_of_use_pdf.html",
        proof_context(proof, user=user),
        base_url=str(settings.BASE_DIR),
    )


def render_proof_xlsx(proof) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Zahlenmäßiger Nachweis"
    decision = proof.decision
    sheet.append([f"{proof.title} – {_xlsx_value(decision.project.title)}"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["Förderbescheid", _xlsx_value(str(decision))])
    sheet.append(["Zeitraum", proof.date_from, proof.date_to])
    sheet.append([])
    sheet.append(["A. Einnahmen", "laut Bescheid", "laut Abrechnung"])
    for key in ("own_share", "third_party", "grant"):
        sheet.append(
            [str(proofs.INCOME_LABELS[key]), proof.income_planned[key], proof.income_actual[key]]
        )
    sheet.append(["Summe Einnahmen", proof.income_planned_total, proof.income_actual_total])
    sheet.append([])
    sheet.append(["B. Ausgaben", "laut Bescheid", "laut Abrechnung", "Abweichung", "Prüfung"])
    status_text = {
        "ok": "eingehalten",
        "tolerated": f"Überschreitung im Rahmen ({proofs.percent_text(proof.deviation_percent)} %)",
        "exceeded": "Überschreitung zu hoch",
    }
    for p in proof.lines:
        sheet.append(
            [_xlsx_value(p.line.title), p.planned, p.actual, p.difference, status_text[p.status]]
        )
    sheet.append(["Summe Ausgaben", proof.planned_total, proof.actual_total])
    sheet.append([])
    sheet.append(["Abweichungsregel", "eingehalten" if proof.deviation_ok else "nicht eingehalten"])
    for problem in proof.problems:
        sheet.append([_xlsx_value(problem)])
    for row in sheet.iter_rows(min_row=5):
        for cell in row[1:4]:
            if isinstance(cell.value, (int, float, Decimal)):
                cell.number_format = EURO
    for cell in sheet[3][1:3]:
        cell.number_format = DATE
    sheet.column_dimensions["A"].width = 40
    receipts = workbook.create_sheet("Belegliste")
    receipts.append(
        [
            "Nr.",
            "Belegdatum",
            "Zahldatum",
            "Empfänger",
            "Zweck",
            "Budgetposition",
            "netto (€)",
            "brutto (€)",
        ]
    )
    for r in proof.receipts:
        receipts.append(
            [
                _xlsx_value(r.number),
                r.receipt_date,
                r.payment_date,
                _xlsx_value(r.payee),
                _xlsx_value(r.purpose),
                _xlsx_value(r.budget_line.title),
                r.net_amount,
                r.gross_amount,
            ]
        )
    for row in receipts.iter_rows(min_row=2):
        row[1].number_format = row[2].number_format = DATE
        row[6].number_format = row[7].number_format = EURO
    for cell in receipts[1]:
        cell.font = Font(bold=True)
    receipts.freeze_panes = "A2"
    report = workbook.create_sheet("Sachbericht")
    report.append(["I. Sachbericht"])
    for paragraph in proof.narrative.split("\n"):
        report.append([_xlsx_value(paragraph)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
