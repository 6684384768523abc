"""The Verwendungsnachweis and the Zwischennachweis of a funding decision, after the NRW
model (VV/VVG zu § 44 LHO, ANBest-G/ANBest-P Nr. 6):

I.  Sachbericht: drafted from the accepted progress reports of the period, editable.
II. Zahlenmäßiger Nachweis: income (own share, third parties, the grant) and expenditure by
    budget line "laut Bescheid" against "laut Abrechnung", the Belegliste, and the deviation
    rule (ANBest Nr. 1.2: an Einzelansatz may be exceeded by up to `deviation_percent` where
    savings on other lines cover it).

Expenditure "laut Abrechnung" is the gross amount of the receipts paid in the period; the
grant "laut Abrechnung" is what was received in the period; third parties are taken as
granted; the own share is what remains of the expenditure (never below 0).
Due dates: a Zwischennachweis every `interim_proof_months` from the start of the approval
period while it runs, the Verwendungsnachweis `final_proof_months` after its end.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..display import format_euro
from ..models import BudgetLine, FundingDecision, ProgressReport, ProofRecord, Receipt

ZERO = Decimal(0)
FINAL, INTERIM = "final", "interim"
KIND_LABELS = {
    FINAL: gettext_lazy("Verwendungsnachweis"),
    INTERIM: gettext_lazy("Zwischennachweis"),
}


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class ProofLine:
    line: BudgetLine
    planned: Decimal
    actual: Decimal
    allowed_overrun: Decimal

    @property
    def difference(self) -> Decimal:
        return self.actual - self.planned

    @property
    def overrun(self) -> Decimal:
        return max(self.difference, ZERO)

    @property
    def status(self) -> str:
        if self.overrun == 0:
            return "ok"
        return "tolerated" if self.overrun <= self.allowed_overrun else "exceeded"


@dataclass
class ProofOfUse:
    decision: FundingDecision
    kind: str
    date_from: datetime.date
    date_to: datetime.date
    narrative: str
    lines: list[ProofLine]
    receipts: list[Receipt]
    income_planned: dict[str, Decimal]
    income_actual: dict[str, Decimal]
    deviation_percent: Decimal
    problems: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def planned_total(self) -> Decimal:
        return sum((p.planned for p in self.lines), ZERO)

    @property
    def actual_total(self) -> Decimal:
        return sum((p.actual for p in self.lines), ZERO)

    @property
    def savings(self) -> Decimal:
        return sum((max(-p.difference, ZERO) for p in self.lines), ZERO)

    @property
    def overruns(self) -> Decimal:
        return sum((p.overrun for p in self.lines), ZERO)

    @property
    def deviation_ok(self) -> bool:
        return not self.problems

    @property
    def income_planned_total(self) -> Decimal:
        return sum(self.income_planned.values(), ZERO)

    @property
    def income_actual_total(self) -> Decimal:
        return sum(self.income_actual.values(), ZERO)


INCOME_LABELS = {
    "own_share": gettext_lazy("Eigenmittel"),
    "third_party": gettext_lazy("Mittel Dritter"),
    "grant": gettext_lazy("Zuwendung"),
}


def decision_lines(decision: FundingDecision) -> list[BudgetLine]:
    """The decision's lines of the cost plan; with one decision, also the unassigned ones."""
    lines = BudgetLine.objects.filter(project_id=decision.project_id).order_by("pk")
    if FundingDecision.objects.filter(project_id=decision.project_id).count() > 1:
        lines = lines.filter(funding_decision=decision)
    else:
        lines = [line for line in lines if line.funding_decision_id in (None, decision.pk)]
    return list(lines)


# The Sachbericht draft takes the achievements of at most this many accepted reports (the
# latest); a project reporting monthly over three years stays below it.
NARRATIVE_REPORTS = 40


