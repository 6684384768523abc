"""Read models of the projects app: what changed between progress reports, and the funding
figures of a project (granted, drawn, spent, warnings). They write nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .display import FieldChange, format_euro, report_value_display
from .models import SNAPSHOT_FIELDS, Drawdown, FundingDecision, ProgressReport, Project

REPORT_FIELD_LABELS = {
    name: ProgressReport._meta.get_field(name).verbose_name for name in SNAPSHOT_FIELDS
}


def report_changes(reports) -> dict[int, list[FieldChange]]:
    """For each report, what changed against the previous accepted report (by reporting
    date). Pure Python over already loaded reports: no queries."""
    accepted = sorted(
        (r for r in reports if r.status == ProgressReport.Status.ACCEPTED),
        key=lambda r: (r.reporting_date, r.pk),
    )
    result = {}
    for report in reports:
        previous = None
        for candidate in accepted:
            if candidate.pk == report.pk:
                break
            if (candidate.reporting_date, candidate.pk) < (report.reporting_date, report.pk):
                previous = candidate
        result[report.pk] = [] if previous is None else _diff(previous.values(), report.values())
    return result


def report_changes_to_previous(reports) -> dict[int, list[FieldChange]]:
    """Like report_changes, for reports loaded with
    ProgressReport.objects.with_previous_accepted(): the previous accepted report comes from
    the annotation, so a page of reports needs neither the older reports nor queries."""
    return {
        report.pk: []
        if report.previous_snapshot is None
        else _diff(report.previous_snapshot["report"], report.values())
        for report in reports
    }


def _diff(old: dict, new: dict) -> list[FieldChange]:
    return [
        FieldChange(
            label=str(REPORT_FIELD_LABELS[name]),
            before=report_value_display(name, old.get(name)),
            after=report_value_display(name, new.get(name)),
        )
        for name in SNAPSHOT_FIELDS
        if name != "reporting_date" and old.get(name) != new.get(name)
    ]


def funding_summary(project: Project, *, decisions=None, today=None) -> dict:
    """Granted, drawn, spent, available and warnings. With `decisions` prefetched (with
    their drawdowns) it runs no query."""
    today = today or timezone.localdate()
    if decisions is None:
        decisions = list(project.funding_decisions.prefetch_related("drawdowns"))
    from django.conf import settings

    granted = sum((d.granted_amount for d in decisions), Decimal(0))
    drawn = Decimal(0)
    requested = Decimal(0)
    warnings = []
    horizon = today + datetime.timedelta(days=settings.PROJECTS_UNDRAWN_WARNING_DAYS)
    for decision in decisions:
        received = sum((d.received_amount for d in decision.drawdowns.all()), Decimal(0))
        drawn += received
        requested += sum((d.requested_amount for d in decision.drawdowns.all()), Decimal(0))
        undrawn = decision.granted_amount - received
        if undrawn > 0 and decision.period_end <= horizon:
            ended = decision.period_end < today
            warnings.append(
                (
                    _(
                        "Der Bewilligungszeitraum von „%(d)s“ endete am %(end)s; %(amount)s "
                        "wurden nicht abgerufen."
                    )
                    if ended
                    else _(
                        "Der Bewilligungszeitraum von „%(d)s“ endet am %(end)s; noch "
                        "%(amount)s sind nicht abgerufen."
                    )
                )
                % {
                    "d": decision,
                    "end": formats.date_format(decision.period_end, "d.m.Y"),
                    "amount": format_euro(undrawn),
                }
            )
    budget = project.total_budget or Decimal(0)
    spent = project.spent_to_date or Decimal(0)
    return {
        "budget": budget,
        "granted": granted,
        "drawn": drawn,
        "requested": requested,
        "spent": spent,
        "available": granted - drawn,
        "warnings": warnings,
        "percent_granted": _percent(granted, budget),
        "percent_drawn": _percent(drawn, budget),
        "percent_spent": _percent(spent, budget),
    }


def _percent(part, whole) -> int:
    if not whole:
        return 0
    return max(0, min(100, round(part * 100 / whole)))


def granted_total(project: Project, *, exclude_pk=None) -> Decimal:
    qs = FundingDecision.objects.filter(project=project)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.aggregate(total=Sum("granted_amount"))["total"] or Decimal(0)


def drawn_total(decision: FundingDecision, *, exclude_pk=None) -> Decimal:
    qs = Drawdown.objects.filter(funding_decision=decision)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.aggregate(total=Sum("requested_amount"))["total"] or Decimal(0)
