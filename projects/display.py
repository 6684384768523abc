"""Values as the projects UI shows them: German dates, numbers and euro amounts, choices'
labels, and a changed field as a before/after pair."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from .models import Project


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


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


def report_value_display(name, value):
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