def narrative_draft(decision: FundingDecision, *, date_from, date_to) -> str:
    """The Sachbericht drafted from the accepted progress reports of the period: what each
    achieved (chronologically), then the next steps and risks of the latest."""
    reports = list(
        ProgressReport.objects.filter(
            project_id=decision.project_id,
            status=ProgressReport.Status.ACCEPTED,
            reporting_date__gte=date_from,
            reporting_date__lte=date_to,
        )
        .only("reporting_date", "percent_complete", "achieved", "next_steps", "risks")
        .order_by("-reporting_date", "-pk")[: NARRATIVE_REPORTS + 1]
    )
    left_out = len(reports) > NARRATIVE_REPORTS
    reports = reports[:NARRATIVE_REPORTS][::-1]
    if not reports:
        return ""
    parts = []
    if left_out:
        parts.append(
            _("(Ältere Berichte des Zeitraums sind nicht übernommen; es folgen die letzten %s.)")
            % NARRATIVE_REPORTS
        )
    for report in reports:
        parts.append(
            _("Stand %(date)s (%(pct)s %%): %(achieved)s")
            % {
                "date": formats.date_format(report.reporting_date, "d.m.Y"),
                "pct": report.percent_complete,
                "achieved": (report.achieved or "").strip() or "–",
            }
        )
    latest = reports[-1]
    for label, text in ((_("Nächste Schritte"), latest.next_steps), (_("Risiken"), latest.risks)):
        if text and text.strip():
            parts.append(f"{label}: {text.strip()}")
    return "\n\n".join(parts)


def proof_of_use(
    decision: FundingDecision,
    *,
    kind: str,
    date_from,
    date_to,
    narrative: str | None = None,
    with_receipts: bool = True,
) -> ProofOfUse:
    """All figures of the proof for the period (receipts paid and grant received in it).
    Without `with_receipts` (a page's summary) the receipts are summed in the database and
    neither the Belegliste nor the Sachbericht draft is made."""
    from .money import spent_per_line

    lines = decision_lines(decision)
    receipts = []
    if with_receipts:
        receipts = list(
            Receipt.objects.filter(
                budget_line__in=[line.pk for line in lines],
                payment_date__gte=date_from,
                payment_date__lte=date_to,
            )
            .select_related("budget_line")
            .order_by("payment_date", "receipt_date", "pk")
        )
        actual: dict[int, Decimal] = {}
        for receipt in receipts:
            actual[receipt.budget_line_id] = actual.get(receipt.budget_line_id, ZERO) + (
                receipt.gross_amount
            )
    else:
        actual = spent_per_line([line.pk for line in lines], as_of=date_to, since=date_from)
        narrative = narrative or ""
    pct = Decimal(decision.deviation_percent)
    proof_lines = [
        ProofLine(
            line=line,
            planned=line.planned_amount,
            actual=actual.get(line.pk, ZERO),
            allowed_overrun=(line.planned_amount * pct / 100).quantize(Decimal("0.01")),
        )
        for line in lines
    ]
    received = sum(
        (
            d.received_amount
            for d in decision.drawdowns.all()
            if d.received_date and date_from <= d.received_date <= date_to
        ),
        ZERO,
    )
    expenditure = sum((p.actual for p in proof_lines), ZERO)
    third = decision.third_party_share
    proof = ProofOfUse(
        decision=decision,
        kind=kind,
        date_from=date_from,
        date_to=date_to,
        narrative=narrative_draft(decision, date_from=date_from, date_to=date_to)
        if narrative is None
        else narrative,
        lines=proof_lines,
        receipts=receipts,
        income_planned={
            "own_share": decision.own_share,
            "third_party": third,
            "grant": decision.granted_amount,
        },
        income_actual={
            "own_share": max(expenditure - received - third, ZERO),
            "third_party": third,
            "grant": received,
        },
        deviation_percent=pct,
    )
    proof.problems = deviation_problems(proof)
    return proof


def deviation_problems(proof: ProofOfUse) -> list[str]:
    """ANBest Nr. 1.2: each overrun at most `deviation_percent` of its line, and all
    overruns covered by savings on other lines. German sentences, empty when kept."""
    problems = []
    pct = percent_text(proof.deviation_percent)
    for p in proof.lines:
        if p.status == "exceeded":
            problems.append(
                _(
                    "„%(line)s“ ist um %(over)s überschritten; zulässig sind %(pct)s %% des "
                    "Ansatzes, also %(allowed)s."
                )
                % {
                    "line": p.line.title,
                    "over": format_euro(p.overrun),
                    "pct": pct,
                    "allowed": format_euro(p.allowed_overrun),
                }
            )
    if proof.overruns > proof.savings:
        problems.append(
            _(
                "Die Überschreitungen (%(over)s) sind nicht durch Einsparungen bei anderen "
                "Positionen (%(savings)s) gedeckt."
            )
            % {"over": format_euro(proof.overruns), "savings": format_euro(proof.savings)}
        )
    return problems


