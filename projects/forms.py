from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soest_office import uploads
from soest_office.access import Role
from soest_office.models import Municipality

from . import display, selectors
from .models import (
    BudgetLine,
    Document,
    Drawdown,
    FundingDecision,
    Milestone,
    ProgressReport,
    Project,
    ProjectContact,
    ProjectUserSettings,
)

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


def _office_users():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.OFFICE.value)
        .order_by("last_name", "first_name", "username")
    )


# Path segments under /projekte/ that are pages, not projects (projects/urls.py).
RESERVED_SLUGS = {
    "neu",
    "berichte",
    "einstellungen",
    "kalender",
    "transparenz",
    "sachstandsbericht",
}


class ProjectForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Project
        fields = [
            "title",
            "slug",
            "summary",
            "description",
            "field_of_action",
            "lead_municipality",
            "participating_municipalities",
            "status",
            "traffic_light",
            "traffic_light_reason",
            "start_date",
            "planned_end_date",
            "responsible",
            "total_budget",
            "transferability",
            "is_public",
        ]
        widgets = {
            "start_date": DateInput,
            "planned_end_date": DateInput,
            "participating_municipalities": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 5}),
            "traffic_light_reason": forms.Textarea(attrs={"rows": 2}),
            "transferability": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "slug": _("Nur Kleinbuchstaben, Ziffern und Bindestriche, z. B. „3d-stadtmodell“."),
            "is_public": _("Erscheint im öffentlichen Transparenz-Export."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = _office_users()
        money_field(self.fields["total_budget"])
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(
                _(
                    "„%(slug)s“ ist eine Seite der Projektliste; bitte wählen Sie einen anderen "
                    "Kurznamen."
                )
                % {"slug": slug}
            )
        return slug

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("planned_end_date")
        if start and end and end < start:
            self.add_error(
                "planned_end_date", _("Das geplante Ende darf nicht vor dem Beginn liegen.")
            )
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
        if light == Project.TrafficLight.GREEN:
            data["traffic_light_reason"] = ""
        lead = data.get("lead_municipality")
        participants = data.get("participating_municipalities")
        if lead and participants and lead in participants:
            self.add_error(
                "participating_municipalities",
                _("Die federführende Kommune muss nicht zusätzlich als beteiligt markiert werden."),
            )
        budget = data.get("total_budget")
        if budget is not None and budget < 0:
            self.add_error("total_budget", _("Das Budget darf nicht negativ sein."))
        elif budget is not None and self.instance.pk:
            granted = selectors.granted_total(self.instance)
            if granted > budget + ROUNDING_TOLERANCE:
                self.add_error(
                    "total_budget",
                    _("Die bewilligte Förderung (%(granted)s) ist höher als das Budget.")
                    % {"granted": display.format_euro(granted)},
                )
        return data

    def service_fields(self) -> dict:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("version", "participating_municipalities")
        }


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date", "done_date", "note"]
        widgets = {
            "due_date": DateInput,
            "done_date": DateInput,
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_done_date(self):
        done = self.cleaned_data.get("done_date")
        if done and done > timezone.localdate():
            raise forms.ValidationError(_("Das Erledigt-Datum darf nicht in der Zukunft liegen."))
        return done


class ProgressReportForm(forms.ModelForm):
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


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["title", "kind", "file"]
        help_texts = {
            "file": _("Erlaubt: %(types)s")
            % {"types": ", ".join(uploads.allowed_extensions(uploads.DOCUMENT_TYPES))},
        }

    def clean_file(self):
        return uploads.validate_upload(self.cleaned_data.get("file"), uploads.DOCUMENT_TYPES)

    def _post_clean(self):
        pass  # stored through services.document_upload


class FundingDecisionForm(forms.ModelForm):
    class Meta:
        model = FundingDecision
        fields = [
            "funder",
            "programme",
            "reference",
            "decision_date",
            "period_start",
            "period_end",
            "eligible_costs",
            "funding_rate",
            "granted_amount",
            "own_share",
        ]
        widgets = {
            "decision_date": DateInput,
            "period_start": DateInput,
            "period_end": DateInput,
        }

    def __init__(self, *args, project: Project, **kwargs):
        self.project = project
        super().__init__(*args, **kwargs)
        self.instance.project = project
        for name in ("eligible_costs", "funding_rate", "granted_amount", "own_share"):
            money_field(self.fields[name])

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Der Bewilligungszeitraum endet vor seinem Beginn."))
        rate = data.get("funding_rate")
        if rate is not None and not 0 <= rate <= 100:
            self.add_error("funding_rate", _("Die Förderquote muss zwischen 0 und 100 % liegen."))
            rate = None
        eligible, granted = data.get("eligible_costs"), data.get("granted_amount")
        own = data.get("own_share") or Decimal(0)
        for name in ("eligible_costs", "granted_amount", "own_share"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("Der Betrag darf nicht negativ sein."))
                return data
        if None not in (eligible, granted, rate):
            expected = (eligible * rate / 100).quantize(Decimal("0.01"))
            if abs(expected - granted) > ROUNDING_TOLERANCE:
                self.add_error(
                    "granted_amount",
                    _(
                        "Zuwendung und Förderquote passen nicht zusammen: %(rate)s %% von "
                        "%(eligible)s sind %(expected)s."
                    )
                    % {
                        "rate": str(rate).replace(".", ","),
                        "eligible": display.format_euro(eligible),
                        "expected": display.format_euro(expected),
                    },
                )
            elif own and abs(granted + own - eligible) > ROUNDING_TOLERANCE:
                self.add_error(
                    "own_share",
                    _(
                        "Zuwendung und Eigenanteil ergeben zusammen nicht die "
                        "zuwendungsfähigen Ausgaben."
                    ),
                )
        if granted is not None:
            others = selectors.granted_total(self.project, exclude_pk=self.instance.pk)
            if others + granted > self.project.total_budget + ROUNDING_TOLERANCE:
                self.add_error(
                    "granted_amount",
                    _(
                        "Die Förderung insgesamt (%(total)s) wäre höher als das Budget des "
                        "Projekts (%(budget)s). Bitte zuerst das Budget anpassen."
                    )
                    % {
                        "total": display.format_euro(others + granted),
                        "budget": display.format_euro(self.project.total_budget),
                    },
                )
        return data


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["title", "planned_amount", "spent_amount"]

    def __init__(self, *args, project: Project, **kwargs):
        self.project = project
        super().__init__(*args, **kwargs)
        self.instance.project = project
        money_field(self.fields["planned_amount"])
        money_field(self.fields["spent_amount"])

    def clean(self):
        data = super().clean()
        for name in ("planned_amount", "spent_amount"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("Der Betrag darf nicht negativ sein."))
        return data


class DrawdownForm(forms.ModelForm):
    class Meta:
        model = Drawdown
        fields = [
            "funding_decision",
            "requested_date",
            "requested_amount",
            "received_date",
            "received_amount",
        ]
        widgets = {"requested_date": DateInput, "received_date": DateInput}

    def __init__(self, *args, project: Project, **kwargs):
        self.project = project
        super().__init__(*args, **kwargs)
        self.fields["funding_decision"].queryset = project.funding_decisions.all()
        money_field(self.fields["requested_amount"])
        money_field(self.fields["received_amount"])

    def clean(self):
        data = super().clean()
        decision = data.get("funding_decision")
        requested = data.get("requested_amount")
        received = data.get("received_amount") or Decimal(0)
        if requested is not None and requested <= 0:
            self.add_error("requested_amount", _("Der abgerufene Betrag muss größer als 0 sein."))
        if received < 0:
            self.add_error("received_amount", _("Der Betrag darf nicht negativ sein."))
        if requested is not None and received > requested:
            self.add_error(
                "received_amount", _("Es kann nicht mehr eingehen, als abgerufen wurde.")
            )
        if received > 0 and not data.get("received_date"):
            self.add_error("received_date", _("Bitte das Eingangsdatum angeben."))
        requested_date, received_date = data.get("requested_date"), data.get("received_date")
        if requested_date and received_date and received_date < requested_date:
            self.add_error("received_date", _("Der Eingang liegt vor dem Abruf."))
        if decision and requested is not None:
            others = selectors.drawn_total(decision, exclude_pk=self.instance.pk)
            if others + requested > decision.granted_amount + ROUNDING_TOLERANCE:
                self.add_error(
                    "requested_amount",
                    _("Insgesamt würden %(total)s abgerufen, bewilligt sind nur %(granted)s.")
                    % {
                        "total": display.format_euro(others + requested),
                        "granted": display.format_euro(decision.granted_amount),
                    },
                )
        return data


class ProjectContactForm(forms.ModelForm):
    class Meta:
        model = ProjectContact
        fields = ["municipality", "user"]

    def __init__(self, *args, project: Project, **kwargs):
        self.project = project
        super().__init__(*args, **kwargs)
        self.instance.project = project
        self.fields["municipality"].queryset = Municipality.objects.all()
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, municipality__isnull=False)
            .select_related("municipality")
            .order_by("last_name", "first_name")
        )
        self.fields["user"].label_from_instance = lambda u: f"{u} ({u.municipality})"

    def clean(self):
        data = super().clean()
        user, municipality = data.get("user"), data.get("municipality")
        if user and municipality and user.municipality_id != municipality.pk:
            self.add_error("user", _("Diese Person gehört nicht zur gewählten Kommune."))
        # The unique constraint spans `project`, which is not a form field, so Django's
        # constraint validation skips it: check here instead of failing in the database.
        if (
            municipality
            and ProjectContact.objects.filter(project=self.project, municipality=municipality)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error(
                "municipality",
                _("Für diese Kommune gibt es schon eine Ansprechperson im Projekt."),
            )
        return data


class UserSettingsForm(forms.ModelForm):
    class Meta:
        model = ProjectUserSettings
        fields = ["mail_mode"]
        widgets = {"mail_mode": forms.RadioSelect}


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
