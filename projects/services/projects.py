"""Writes of a project's master data, with optimistic locking (soest_office.locking): a save
that would overwrite a colleague's change raises StaleVersion naming what changed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from soest_office import locking
from soest_office.access import CREATE, require
from soest_office.validation import changed_fields, unchanged_exclusions

from ..models import Project, ProjectContact
from ..rules import DESCRIBE, MANAGE, PROJECT

# The one lost-update mechanism of the office (soest_office.locking); the old name stays.
ProjectConflict = locking.StaleVersion


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

    Atomic; locks the row. Raises locking.StaleVersion with the fields the colleague
    changed since `expected_version` (their value vs. the editor's), instead of silently
    overwriting it.
    """
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project_id)
        require(PROJECT.allows(actor, project, MANAGE))
        submitted = dict(fields)
        if participating is not None:
            submitted["participating_municipalities"] = list(participating)
        locking.ensure_version(project, expected_version, submitted)
        changed = changed_fields(project, fields)
        for name, value in fields.items():
            setattr(project, name, value)
        # The changed fields and the constraints they take part in; the rest was valid when
        # it was saved (soest_office.validation), and the database holds the same rules.
        project.full_clean(exclude=unchanged_exclusions(Project, changed))
        before = None
        if participating is not None:
            before = list(project.participating_municipalities.all())
            reason = participants_change_reason(before, participating)
            if reason:
                project._change_reason = reason
        project.save()
        if before is not None and {m.pk for m in before} != {m.pk for m in participating}:
            project.participating_municipalities.set(participating)
    return project


# Many-to-many changes are not in simple-history's field copy: a change of the participating
# municipalities travels in the record's change reason (max. 100 characters), as slugs.
PARTICIPANTS_REASON = "participants:"


def participants_change_reason(current, participating) -> str:
    """The history's change reason for a new set of participants ("" if unchanged);
    `current` are the municipalities taking part so far."""
    before = sorted(m.slug for m in current)
    after = sorted(m.slug for m in participating)
    if before == after:
        return ""
    reason = f"{PARTICIPANTS_REASON}{','.join(before)}>{','.join(after)}"
    return reason if len(reason) <= 100 else f"{PARTICIPANTS_REASON}>"


def project_describe(
    *, actor, project_id: int, expected_version: int, fields: dict, contact_user=None
) -> Project:
    """Save description and next steps (partners for their own projects, the office for
    all) and, for a partner, their municipality's contact person. Optimistic locking as in
    project_update; nothing else of the project changes."""
    allowed = {"description", "next_steps"}
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project_id)
        require(PROJECT.allows(actor, project, DESCRIBE))
        locking.ensure_version(project, expected_version, fields)
        for name, value in fields.items():
            if name in allowed:
                setattr(project, name, value)
        project.save()
        municipality_id = getattr(actor, "municipality_id", None)
        if contact_user is not None and municipality_id is not None:
            if contact_user.municipality_id != municipality_id:
                raise ValidationError(_("Diese Person gehört nicht zu Ihrer Kommune."))
            ProjectContact.objects.update_or_create(
                project=project, municipality_id=municipality_id, defaults={"user": contact_user}
            )
    return project


def project_set_status(*, actor, project_id: int, status: str, source: str = "") -> tuple:
    """Set the project's status (office only), e.g. on a decision of the steering group.

    Atomic; locks the row, so a concurrent edit sees the new version. `source` is a kernel
    reference token (soest_office.plugins.reference_token) kept in the history record's
    change reason: the history page links the change to its cause for those who may see it.
    Returns (project, previous status). Raises ValidationError for an unknown status or one
    the project already has.
    """
    if status not in Project.Status.values:
        raise ValidationError(_("Unbekannter Projektstatus."))
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project_id)
        require(PROJECT.allows(actor, project, MANAGE))
        previous = project.status
        if previous == status:
            raise ValidationError(
                _("Das Projekt „%(p)s“ hat bereits den Status „%(s)s“.")
                % {"p": project.title, "s": project.get_status_display()}
            )
        project.status = status
        if source:
            project._change_reason = source[:100]
        project.save()
    return project, previous


def project_archive(*, actor, project: Project) -> Project:
    require(PROJECT.allows(actor, project, MANAGE))
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        project.archived_at = None if project.archived_at else timezone.now()
        project.save()
    return project
