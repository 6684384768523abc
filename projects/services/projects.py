"""Writes of a project's master data, with optimistic locking: a save that would overwrite
a colleague's change raises ProjectConflict naming what changed."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from soest_office.access import CREATE, require

from ..display import FieldChange, display_value
from ..models import Project
from ..rules import MANAGE, PROJECT


class ProjectConflict(Exception):
    """The project was saved by someone else since the editor loaded it."""

    def __init__(self, *, current: Project, changes: list[FieldChange], changed_by: str):
        super().__init__("project changed concurrently")
        self.current = current
        self.changes = changes
        self.changed_by = changed_by


def project_create(*, actor, fields: dict, participating=()) -> Project:
    """Create a project (office only)."""
    require(PROJECT.permits(actor, CREATE))
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
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project_id)
        require(PROJECT.allows(actor, project, MANAGE))
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
    require(PROJECT.allows(actor, project, MANAGE))
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        project.archived_at = None if project.archived_at else timezone.now()
        project.version += 1
        project.save()
    return project
