import django_filters
from django.db.models import Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from soest_office.models import Municipality

from .models import PressRelease, Section, Tag


def _years(request=None):
    years = (
        PressRelease.objects.published()
        .annotate(year=ExtractYear("published_at"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
    return [(y, str(y)) for y in years]


class PublicReleaseFilter(django_filters.FilterSet):
    """Filters of the public list, applied to the already published queryset."""

    q = django_filters.CharFilter(label=_("Suche"), method="search")
    rubrik = django_filters.ModelChoiceFilter(
        label=_("Rubrik"),
        field_name="section",
        to_field_name="slug",
        queryset=Section.objects.all(),
        empty_label=_("alle Rubriken"),
    )
    stichwort = django_filters.ModelChoiceFilter(
        label=_("Stichwort"),
        field_name="tags",
        to_field_name="slug",
        queryset=Tag.objects.all(),
        empty_label=_("alle Stichwörter"),
    )
    kommune = django_filters.ModelChoiceFilter(
        label=_("Kommune"),
        field_name="municipalities",
        to_field_name="slug",
        queryset=Municipality.objects.all(),
        empty_label=_("alle Kommunen"),
    )
    jahr = django_filters.ChoiceFilter(
        label=_("Jahr"), choices=_years, empty_label=_("alle Jahre"), method="filter_year"
    )

    class Meta:
        model = PressRelease
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("rubrik", "stichwort", "kommune", "jahr"):
            self.form.fields[name].widget.attrs["class"] = "form-select"

    def filter_year(self, queryset, name, value):
        return queryset.filter(published_at__year=int(value))

    def search(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(teaser__icontains=value) | Q(body__icontains=value)
        )


class EditorialReleaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Suche"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=PressRelease.Status.choices, empty_label=_("alle")
    )

    class Meta:
        model = PressRelease
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()[:100]
        return queryset.filter(title__icontains=value) if value else queryset