# --- Periods and due dates ------------------------------------------------------------------


def _interim_ends(period_start, period_end, interim_months):
    """The intervals of `interim_months` the approval period is cut into, as (start, end),
    in order (the last one ends with the period). A generator: a caller looking for the
    dues of a window stops at the first interval after it."""
    months = max(interim_months, 1)
    start = period_start
    while start <= period_end:
        end = min(add_months(start, months) - datetime.timedelta(days=1), period_end)
        yield start, end
        start = end + datetime.timedelta(days=1)


def _final_due(period_end, final_months) -> datetime.date:
    """The Verwendungsnachweis is due `final_months` after the period's end."""
    after = period_end + datetime.timedelta(days=1)
    return add_months(after, final_months) - datetime.timedelta(days=1)


def interim_periods(decision: FundingDecision) -> list[tuple[datetime.date, datetime.date]]:
    """The approval period cut into intervals of `interim_proof_months` (the last one ends
    with the period)."""
    return list(
        _interim_ends(decision.period_start, decision.period_end, decision.interim_proof_months)
    )


def default_period(decision: FundingDecision, kind: str, *, today=None):
    """The period the one-click button fills in: the whole approval period for the
    Verwendungsnachweis; for the Zwischennachweis the latest interval that has begun."""
    today = today or timezone.localdate()
    if kind == FINAL:
        return decision.period_start, decision.period_end
    begun = [p for p in interim_periods(decision) if p[0] <= today] or interim_periods(decision)
    return begun[-1]


@dataclass
class ProofDue:
    decision: FundingDecision
    kind: str
    due: datetime.date
    # The period the proof covers.
    start: datetime.date | None = None
    end: datetime.date | None = None
    # The submitted record that covers it (attach_submitted), if any.
    submitted: ProofRecord | None = None

    @property
    def title(self) -> str:
        return KIND_LABELS[self.kind]


def due_dates(decision: FundingDecision) -> list[ProofDue]:
    """Every proof the decision asks for: one Zwischennachweis at the end of each interval
    but the last, and the Verwendungsnachweis after the period."""
    return list(_dues_until(decision, None))


def _dues_until(decision: FundingDecision, last: datetime.date | None):
    """`due_dates` in order, up to the first due after `last` (all for None)."""
    dates = (
        decision.period_start,
        decision.period_end,
        decision.interim_proof_months,
        decision.final_proof_months,
    )
    for kind, start, end, due in _due_periods(*dates, last):
        yield ProofDue(decision, kind, due, start, end)


def _due_periods(period_start, period_end, interim_months, final_months, last):
    """(kind, start, end, due) of every proof of a decision with these dates, in order, up
    to the first due after `last` (all for None): the interim dues end inside the period,
    the final one after it, so a caller asking about a window walks only up to its end."""
    periods = _interim_ends(period_start, period_end, interim_months)
    current = next(periods, None)
    for following in periods:  # every interval but the last asks for a Zwischennachweis
        start, end = current
        if last is not None and end > last:
            return
        yield INTERIM, start, end, end
        current = following
    final = _final_due(period_end, final_months)
    if last is None or final <= last:
        yield FINAL, period_start, period_end, final


def _has_due_within(first, last, period_start, period_end, interim_months, final_months):
    """Whether `due_dates` of a decision with these dates has a due in [first, last],
    without building it (the dashboard asks it of every decision)."""
    if period_end < first:  # every interim due lies before the window
        return first <= _final_due(period_end, final_months) <= last
    periods = _due_periods(period_start, period_end, interim_months, final_months, last)
    return any(due >= first for *_, due in periods)


SUBMITTED_ATTR = "submitted_records"


def with_submitted(decisions):
    """The decisions with their submitted proof records prefetched (one query, whatever
    their number), for `attach_submitted`."""
    return decisions.prefetch_related(
        Prefetch(
            "proof_records",
            queryset=ProofRecord.objects.filter(status=ProofRecord.Status.SUBMITTED).order_by(
                "submitted_on", "pk"
            ),
            to_attr=SUBMITTED_ATTR,
        )
    )


