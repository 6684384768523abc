"""The form that chooses period, projects and format of the report for the funder."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Project
from .common import DateInput


class FunderReportForm(forms.Form):
    FORMAT_CHOICES = [("pdf", _("PDF (Druckfassung)")), ("xlsx", _("Excel (XLSX)"))]

    date_from = forms.DateField(label=_("Berichtszeitraum von"), widget=DateInput)
    date_to = forms.DateField(label=_("Berichtszeitraum bis"), widget=DateInput)
    projects = forms.ModelMultipleChoiceField(
        label=_("Projekte"),
        queryset=Project.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Bitte wählen Sie mindestens ein Projekt.")},
    )
    output = forms.ChoiceField(
        label=_("Format"), choices=FORMAT_CHOICES, initial="pdf", widget=forms.RadioSelect
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = projects

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Das Ende des Zeitraums liegt vor seinem Beginn."))
        return data
