"""The progress report workflow: draft, submit, accept (a dated snapshot that updates the
project) or return with a comment. Notifications are queued after commit."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from soest_office import access, locking
from soest_office.access import CHANGE, require

from ..models import SNAPSHOT_FIELDS, ProgressReport, Project
from ..rules import CONTRIBUTE, PROJECT, REPORT, REVIEW
from ..selectors import funding_summary


def report_municipality_for(actor, project: Project):
    """Partners report for their municipality; the office reports for the lead."""
    if access.is_partner(actor):
        return actor.municipality
    return project.lead_municipality


def report_save(
    *,
    actor,
    project: Project,
    fields: dict,
    report: ProgressReport | None = None,
    submit=False,
    expected_version: int | None = None,
) -> ProgressReport:
    """Create or edit a draft/returned report; with submit=True hand it to the office.
    An edit based on a stale `expected_version` raises locking.StaleVersion."""
    require(PROJECT.allows(actor, project, CONTRIBUTE))
    if report is not None:
        require(REPORT.allows(actor, report, CHANGE))
    with transaction.atomic():
        if report is None:
            report = ProgressReport(
                project=project,
                author=actor,
                municipality=report_municipality_for(actor, project),
            )
        else:
            current = locking.check_version(ProgressReport, report.pk, expected_version, fields)
            report.version = current.version
        for name, value in fields.items():
            setattr(report, name, value)
        if report.traffic_light == Project.TrafficLight.GREEN:
            report.traffic_light_reason = ""
        report.full_clean()
        report.save()
        if submit:
            report_submit(actor=actor, report=report)
    return report


def report_submit(*, actor, report: ProgressReport) -> ProgressReport:
    """Draft/returned → submitted; notifies the responsible office staff."""
    require(REPORT.allows(actor, report, CHANGE))
    with transaction.atomic():
        report.status = ProgressReport.Status.SUBMITTED
        report.submitted_at = timezone.now()
        report.save(update_fields=["status", "submitted_at"])
        _on_commit_notify(
            "notify_report_submitted",
            report_id=report.pk,
            submitted_at=report.submitted_at.isoformat(),
        )
    return report


def report_accept(*, actor, report: ProgressReport) -> ProgressReport:
    """Submitted → accepted: freezes a dated snapshot and, if it is the newest accepted
    report, takes its light, progress and spending over into the project. Atomic."""
    require(REPORT.allows(actor, report, REVIEW))
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ProgressReport.Status.SUBMITTED:
            raise ValidationError(_("Nur eingereichte Berichte können angenommen werden."))
        project = Project.objects.select_for_update().get(pk=report.project_id)
        report.project = project  # the locked row, not a second read
        old_light = project.traffic_light
        now = timezone.now()
        is_newest = project.last_report_date is None or (
            report.reporting_date >= project.last_report_date
        )
        if is_newest:
            project.traffic_light = report.traffic_light
            project.traffic_light_reason = (
                ""
                if report.traffic_light == Project.TrafficLight.GREEN
                else report.traffic_light_reason
            )
            project.percent_complete = report.percent_complete
            # With receipts the ledger derives the figure (services.ledger); the typed one
            # of the report only stands in for projects that book none.
            if not project.receipts.exists():
                project.spent_to_date = report.spent_to_date
            project.last_report_date = report.reporting_date
            project.save()
        report.status = ProgressReport.Status.ACCEPTED
        report.reviewed_at = now
        report.reviewed_by = actor
        report.snapshot = {
            "accepted_at": now.isoformat(),
            "accepted_by": str(actor),
            "report": {name: _json(getattr(report, name)) for name in SNAPSHOT_FIELDS},
            "project": {
                "title": project.title,
                "status": project.status,
                "traffic_light": project.traffic_light,
                "percent_complete": project.percent_complete,
                "total_budget": str(project.total_budget),
                "spent_to_date": str(project.spent_to_date),
                "granted": str(funding_summary(project)["granted"]),
            },
        }
        report.save()
        _on_commit_notify_reviewed(report)
        if is_newest and old_light != project.traffic_light:
            _on_commit_notify(
                "notify_light_changed",
                report_id=report.pk,
                old_light=old_light,
                new_light=project.traffic_light,
                reason=project.traffic_light_reason,
            )
    return report


def report_return(*, actor, report: ProgressReport, comment: str) -> ProgressReport:
    """Submitted → returned with the office's comment; the author may edit and resubmit."""
    require(REPORT.allows(actor, report, REVIEW))
    if not comment.strip():
        raise ValidationError(_("Bitte begründen Sie die Rückgabe in einem Kommentar."))
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ProgressReport.Status.SUBMITTED:
            raise ValidationError(_("Nur eingereichte Berichte können zurückgegeben werden."))
        report.status = ProgressReport.Status.RETURNED
        report.review_comment = comment.strip()
        report.reviewed_at = timezone.now()
        report.reviewed_by = actor
        report.save()
        _on_commit_notify_reviewed(report)
    return report


def _on_commit_notify(task_name: str, **kwargs) -> None:
    """Queue one of the report messages (projects.tasks) after commit: recipients, rows and
    mails are the task's work, not the request's; a rolled-back write queues nothing."""
    from .. import tasks

    task = getattr(tasks, task_name)
    transaction.on_commit(lambda: task.delay(**kwargs))


def _on_commit_notify_reviewed(report: ProgressReport) -> None:
    _on_commit_notify(
        "notify_report_reviewed",
        report_id=report.pk,
        status=report.status,
        reviewed_at=report.reviewed_at.isoformat(),
        comment=report.review_comment,
    )


def _json(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
