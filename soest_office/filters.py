import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent


class AuditEventFilter(django_filters.FilterSet):
    """Filters of the security log; applied to the already-scoped queryset."""

    kind = django_filters.ChoiceFilter(
        label=_("Ereignis"), choices=AuditEvent.Kind.choices, empty_label=_("alle")
    )
    person = django_filters.CharFilter(label=_("Benutzer oder Betroffene"), method="filter_person")
    since = django_filters.DateFilter(
        label=_("von (Datum)"),
        field_name="created_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("bis (Datum)"),
        field_name="created_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEvent
        fields = ["kind", "person", "since", "until"]

    def filter_person(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(actor_name__icontains=value) | Q(target__icontains=value))
