import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from soest_office import access
from soest_office.models import Municipality

from .models import (
    Contact,
    DistributionList,
    Involvement,
    LegalBasisRecord,
    ListMembership,
    Organisation,
    Purpose,
    Tag,
    latest_basis_subquery,
)

CONSENT_STATES = [("valid", _("gültig")), ("withdrawn", _("widerrufen")), ("none", _("keine"))]
CONSENT_CHOICES = [
    (f"{purpose}:{state}", f"{purpose_label}: {state_label}")
    for purpose, purpose_label in Purpose.choices
    for state, state_label in CONSENT_STATES
]


def _projects(request):
    from projects.models import Project

    return Project.objects.visible_to(request.user).only("pk", "title")


def _lists(request):
    # Distribution lists belong to the office; partners filter by their own data only.
    if request is None or not access.can_manage_stakeholders(request.user):
        return DistributionList.objects.none()
    return DistributionList.objects.all()


class ContactFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Suche"), method="filter_text")
    kind = django_filters.ChoiceFilter(
        label=_("Art der Organisation"),
        field_name="organisation__kind",
        choices=Organisation.Kind.choices,
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Kommune"), queryset=Municipality.objects.all()
    )
    category = django_filters.ChoiceFilter(label=_("Kategorie"), choices=Contact.Category.choices)
    tag = django_filters.ModelChoiceFilter(
        label=_("Schlagwort"), queryset=Tag.objects.all(), method="filter_tag"
    )
    project = django_filters.ModelChoiceFilter(
        label=_("Projekt"), queryset=_projects, method="filter_project"
    )
    distribution_list = django_filters.ModelChoiceFilter(
        label=_("Verteiler"), queryset=_lists, method="filter_list"
    )
    consent = django_filters.ChoiceFilter(
        label=_("Rechtsgrundlage"), choices=CONSENT_CHOICES, method="filter_consent"
    )

    class Meta:
        model = Contact
        fields = []

    # Relations are filtered with EXISTS, so a contact never appears twice.
    def filter_text(self, queryset, name, value):
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(organisation__name__icontains=word)
            )
        return queryset

    def filter_tag(self, queryset, name, value):
        through = Contact.tags.through
        return queryset.filter(Exists(through.objects.filter(contact=OuterRef("pk"), tag=value)))

    def filter_project(self, queryset, name, value):
        return queryset.filter(
            Exists(Involvement.objects.filter(contact=OuterRef("pk"), project=value))
        )

    def filter_list(self, queryset, name, value):
        return queryset.filter(
            Exists(ListMembership.objects.filter(contact=OuterRef("pk"), distribution_list=value))
        )

    def filter_consent(self, queryset, name, value):
        purpose, _sep, state = value.partition(":")
        queryset = queryset.annotate(_basis_filter=latest_basis_subquery(purpose))
        if state == "valid":
            return queryset.filter(_basis_filter__in=LegalBasisRecord.VALID_STATUSES)
        if state == "withdrawn":
            return queryset.filter(_basis_filter=LegalBasisRecord.Status.WITHDRAWN)
        return queryset.filter(_basis_filter__isnull=True)


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Suche"), method="filter_text")
    kind = django_filters.ChoiceFilter(label=_("Art"), choices=Organisation.Kind.choices)
    municipality = django_filters.ModelChoiceFilter(
        label=_("Kommune"), queryset=Municipality.objects.all()
    )

    class Meta:
        model = Organisation
        fields = []

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(email__icontains=value) | Q(city__icontains=value)
        )
