"""Writes of the projects app. Views, tasks, the admin and the demo call these functions.

Each is atomic; notifications they cause are queued only after commit (notifications.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from soest_office import access

from . import notifications
from .models import (
    SNAPSHOT_FIELDS,
    Document,
    Drawdown,
    FundingDecision,
    Milestone,
    ProgressReport,
    Project,
    ProjectUserSettings,
    new_calendar_token,
)

# --- Projects and optimistic locking ---------------------------------------------------------


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


class ProjectConflict(Exception):
    """The project was saved by someone else since the editor loaded it."""

    def __init__(self, *, current: Project, changes: list[FieldChange], changed_by: str):
        super().__init__("project changed concurrently")
        self.current = current
        self.changes = changes
        self.changed_by = changed_by


def display_value(instance, field_name: str) -> str:
    """A field's value as the UI shows it (choices' labels, German dates and numbers)."""
    field = instance._meta.get_field(field_name)
    if field.choices:
        value = getattr(instance, field_name)
        return str(dict(field.flatchoices).get(value, value or "–"))
    if field.is_relation:
        value = getattr(instance, field_name)
        return str(value) if value is not None else "–"
    value = getattr(instance, field_name)
    if value in (None, ""):
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if isinstance(value, datetime.date | Decimal | int | float):
        return formats.localize(value, use_l10n=True)
    return str(value)


def project_create(*, actor, fields: dict, participating=()) -> Project:
    """Create a project (office only)."""
    if not access.can_manage_projects(actor):
        raise PermissionDenied
    with transaction.atomic():
        project = Project(**fields)
        project.full_clean()
        project.save()
        project.participating_municipalities.set(participating)
    return project


def project_update(
    *, actor, project_id: int, expected_version: int, fields: dict, participating=None
) -> Project:
    """Save edited master data unless someone saved the project in between.

    Atomic; locks the row. Raises ProjectConflict with the fields that changed since
    `expected_version` (read from the change history), so the editor sees what the colleague
    changed instead of silently overwriting it.
    """
    if not access.can_manage_projects(actor):
        raise PermissionDenied
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project_id)
        if project.version != expected_version:
            raise _conflict(project, expected_version, fields.keys())
        for name, value in fields.items():
            setattr(project, name, value)
        project.version += 1
        project.full_clean()
        if participating is not None:
            reason = participants_change_reason(project, participating)
            if reason:
                project._change_reason = reason
        project.save()
        if participating is not None:
            project.participating_municipalities.set(participating)
    return project


# Many-to-many changes are not in simple-history's field copy: a change of the participating
# municipalities travels in the record's change reason (max. 100 characters), as slugs.
PARTICIPANTS_REASON = "participants:"


def participants_change_reason(project: Project, participating) -> str:
    before = sorted(project.participating_municipalities.values_list("slug", flat=True))
    after = sorted(m.slug for m in participating)
    if before == after:
        return ""
    reason = f"{PARTICIPANTS_REASON}{','.join(before)}>{','.join(after)}"
    return reason if len(reason) <= 100 else f"{PARTICIPANTS_REASON}>"


def _conflict(project: Project, expected_version: int, field_names) -> ProjectConflict:
    seen = project.history.filter(version=expected_version).order_by("-history_date").first()
    latest = project.history.select_related("history_user").order_by("-history_date").first()
    changes = []
    if seen is not None:
        for name in field_names:
            if name in ("version",) or not hasattr(seen, name):
                continue
            if getattr(seen, f"{name}_id", getattr(seen, name)) != getattr(
                project, f"{name}_id", getattr(project, name)
            ):
                field = Project._meta.get_field(name)
                changes.append(
                    FieldChange(
                        label=str(field.verbose_name),
                        before=display_value(seen, name),
                        after=display_value(project, name),
                    )
                )
    changed_by = str(latest.history_user) if latest and latest.history_user else _("jemand")
    return ProjectConflict(current=project, changes=changes, changed_by=changed_by)


def project_archive(*, actor, project: Project) -> Project:
    if not access.can_manage_projects(actor):
        raise PermissionDenied
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        project.archived_at = None if project.archived_at else timezone.now()
        project.version += 1
        project.save()
    return project


# --- Milestones ---------------------------------------------------------------------------


def milestone_set_done(*, actor, milestone: Milestone, done: bool, today=None) -> Milestone:
    """Tick (or untick) a milestone. Partners may do so for their own projects."""
    if not access.can_edit_project_content(actor, milestone.project):
        raise PermissionDenied
    with transaction.atomic():
        milestone.done_date = (today or timezone.localdate()) if done else None
        milestone.save(update_fields=["done_date"])
    return milestone


# --- Progress reports -----------------------------------------------------------------------


def report_municipality_for(actor, project: Project):
    """Partners report for their municipality; the office reports for the lead."""
    if access.is_partner(actor):
        return actor.municipality
    return project.lead_municipality


def report_save(
    *, actor, project: Project, fields: dict, report: ProgressReport | None = None, submit=False
) -> ProgressReport:
    """Create or edit a draft/returned report; with submit=True hand it to the office."""
    if not access.can_edit_project_content(actor, project):
        raise PermissionDenied
    if report is not None and not can_edit_report(actor, report):
        raise PermissionDenied
    with transaction.atomic():
        if report is None:
            report = ProgressReport(
                project=project,
                author=actor,
                municipality=report_municipality_for(actor, project),
            )
        for name, value in fields.items():
            setattr(report, name, value)
        if report.traffic_light == Project.TrafficLight.GREEN:
            report.traffic_light_reason = ""
        report.full_clean()
        report.save()
        if submit:
            report_submit(actor=actor, report=report)
    return report


def can_edit_report(user, report: ProgressReport, *, can_edit_content=None) -> bool:
    """Drafts and returned reports: the office, or their author while the author's
    municipality may edit the project. `can_edit_content` passes the user's content right
    on the report's project when the caller knows it already (no query per report)."""
    if not report.is_editable_state:
        return False
    if can_edit_content is None:
        can_edit_content = access.can_edit_project_content(user, report.project)
    if not can_edit_content:
        return False
    return access.is_office(user) or report.author_id == user.pk


