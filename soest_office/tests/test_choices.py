"""The fast choice labels answer what Django's get_<field>_display() answers."""

from django.db import models

from projects.models import Milestone, ProgressReport, Project


def test_labels_match_djangos_for_every_choice_and_unknown_values():
    for model in (Project, ProgressReport, Milestone):
        for field in model._meta.fields:
            if not field.choices:
                continue
            for value in [*(v for v, _label in field.flatchoices), "unbekannt", None]:
                obj = model(**{field.attname: value})
                fast = getattr(obj, f"get_{field.name}_display")()
                assert fast == models.Model._get_FIELD_display(obj, field), (model, field, value)
