"""Read models of the projects app: what changed between progress reports, and the funding
figures of a project (granted, drawn, spent, warnings). They write nothing."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from .display import FieldChange, report_value_display
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


def funding_summary(project: Project, *, decisions=None, today=None, user=None) -> dict:
    """Granted, drawn, spent, available and warnings as of `today` (default: today), as a
    dict for templates: projects.services.money.money_as_of, the one read function."""
    from .services.money import money_as_of

    return money_as_of(project, today, decisions=decisions, user=user).as_dict()


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
