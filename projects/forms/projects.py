"""The form of a project's master data."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from soest_office.access import Role
from soest_office.locking import VersionedFormMixin

from .. import display, selectors
from ..models import Project
from .common import ROUNDING_TOLERANCE, DateInput, money_field


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


# The project's choices of other rows. They are form fields of their own rather than
# ModelForm fields: the choice field has found the chosen row already, and Django's model
# validation would ask the database a second time whether it exists, on every save, changed
# or not. The service (services.project_update) validates a changed choice on the model.
CHOICE_FIELDS = (
    "field_of_action",
    "lead_municipality",
    "participating_municipalities",
    "responsible",
)
FIELD_ORDER = [
    "title",
    "slug",
    "summary",
    "description",
    "next_steps",
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
    "funding_is_public",
]


class ProjectForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Project
        fields = [name for name in FIELD_ORDER if name not in CHOICE_FIELDS]
        widgets = {
            "start_date": DateInput,
            "planned_end_date": DateInput,
            "description": forms.Textarea(attrs={"rows": 5}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
            "traffic_light_reason": forms.Textarea(attrs={"rows": 2}),
            "transferability": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "slug": _("Nur Kleinbuchstaben, Ziffern und Bindestriche, z. B. „3d-stadtmodell“."),
            "is_public": _(
                "Erscheint unter /vorhaben/, in den offenen Daten und im Transparenz-Export."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        widgets = {"participating_municipalities": forms.CheckboxSelectMultiple}
        for name in CHOICE_FIELDS:
            model_field = Project._meta.get_field(name)
            self.fields[name] = model_field.formfield(widget=widgets.get(name))
            if self.instance.pk and name not in self.initial:
                self.initial[name] = (
                    list(getattr(self.instance, name).all())
                    if model_field.many_to_many
                    else getattr(self.instance, model_field.attname)
                )
        self.fields["responsible"].queryset = _office_users()
        self.order_fields(FIELD_ORDER)
        money_field(self.fields["total_budget"])

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
        elif budget is not None and self.instance.pk and "total_budget" in self.changed_data:
            # An untouched budget is not judged again on every save; the funding forms
            # check a new grant against it.
            granted = selectors.granted_total(self.instance)
            if granted > budget + ROUNDING_TOLERANCE:
                self.add_error(
                    "total_budget",
                    _("Die bewilligte Förderung (%(granted)s) ist höher als das Budget.")
                    % {"granted": display.format_euro(granted)},
                )
        return data

    def validate_unique(self):
        # An edit that keeps the slug need not ask whether another project has it.
        if self.instance.pk and "slug" not in self.changed_data:
            return
        super().validate_unique()

    def service_fields(self) -> dict:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("version", "participating_municipalities")
        }


class ProjectDescriptionForm(VersionedFormMixin, forms.ModelForm):
    """What partners keep of their own projects: description, next steps and their
    municipality's contact person. Money, status and traffic light are not in it."""

    contact_user = forms.ModelChoiceField(
        label=_("Ansprechperson Ihrer Kommune"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Erhält die Erinnerungen zu diesem Projekt."),
    )

    class Meta:
        model = Project
        fields = ["description", "next_steps"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "next_steps": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        if municipality is None:
            del self.fields["contact_user"]
            return
        self.fields["contact_user"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, municipality=municipality)
            .order_by("last_name", "first_name")
        )
        current = self.instance.contacts.filter(municipality=municipality).first()
        if current is not None:
            self.fields["contact_user"].initial = current.user_id
