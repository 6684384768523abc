import datetime

import django_filters
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from soest_office.access import Role
from soest_office.models import Municipality

from .models import FieldOfAction, Project


class _LoadedChoiceIterator(forms.models.ModelChoiceIterator):
    """Iterates the field's once-loaded objects instead of querying again."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.loaded_objects():
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.loaded_objects()) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.loaded_objects())


class LoadedChoiceIterator(django_filters.fields.ModelChoiceIterator, _LoadedChoiceIterator):
    pass


class LoadedModelChoiceField(django_filters.fields.ModelChoiceField):
    """A choice field over a short list (municipalities, fields of action, office staff):
    the options are read once per form and serve both validation and rendering, where
    Django's ModelChoiceField queries for each."""

    iterator = LoadedChoiceIterator

    def __init__(self, *args, **kwargs):
        self._loaded = None
        super().__init__(*args, **kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self._loaded = None  # also reached by __deepcopy__: each form loads its own

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def loaded_objects(self) -> list:
        if self._loaded is None:
            self._loaded = [] if self.queryset is None else list(self.queryset)
        return self._loaded

    def to_python(self, value):
        if self.null_label is not None and value == self.null_value:
            return value
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        if isinstance(value, self.queryset.model):
            value = getattr(value, key)
        for obj in self.loaded_objects():
            if str(getattr(obj, key)) == str(value):
                return obj
        raise forms.ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class LoadedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = LoadedModelChoiceField


class ProjectFilter(django_filters.FilterSet):
    """Filters of the project list; applied to the already scoped queryset. Every value
    lives in the query string, so a filtered view can be bookmarked and exported."""

    q = django_filters.CharFilter(label=_("Suche"), method="filter_text")
    municipality = LoadedModelChoiceFilter(
        label=_("Kommune"),
        queryset=Municipality.objects.all(),
        method="filter_municipality",
        empty_label=_("alle Kommunen"),
    )
    field_of_action = LoadedModelChoiceFilter(
        label=_("Handlungsfeld"),
        queryset=FieldOfAction.objects.all(),
        empty_label=_("alle Handlungsfelder"),
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Project.Status.choices, widget=forms.CheckboxSelectMultiple
    )
    traffic_light = django_filters.MultipleChoiceFilter(
        label=_("Ampel"), choices=Project.TrafficLight.choices, widget=forms.CheckboxSelectMultiple
    )
    responsible = LoadedModelChoiceFilter(
        label=_("Verantwortlich"),
        queryset=get_user_model()
        .objects.filter(groups__name=Role.OFFICE.value, is_active=True)
        .order_by("last_name", "first_name"),
        empty_label=_("alle"),
    )
    overdue = django_filters.BooleanFilter(
        label=_("nur mit überfälligen Meilensteinen"),
        method="filter_overdue",
        widget=forms.CheckboxInput,
    )
    no_report_days = django_filters.NumberFilter(
        label=_("ohne angenommenen Bericht seit (Tagen)"),
        method="filter_no_report",
        min_value=1,
        max_value=3650,
    )
    archived = django_filters.BooleanFilter(
        label=_("archivierte anzeigen"), method="filter_archived", widget=forms.CheckboxInput
    )
    sort = django_filters.OrderingFilter(
        label=_("Sortierung"),
        fields=[
            ("title", "title"),
            ("lead_municipality__name", "municipality"),
            ("field_of_action__position", "field"),
            ("status", "status"),
            ("traffic_light", "light"),
            ("percent_complete", "progress"),
            ("planned_end_date", "end"),
            ("last_report_date", "report"),
            ("total_budget", "budget"),
        ],
        field_labels={
            "title": _("Titel"),
            "lead_municipality__name": _("Kommune"),
            "field_of_action__position": _("Handlungsfeld"),
            "status": _("Status"),
            "traffic_light": _("Ampel"),
            "percent_complete": _("Fortschritt"),
            "planned_end_date": _("geplantes Ende"),
            "last_report_date": _("letzter Bericht"),
            "total_budget": _("Budget"),
        },
    )

    class Meta:
        model = Project
        fields = ["q", "municipality", "field_of_action", "status", "traffic_light", "responsible"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["responsible"].field.label_from_instance = str

    @property
    def qs(self):
        qs = super().qs
        show_archived = (
            self.is_bound and self.form.is_valid() and self.form.cleaned_data["archived"]
        )
        if not show_archived:
            qs = qs.filter(archived_at__isnull=True)
        return qs

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(summary__icontains=value)
            | Q(slug__icontains=value)
            | Q(description__icontains=value)
        )

    def filter_municipality(self, queryset, name, value):
        return queryset.involving(value.pk) if value else queryset

    def filter_overdue(self, queryset, name, value):
        return queryset.with_overdue_milestones() if value else queryset

    def filter_no_report(self, queryset, name, value):
        return queryset.without_report_since(int(value)) if value else queryset

    def filter_archived(self, queryset, name, value):
        return queryset  # handled in qs (the default hides archived projects)


DEFAULT_NO_REPORT_DAYS = settings.PROJECTS_REPORT_INTERVAL_DAYS


class ReportFilterForm(forms.Form):
    """Filters of the progress report list (GET). Invalid values are reported in German and
    left out; the valid ones still apply."""

    municipality = LoadedModelChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        empty_label=_("alle Kommunen"),
        help_text=_("federführend oder beteiligt"),
        error_messages={"invalid_choice": _("Bitte wählen Sie eine Kommune aus der Liste.")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        error_messages={"invalid_choice": _("Bitte wählen Sie einen Status aus der Liste.")},
    )
    traffic_light = forms.ChoiceField(
        label=_("Ampel"),
        required=False,
        choices=[("", _("alle")), *Project.TrafficLight.choices],
        error_messages={"invalid_choice": _("Bitte wählen Sie eine Ampelfarbe aus der Liste.")},
    )
    year = forms.IntegerField(
        label=_("Jahr des Stichtags"),
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": _("Bitte geben Sie das Jahr als Zahl an, z. B. 2026."),
            "min_value": _("Bitte geben Sie ein Jahr ab 2000 an."),
            "max_value": _("Bitte geben Sie ein Jahr bis 2100 an."),
        },
    )

    def __init__(self, data=None, *, statuses, with_municipality=True):
        # Unbound when no filter was asked for: no errors on a first visit.
        asked = data is not None and any(data.get(name) for name in self.base_fields)
        super().__init__(data if asked else None)
        self.fields["status"].choices = [("", _("alle")), *statuses]
        if not with_municipality:
            del self.fields["municipality"]

    def apply(self, queryset):
        """The queryset narrowed by every valid filter value."""
        if not self.is_bound:
            return queryset
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields}
        if data.get("municipality"):
            municipality_id = data["municipality"].pk
            queryset = queryset.filter(
                project__in=Project.objects.involving(municipality_id).values("pk")
            )
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("traffic_light"):
            queryset = queryset.filter(traffic_light=data["traffic_light"])
        if data.get("year"):
            year = data["year"]
            # A date range (not __year) keeps the index on the reporting date usable.
            queryset = queryset.filter(
                reporting_date__gte=datetime.date(year, 1, 1),
                reporting_date__lt=datetime.date(year + 1, 1, 1),
            )
        return queryset
