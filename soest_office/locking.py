"""Optimistic locking: one mechanism against lost updates, for every edit form.

- `VersionedModel` (abstract): a `version` number that every save of an existing row raises;
  bulk writes raise it through `versioned_bulk_fields()` (bulk_update) or `raise_versions()`.
- `VersionedFormMixin`: a hidden `version` field in a ModelForm, holding the version the
  editor loaded.
- `save_versioned()` / `check_version()`: the check in the service. Inside the transaction the
  row is locked; if its stored version moved since the editor loaded it, `StaleVersion` is
  raised, naming what the other person changed (field: their value vs. yours).
- `VersionedFormViewMixin`: a form view that catches `StaleVersion`, re-renders the form with
  everything the user typed and a German message (HTTP 409); the next save is deliberate.
- `VersionedAdminMixin`: the same check for the admin; admin saves raise the version.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

VERSION_FIELD = "version"


class VersionedModel(models.Model):
    """A model whose rows carry a version; every save of an existing row raises it."""

    version = models.PositiveIntegerField(gettext_lazy("Version"), default=1)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not self._state.adding and self.pk is not None:
            if update_fields is None:
                self.raise_version()
            elif VERSION_FIELD not in update_fields:
                self.raise_version()
                kwargs["update_fields"] = [*update_fields, VERSION_FIELD]
        super().save(*args, **kwargs)

    def raise_version(self) -> None:
        self.version = (self.version or 0) + 1


def versioned_bulk_fields(instances, fields) -> list[str]:
    """For `bulk_update` (which calls no `save`): raise the version of every instance, as
    a save would, and return `fields` with the version field. Any form loaded before the
    bulk write is then stale, like after a save through the form."""
    for instance in instances:
        instance.raise_version()
    return sorted({*fields, VERSION_FIELD})


def raise_versions(queryset) -> int:
    """Raise the version of the rows of `queryset` in one UPDATE, for writes that change a
    row without saving it (many-to-many rows added in bulk)."""
    return queryset.update(version=models.F(VERSION_FIELD) + 1)


@dataclass
class Change:
    """One field where the stored value (the other person's) differs from the user's."""

    label: str
    theirs: str
    yours: str


class StaleVersion(Exception):
    """The row was saved by someone else since the editor loaded it."""

    def __init__(self, *, current, changes: list[Change], changed_by: str):
        super().__init__("stale version")
        self.current = current
        self.changes = changes
        self.changed_by = changed_by

    @property
    def message(self) -> str:
        return _(
            "%(who)s hat diesen Datensatz gespeichert, während Sie ihn bearbeitet haben. "
            "Ihre Änderungen wurden noch nicht übernommen; Ihre Eingaben stehen unten. "
            "Prüfen Sie die Unterschiede und speichern Sie erneut, um die Werte der anderen "
            "Person zu überschreiben."
        ) % {"who": self.changed_by}

    def error_list(self) -> list[str]:
        """The message and one line per changed field, as form errors."""
        lines = [self.message]
        for change in self.changes:
            lines.append(
                _("%(field)s: dort „%(theirs)s“, bei Ihnen „%(yours)s“")
                % {"field": change.label, "theirs": change.theirs, "yours": change.yours}
            )
        return lines


def display(field, value) -> str:
    """A field value as a person reads it (choices' labels, German dates and numbers)."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set | models.QuerySet):
        return ", ".join(sorted(str(v) for v in value)) or "–"
    if value in (None, ""):
        return "–"
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if isinstance(value, datetime.datetime):
        return formats.localize(value, use_l10n=True)
    if isinstance(value, datetime.date | Decimal | int | float):
        return formats.localize(value, use_l10n=True)
    if hasattr(value, "name") and not isinstance(value, str):  # files
        return value.name or "–"
    return str(value)


def _stored(instance, field):
    if field.many_to_many:
        return list(getattr(instance, field.name).all()) if instance.pk else []
    return getattr(instance, field.name)


def _comparable(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | models.QuerySet):
        return sorted(v.pk if isinstance(v, models.Model) else v for v in value)
    if hasattr(value, "name") and not isinstance(value, str):
        return value.name or None
    return None if value == "" else value


def _changed_by(current) -> str:
    history = getattr(current, "history", None)
    if history is not None:
        latest = history.select_related("history_user").order_by("-history_date").first()
        if latest is not None and latest.history_user is not None:
            return str(latest.history_user)
    return _("Eine andere Person")


def _model_field(instance, name):
    try:
        return instance._meta.get_field(name)
    except FieldDoesNotExist:  # a form-only field
        return None


def _model_field(instance, name):
    try:
        return instance._meta.get_field(name)
    except FieldDoesNotExist:  # a form-only field
        return None


def _seen(current, expected_version):
    """The history record of the version the editor loaded, if the model keeps history."""
    history = getattr(current, "history", None)
    if history is None or expected_version is None:
        return None
    return history.filter(version=expected_version).order_by("-history_date").first()


def changes_between(current, submitted: dict, expected_version=None) -> list[Change]:
    """What the other person changed: the fields whose stored value differs from what the
    user submitted – with history, only those changed since the version the editor loaded."""
    seen = _seen(current, expected_version)
    changes = []
    for name, yours in submitted.items():
        field = _model_field(current, name)
        if field is None or name == VERSION_FIELD:
            continue
        theirs = _stored(current, field)
        if (
            seen is not None
            and not field.many_to_many
            and hasattr(seen, field.attname)
            and getattr(seen, field.attname) == getattr(current, field.attname)
        ):
            continue  # not changed by the other person
        if _comparable(theirs) != _comparable(yours):
            changes.append(
                Change(
                    label=str(getattr(field, "verbose_name", name)),
                    theirs=display(field, theirs),
                    yours=display(field, yours),
                )
            )
    return changes


def ensure_version(current, expected_version, submitted: dict):
    """Raise StaleVersion if the (already locked) row's version moved since the editor
    loaded `expected_version`; return the row."""
    if expected_version is not None and current.version != expected_version:
        raise StaleVersion(
            current=current,
            changes=changes_between(current, submitted, expected_version),
            changed_by=_changed_by(current),
        )
    return current


def check_version(model, pk, expected_version, submitted: dict):
    """Lock the row and return it; raise StaleVersion if its version moved since the editor
    loaded `expected_version`. Call inside transaction.atomic()."""
    current = model._default_manager.select_for_update().get(pk=pk)
    return ensure_version(current, expected_version, submitted)


def save_versioned(form, *, expected_version=None, commit_hook=None):
    """Save a ModelForm of a VersionedModel unless someone saved the row in between.

    Atomic. `expected_version` defaults to the form's hidden version field.
    `commit_hook(obj)` runs before the save (e.g. to set the parent)."""
    if expected_version is None:
        expected_version = form.cleaned_data.get(VERSION_FIELD)
    instance = form.instance
    with transaction.atomic():
        if instance.pk is not None and not instance._state.adding:
            current = check_version(
                type(instance), instance.pk, expected_version, form.cleaned_data
            )
            instance.version = current.version
        if commit_hook is None:
            return form.save()
        obj = form.save(commit=False)
        commit_hook(obj)
        obj.save()
        form.save_m2m()
    return obj


class VersionedFormMixin(forms.Form):
    """A hidden version field: the version of the row when the editor loaded it."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk:
            self.fields[VERSION_FIELD].initial = instance.version


def conflict_form(form_class, conflict: StaleVersion, data, files=None, **kwargs):
    """The form again with the user's input, bound to the current row and its new version:
    saving it now overwrites the other person's values deliberately."""
    data = data.copy()
    data[VERSION_FIELD] = conflict.current.version
    form = form_class(data=data, files=files, instance=conflict.current, **kwargs)
    form.is_valid()
    for line in conflict.error_list():
        form.add_error(None, line)
    return form


class VersionedFormViewMixin:
    """For FormView/UpdateView: `save_form(form)` saves (through save_versioned unless
    overridden); a StaleVersion re-renders the form with the user's input (HTTP 409)."""

    def save_form(self, form):
        return save_versioned(form)

    def conflict_response(self, form, conflict: StaleVersion):
        kwargs = self.get_form_kwargs()
        for name in ("data", "files", "instance", "initial", "prefix"):
            kwargs.pop(name, None)
        form = conflict_form(
            type(form), conflict, self.request.POST, self.request.FILES or None, **kwargs
        )
        if hasattr(self, "object"):
            self.object = conflict.current
        return self.render_to_response(
            self.get_context_data(form=form, conflict=conflict), status=409
        )


class VersionedAdminMixin:
    """ModelAdmin mixin: the admin form carries the version; a stale save is refused with the
    same message; every admin save raises the version (VersionedModel.save)."""

    def get_readonly_fields(self, request, obj=None):
        return [f for f in super().get_readonly_fields(request, obj) if f != VERSION_FIELD]

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or []), VERSION_FIELD]

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change=change, **kwargs)

        class VersionedAdminForm(VersionedFormMixin, base):
            def clean(self):
                data = super().clean()
                if self.instance.pk is None:
                    return data
                expected = data.get(VERSION_FIELD)
                stored = (
                    type(self.instance)
                    ._default_manager.filter(pk=self.instance.pk)
                    .values_list(VERSION_FIELD, flat=True)
                    .first()
                )
                if expected is not None and stored is not None and stored != expected:
                    current = type(self.instance)._default_manager.get(pk=self.instance.pk)
                    conflict = StaleVersion(
                        current=current,
                        changes=changes_between(current, data, expected),
                        changed_by=_changed_by(current),
                    )
                    raise ValidationError(conflict.error_list())
                return data

        return VersionedAdminForm
