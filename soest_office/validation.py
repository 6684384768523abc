"""Model validation of an edit, limited to what the edit changed.

`Model.full_clean()` checks every field: each foreign key by a query, each unique field by a
query, each check constraint by a query. For an edit of one field that is a dozen queries
for values that were valid when they were saved and that nobody touched; the database
holds the same rules as constraints anyway. A service that edits a row validates the
changed fields and everything that shares a constraint with them:

    changed = changed_fields(project, fields)
    ...set the values...
    project.full_clean(exclude=unchanged_exclusions(Project, changed))
"""

from __future__ import annotations

from django.db import models


def changed_fields(instance, fields: dict) -> set[str]:
    """The names in `fields` whose value differs from the instance's (foreign keys compared
    by id, so no related object is loaded). Call before setting the new values."""
    changed = set()
    for name, value in fields.items():
        field = instance._meta.get_field(name)
        if field.many_to_many:
            changed.add(name)
            continue
        new = value.pk if isinstance(value, models.Model) else value
        if getattr(instance, field.attname) != new:
            changed.add(name)
    return changed


def _constraint_fields(model, constraint) -> set[str] | None:
    """The fields a constraint reads, or None when that cannot be told (then it is always
    validated)."""
    names: set[str] = set()
    condition = getattr(constraint, "condition", None)
    if condition is not None:
        names |= set(condition.referenced_base_fields)
    if isinstance(constraint, models.UniqueConstraint):
        if constraint.expressions:
            return None
        names |= set(constraint.fields) | set(constraint.include or ())
    elif not isinstance(constraint, models.CheckConstraint):
        return None
    fields = set()
    for name in names:
        try:
            fields.add(model._meta.get_field(name).name)
        except Exception:  # an attname ("project_id") or an unknown name: keep it checked
            return None
    return fields


def unchanged_exclusions(model, changed: set[str]) -> set[str]:
    """Field names `full_clean(exclude=...)` may skip when only `changed` were edited: the
    concrete fields that are neither changed nor read by a constraint (or unique_together)
    together with a changed field. A constraint whose fields cannot be told keeps all of
    its fields checked."""
    checked = set(changed)
    groups = [_constraint_fields(model, c) for c in model._meta.constraints]
    groups += [set(together) for together in model._meta.unique_together]
    for group in groups:
        if group is None:
            return set()
        if group & changed:
            checked |= group
    return {field.name for field in model._meta.concrete_fields} - checked
