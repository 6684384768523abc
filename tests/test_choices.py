"""The fast choice labels answer what Django's get_<field>_display() answers."""

from django.db import models

from news.models import Delivery, PressRelease
from projects.models import Milestone, ProgressReport, Project
from soest_office.choices import ChoiceDisplayMixin
from stakeholders.models import (
    Contact,
    DistributionList,
    Interaction,
    Involvement,
    LegalBasisRecord,
)

# Models whose labels appear once per row of a list, export or Auskunft.
FAST = (
    Project,
    ProgressReport,
    Milestone,
    Contact,
    LegalBasisRecord,
    Involvement,
    Interaction,
    DistributionList,
    PressRelease,
    Delivery,
)


def test_row_models_use_the_fast_labels():
    assert all(issubclass(model, ChoiceDisplayMixin) for model in FAST)


def test_labels_match_djangos_for_every_choice_and_unknown_values():
    for model in FAST:
        for field in model._meta.fields:
            if not field.choices:
                continue
            for value in [*(v for v, _label in field.flatchoices), "unbekannt", None]:
                obj = model(**{field.attname: value})
                fast = getattr(obj, f"get_{field.name}_display")()
                assert fast == models.Model._get_FIELD_display(obj, field), (model, field, value)