def report_submit(*, actor, report: ProgressReport) -> ProgressReport:
    """Draft/returned → submitted; notifies the responsible office staff."""
    if not can_edit_report(actor, report):
        raise PermissionDenied
    with transaction.atomic():
        report.status = ProgressReport.Status.SUBMITTED
        report.submitted_at = timezone.now()
        report.save(update_fields=["status", "submitted_at"])
        notifications.report_submitted(report)
    return report


def report_accept(*, actor, report: ProgressReport) -> ProgressReport:
    """Submitted → accepted: freezes a dated snapshot and, if it is the newest accepted
    report, takes its light, progress and spending over into the project. Atomic."""
    if not access.can_manage_projects(actor):
        raise PermissionDenied
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ProgressReport.Status.SUBMITTED:
            raise ValidationError(_("Nur eingereichte Berichte können angenommen werden."))
        project = Project.objects.select_for_update().get(pk=report.project_id)
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
            project.spent_to_date = report.spent_to_date
            project.last_report_date = report.reporting_date
            project.version += 1
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
        notifications.report_reviewed(report)
        if is_newest and old_light != project.traffic_light:
            notifications.light_changed(project, old_light=old_light, report=report)
    return report


def report_return(*, actor, report: ProgressReport, comment: str) -> ProgressReport:
    """Submitted → returned with the office's comment; the author may edit and resubmit."""
    if not access.can_manage_projects(actor):
        raise PermissionDenied
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
        notifications.report_reviewed(report)
    return report


def _json(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


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
            before=_show(name, old.get(name)),
            after=_show(name, new.get(name)),
        )
        for name in SNAPSHOT_FIELDS
        if name != "reporting_date" and old.get(name) != new.get(name)
    ]


def _show(name, value):
    if value in (None, ""):
        return "–"
    if name == "traffic_light":
        return str(Project.TrafficLight(value).label)
    if name == "spent_to_date":
        return format_euro(Decimal(value))
    if name == "percent_complete":
        return f"{value} %"
    return str(value)


def format_euro(value) -> str:
    return f"{formats.number_format(value, 2, use_l10n=True, force_grouping=True)} €"


# --- Funding ----------------------------------------------------------------------------------


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


# --- Documents --------------------------------------------------------------------------------


def document_upload(*, actor, project: Project, title: str, kind: str, upload) -> Document:
    """Store an already validated upload (soest_office.uploads) for the project."""
    from soest_office.uploads import clean_display_name

    if not access.can_edit_project_content(actor, project):
        raise PermissionDenied
    with transaction.atomic():
        document = Document(
            project=project,
            title=title,
            kind=kind,
            original_name=clean_display_name(upload.name),
            size=upload.size or 0,
            uploaded_by=actor,
        )
        document.file.save(upload.name, upload, save=False)
        document.save()
    return document


def document_delete(*, actor, document: Document) -> None:
    if not access.can_manage_projects(actor):
        raise PermissionDenied
    name = document.file.name
    storage = document.file.storage
    with transaction.atomic():
        document.delete()
        transaction.on_commit(lambda: storage.delete(name))


# --- Per-user settings ------------------------------------------------------------------------


def user_settings_for(user) -> ProjectUserSettings:
    settings_obj, _created = ProjectUserSettings.objects.get_or_create(user=user)
    return settings_obj


def calendar_token_renew(*, actor) -> ProjectUserSettings:
    """Issue a new secret calendar URL; the old one stops working at once."""
    with transaction.atomic():
        settings_obj = user_settings_for(actor)
        settings_obj.calendar_token = new_calendar_token()
        settings_obj.save(update_fields=["calendar_token"])
    return settings_obj


def calendar_token_revoke(*, actor) -> ProjectUserSettings:
    with transaction.atomic():
        settings_obj = user_settings_for(actor)
        settings_obj.calendar_token = ""
        settings_obj.save(update_fields=["calendar_token"])
    return settings_obj
