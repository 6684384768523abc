"""Widgets and field helpers the projects forms share: date inputs and German money
fields, and the rounding tolerance of funding arithmetic."""

from decimal import Decimal

from django import forms

# Tolerance for rounding in funding arithmetic (one euro, as funders' forms round).
ROUNDING_TOLERANCE = Decimal("1.00")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def money_field(field: forms.Field):
    """German money input: '12.500,00' or '12500,00' (localized), text box with decimal
    keyboard on phones."""
    field.localize = True
    field.widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    field.widget.is_localized = True
    return field
