"""The form that chooses period, projects and format of the report for the funder."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import FundingDecision, Project
from .common import DateInput


class FunderReportForm(forms.Form):
    FORMAT_CHOICES = [("pdf", _("PDF (Druckfassung)")), ("xlsx", _("Excel (XLSX)"))]

    date_from = forms.DateField(label=_("Berichtszeitraum von"), widget=DateInput)
    date_to = forms.DateField(label=_("Berichtszeitraum bis"), widget=DateInput)
    decision = forms.ModelChoiceField(
        label=_("alle Projekte dieses Förderbescheids"),
        queryset=FundingDecision.objects.none(),
        required=False,
    )
    programme = forms.ChoiceField(
        label=_("alle Projekte dieses Förderprogramms"), choices=[], required=False
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("Projekte"),
        queryset=Project.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Dazu oder statt dessen: ein Förderbescheid oder ein Förderprogramm oben."),
    )
    output = forms.ChoiceField(
        label=_("Format"), choices=FORMAT_CHOICES, initial="pdf", widget=forms.RadioSelect
    )

    def __init__(self, *args, projects, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = projects
        self.decisions = decisions.filter(project__in=projects).select_related("project")
        self.fields["decision"].queryset = self.decisions
        self.fields["decision"].label_from_instance = lambda d: f"{d} ({d.project.title})"
        programmes = sorted({p for p in self.decisions.values_list("programme", flat=True) if p})
        self.fields["programme"].choices = [("", "—")] + [(p, p) for p in programmes]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Das Ende des Zeitraums liegt vor seinem Beginn."))
        chosen = {p.pk: p for p in data.get("projects") or []}
        if data.get("decision"):
            chosen.setdefault(data["decision"].project_id, data["decision"].project)
        if data.get("programme"):
            for decision in self.decisions.filter(programme=data["programme"]):
                chosen.setdefault(decision.project_id, decision.project)
        if not chosen and not self.errors.get("projects"):
            self.add_error(
                "projects",
                _(
                    "Bitte wählen Sie mindestens ein Projekt, einen Förderbescheid oder ein "
                    "Förderprogramm."
                ),
            )
        data["projects"] = list(chosen.values())
        return data
