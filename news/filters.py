import re

import django_filters
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from soest_office.models import Municipality
from soest_office.search import engine

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


_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


class SearchTextField(forms.CharField):
    """Free search text: control characters (a NUL byte included) become spaces instead of
    invalidating the whole filter form; the search's parser copes with everything else."""

    def to_python(self, value):
        return _CONTROL_RE.sub(" ", super().to_python(value)).strip()


class SearchTextFilter(django_filters.CharFilter):
    field_class = SearchTextField


class PublicReleaseFilter(django_filters.FilterSet):
    """Filters of the public list, applied to the already published queryset. The text
    search is the intranet's search (German stemming, umlaut spellings, typo tolerance)
    limited to what the public may see; the other filters and pagination apply on top."""

    q = SearchTextFilter(label=_("Suche"), method="search")
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
        self.search_hints: list[str] = []
        for name in ("rubrik", "stichwort", "kommune", "jahr"):
            self.form.fields[name].widget.attrs["class"] = "form-select"

    def filter_year(self, queryset, name, value):
        return queryset.filter(published_at__year=int(value))

    def search(self, queryset, name, value):
        """Releases matching `value`, the best matches first. Input with nothing to search
        for leaves the list as it is; `search_hints` says why (shown above the list)."""
        # The public's scope whoever looks: the page shows published releases only.
        matches = engine.match_entries(AnonymousUser(), value, only=["presse"])
        self.search_hints = matches.hints
        if matches.entries is None:
            return queryset
        return (
            queryset.filter(pk__in=matches.object_ids())
            .annotate(search_rank=matches.rank_of("pk"))
            .order_by("-search_rank", "-published_at", "-pk")
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