def attach_submitted(dues: list[ProofDue]) -> list[ProofDue]:
    """Set `submitted` on each due that a submitted record covers (same decision and kind,
    a period containing the due's). Reads the records `with_submitted` prefetched; else one
    query (none for no dues)."""
    if not dues:
        return dues
    by_decision: dict[int, list[ProofRecord]] = {}
    missing = {d.decision.pk for d in dues if not hasattr(d.decision, SUBMITTED_ATTR)}
    for record in (
        ProofRecord.objects.filter(
            funding_decision_id__in=missing, status=ProofRecord.Status.SUBMITTED
        ).order_by("submitted_on", "pk")
        if missing
        else ()
    ):
        by_decision.setdefault(record.funding_decision_id, []).append(record)
    for due in dues:
        records = getattr(due.decision, SUBMITTED_ATTR, None)
        if records is None:
            records = by_decision.get(due.decision.pk, [])
        due.submitted = next(
            (r for r in records if r.covers(due.kind, due.start, due.end)),
            None,
        )
    return dues


def _window(today, ahead_days, behind_days) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=behind_days), today + datetime.timedelta(days=ahead_days)


def decisions_with_dues(decisions, *, today=None, ahead_days=90, behind_days=30) -> list[int]:
    """The ids of those of `decisions` (a queryset) with a proof due in `upcoming_dues`'s
    window, submitted or not: one query reading only their dates, so that many decisions
    cost no model instances; `upcoming_dues` then loads the few that matter."""
    first, last = _window(today, ahead_days, behind_days)
    rows = decisions.order_by().values_list(
        "pk", "period_start", "period_end", "interim_proof_months", "final_proof_months"
    )
    return [pk for pk, *dates in rows if _has_due_within(first, last, *dates)]


def upcoming_dues(decisions, *, today=None, ahead_days=90, behind_days=30) -> list[ProofDue]:
    """Proofs due within `ahead_days` or overdue by at most `behind_days` and not yet
    submitted, soonest first (one query for the submitted records when any is due)."""
    first, last = _window(today, ahead_days, behind_days)
    dues = [d for decision in decisions for d in _dues_until(decision, last) if d.due >= first]
    dues = [d for d in attach_submitted(dues) if d.submitted is None]
    return sorted(dues, key=lambda d: (d.due, d.decision.pk))


# --- Records of created proofs --------------------------------------------------------------


def record_created(
    decision: FundingDecision, *, kind: str, date_from, date_to, output: str, job, user
) -> ProofRecord:
    """Keep the record of a proof just created: a draft linked to the export job. A draft
    of the same decision, kind and period is reused (its history keeps the earlier job)."""
    record = (
        ProofRecord.objects.filter(
            funding_decision=decision,
            kind=kind,
            date_from=date_from,
            date_to=date_to,
            status=ProofRecord.Status.DRAFT,
        )
        .order_by("-pk")
        .first()
    )
    if record is None:
        record = ProofRecord(
            funding_decision=decision,
            kind=kind,
            date_from=date_from,
            date_to=date_to,
            created_by=user,
        )
    record.output = output
    record.export_job = job
    record._history_user = user
    record.save()
    return record


def mark_submitted(record: ProofRecord, *, submitted_on: datetime.date, user) -> ProofRecord:
    """The office sent the proof to the funder on `submitted_on`: the reminders for the
    proof it covers stop."""
    record.status = ProofRecord.Status.SUBMITTED
    record.submitted_on = submitted_on
    record.submitted_by = user
    record._history_user = user
    record.save()
    return record


def proof_title(proof_kind: str, decision: FundingDecision, date_from, date_to, output) -> str:
    return _("%(kind)s %(decision)s, %(start)s bis %(end)s (%(fmt)s)") % {
        "kind": KIND_LABELS[proof_kind],
        "decision": decision.reference or decision.funder,
        "start": date_from.strftime("%d.%m.%Y"),
        "end": date_to.strftime("%d.%m.%Y"),
        "fmt": output.upper(),
    }


def percent_text(value: Decimal) -> str:
    """20.00 → "20", 12.50 → "12,5" (German)."""
    return format(Decimal(value).normalize(), "f").replace(".", ",")
