"""Fast `get_<field>_display()` for models whose lists show choice labels in every row."""

import functools

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language


@functools.lru_cache(maxsize=256)
def _labels(field, language: str | None) -> dict:
    """The field's choices as {value: label}, labels translated into `language`."""
    return {make_hashable(value): force_str(label) for value, label in field.flatchoices}


class ChoiceDisplayMixin:
    """Django's `get_<field>_display()` rebuilds the dict of all choices on every call and
    translates every lazy label to hash it: two such calls per row were a sixth of the
    report list's time. The same answer from a dict made once per field and language."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        label = _labels(field, get_language()).get(make_hashable(value), value)
        return force_str(label, strings_only=True)
