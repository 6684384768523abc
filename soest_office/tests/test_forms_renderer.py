"""The fast <select> writes exactly what Django's select templates write."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from soest_office.forms_renderer import FormRenderer, render_select
from soest_office.models import Municipality

CHOICES = [
    ("", "---------"),
    ("a&b", 'Straße & "Weg" <b>'),
    (2024, 2024),  # numbers are localized like {{ 2024 }} (thousand separator)
    ("lazy", gettext_lazy("Kommune")),
    ("safe", mark_safe("<em>sicher</em>")),
]
GROUPED = [
    ("Kreis", [("soest", "Soest"), ("lippstadt", "Lippstadt")]),
    ("Märkischer Kreis", [("iserlohn", "Iserlohn & Umgebung")]),
    ("", "ohne Gruppe"),
]


class Sample(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.ChoiceField(choices=GROUPED)
    several = forms.MultipleChoiceField(choices=CHOICES, required=False)
    municipality = forms.ModelChoiceField(Municipality.objects.order_by("name"), required=False)
    styled = forms.ChoiceField(
        choices=CHOICES,
        widget=forms.Select(
            attrs={"class": "form-select", "data-x": 'a"b', "disabled": True, "hidden": False}
        ),
    )


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"plain": "a&b", "grouped": "iserlohn", "several": ["a&b", "2024"], "styled": "lazy"},
        {"plain": "2024", "grouped": "ohne", "several": ["safe"], "municipality": "1"},
    ],
)
def test_fast_select_matches_the_templates(db, data):
    form = Sample(data=data or None)
    for name in form.fields:
        field = form[name]
        fast = field.as_widget()  # the project's renderer (settings.FORM_RENDERER)
        reference = field.field.widget.render(
            field.html_name,
            field.value(),
            attrs=field.build_widget_attrs({}) | {"id": field.auto_id},
            renderer=DjangoTemplates(),
        )
        assert isinstance(form.renderer, FormRenderer)
        context = field.field.widget.get_context(field.html_name, field.value(), {})
        assert render_select(context["widget"]) is not None  # the fast path, not the fallback
        assert fast == reference, name
