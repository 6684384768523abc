"""Forms of the progress report workflow: writing a report, and returning it with a
comment."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soest_office.locking import VersionedFormMixin

from ..models import ProgressReport, Project
from .common import DateInput, money_field


class ProgressReportForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = ProgressReport
        fields = [
            "reporting_date",
            "percent_complete",
            "traffic_light",
            "traffic_light_reason",
            "achieved",
            "next_steps",
            "risks",
            "spent_to_date",
        ]
        widgets = {
            "reporting_date": DateInput,
            "percent_complete": forms.NumberInput(attrs={"min": 0, "max": 100}),
            "traffic_light": forms.RadioSelect,
            "traffic_light_reason": forms.Textarea(attrs={"rows": 2}),
            "achieved": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
            "risks": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "reporting_date": _("Stand, auf den sich der Bericht bezieht."),
            "traffic_light_reason": _("Pflicht bei gelb oder rot."),
        }

    def __init__(self, *args, project: Project, **kwargs):
        self.project = project
        super().__init__(*args, **kwargs)
        money_field(self.fields["spent_to_date"])
        self.fields["percent_complete"].min_value = None
        self.fields["percent_complete"].validators = []
        if not self.instance.pk:
            self.initial.setdefault("reporting_date", timezone.localdate())
            self.initial.setdefault("percent_complete", project.percent_complete)
            self.initial.setdefault("traffic_light", project.traffic_light)
            self.initial.setdefault("spent_to_date", project.spent_to_date)

    def clean_percent_complete(self):
        value = self.cleaned_data.get("percent_complete")
        if value is not None and not 0 <= value <= 100:
            raise forms.ValidationError(_("Der Fortschritt muss zwischen 0 und 100 % liegen."))
        return value

    def clean_reporting_date(self):
        value = self.cleaned_data.get("reporting_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Der Stichtag darf nicht in der Zukunft liegen."))
        if value and self.project.start_date and value < self.project.start_date:
            raise forms.ValidationError(_("Der Stichtag liegt vor dem Projektbeginn."))
        return value

    def clean_spent_to_date(self):
        value = self.cleaned_data.get("spent_to_date")
        if value is not None and value < 0:
            raise forms.ValidationError(_("Die Ausgaben dürfen nicht negativ sein."))
        return value

    def clean(self):
        data = super().clean()
        light = data.get("traffic_light")
        if (
            light
            and light != Project.TrafficLight.GREEN
            and not data.get("traffic_light_reason", "").strip()
        ):
            self.add_error(
                "traffic_light_reason",
                _("Bitte begründen Sie, warum die Ampel nicht auf grün steht."),
            )
        return data

    def _post_clean(self):
        # Fields are validated above; the model is completed (project, author) in the service.
        pass


class ReturnReportForm(forms.Form):
    comment = forms.CharField(
        label=_("Kommentar für die berichtende Kommune"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Bitte begründen Sie die Rückgabe in einem Kommentar.")},
    )
