"""The change history shown on the project page: who changed what, when.

Reads django-simple-history's tables for the project, its milestones and its reports
(three queries whatever their size) and computes the field differences in Python by
pairing consecutive records of the same object.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from soest_office.models import Municipality
from soest_office.plugins import parse_reference, resolve_references

from .display import FieldChange, display_value
from .models import Milestone, ProgressReport, Project
from .rules import MILESTONE, REPORT
from .services import PARTICIPANTS_REASON

SKIP = {
    "id",
    "version",
    "created_at",
    "updated_at",
    "snapshot",
    "submitted_at",
    "reviewed_at",
    "project",
    "author",
    "municipality",
    "reviewed_by",
}
ACTIONS = {"+": _("angelegt"), "~": _("geändert"), "-": _("gelöscht")}


@dataclass
class HistoryEntry:
    when: object
    who: str
    what: str
    action: str
    changes: list = field(default_factory=list)
    # (label, url) of the cause in another app (e.g. a decision), if the user may see it.
    source: tuple | None = None


def _tracked_fields(model):
    return [f.name for f in model._meta.concrete_fields if f.name not in SKIP]


def _participants_change(record, municipality_names) -> FieldChange | None:
    reason = getattr(record, "history_change_reason", None) or ""
    if not reason.startswith(PARTICIPANTS_REASON):
        return None
    before, _sep, after = reason.removeprefix(PARTICIPANTS_REASON).partition(">")

    def names(slugs):
        return ", ".join(municipality_names.get(s, s) for s in slugs.split(",") if s) or "–"

    if not before and not after:  # too many to list within the reason's length
        return FieldChange(label=_("beteiligte Kommunen"), before="…", after="…")
    return FieldChange(label=_("beteiligte Kommunen"), before=names(before), after=names(after))


def _entries(records, model, label, municipality_names=None, sources=None):
    names = _tracked_fields(model)
    by_object: dict[int, list] = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        by_object.setdefault(record.id, []).append(record)
    entries = []
    for versions in by_object.values():
        previous = None
        for record in versions:
            changes = []
            if previous is not None and record.history_type == "~":
                for name in names:
                    old_raw = (
                        getattr(previous, f"{name}_id", None)
                        if _is_fk(model, name)
                        else (getattr(previous, name))
                    )
                    new_raw = (
                        getattr(record, f"{name}_id", None)
                        if _is_fk(model, name)
                        else (getattr(record, name))
                    )
                    if old_raw != new_raw:
                        changes.append(
                            FieldChange(
                                label=str(model._meta.get_field(name).verbose_name),
                                before=display_value(previous, name),
                                after=display_value(record, name),
                            )
                        )
            if municipality_names is not None:
                participants = _participants_change(record, municipality_names)
                if participants is not None:
                    changes.append(participants)
            previous = record
            if record.history_type == "~" and not changes and len(versions) > 1:
                continue  # a save without visible change (e.g. only the version number)
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=str(record.history_user) if record.history_user else _("System"),
                    what=label(record),
                    action=ACTIONS.get(record.history_type, record.history_type),
                    changes=changes,
                    source=(sources or {}).get(getattr(record, "history_change_reason", None)),
                )
            )
    return entries


def _is_fk(model, name):
    return model._meta.get_field(name).is_relation


def project_history(project: Project, *, user, limit: int = 40) -> list[HistoryEntry]:
    """The latest changes of the project, its milestones and its reports, each of them
    only as far as the user may see those objects now (projects/rules.py): a
    municipality's draft report stays its own in the history too."""
    project_records = list(
        project.history.select_related(
            "history_user", "field_of_action", "lead_municipality", "responsible"
        ).order_by("-history_date")[:limit]
    )
    milestone_records = list(
        MILESTONE.scope_by_id(Milestone.history.filter(project_id=project.pk), user, "id")
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )
    report_records = list(
        REPORT.scope_by_id(ProgressReport.history.filter(project_id=project.pk), user, "id")
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )
    # Names of municipalities only when a record lists changed participants (by slug).
    municipality_names = (
        dict(Municipality.objects.values_list("slug", "name"))
        if any(
            (getattr(r, "history_change_reason", None) or "").startswith(PARTICIPANTS_REASON)
            for r in project_records
        )
        else {}
    )
    # Causes in other apps (a decision that stopped the project), as far as the user may see
    # them under those apps' rules: one resolver call per app, none without a reference.
    sources = resolve_references(
        user,
        [
            r.history_change_reason
            for r in project_records
            if parse_reference(getattr(r, "history_change_reason", None))
        ],
    )
    entries = (
        _entries(project_records, Project, lambda r: _("Projekt"), municipality_names, sources)
        + _entries(milestone_records, Milestone, lambda r: _("Meilenstein „%s“") % r.title)
        + _entries(
            report_records,
            ProgressReport,
            lambda r: _("Bericht zum %s") % r.reporting_date.strftime("%d.%m.%Y"),
        )
    )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]
