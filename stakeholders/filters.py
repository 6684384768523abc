import django_filters
from django.db.models import BooleanField, Exists, Expression, F, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from soest_office.access import VIEW
from soest_office.models import Municipality

from .lookups import DISTRIBUTION_LISTS, PROJECTS, TAGS, LookupField
from .models import (
    Contact,
    Involvement,
    LegalBasisRecord,
    ListMembership,
    Organisation,
    Purpose,
    latest_basis_subquery,
)
from .rules import DISTRIBUTION_LIST
from .widgets import CompactSelect

CONSENT_STATES = [("valid", _("gültig")), ("withdrawn", _("widerrufen")), ("none", _("keine"))]
CONSENT_CHOICES = [
    (f"{purpose}:{state}", f"{purpose_label}: {state_label}")
    for purpose, purpose_label in Purpose.choices
    for state, state_label in CONSENT_STATES
]


class LookupFilter(django_filters.Filter):
    """Filter by one object named in a text field (see lookups.py): the form does not list
    every project or distribution list, so the page does not grow with them."""

    field_class = LookupField


class InSubqueryArray(Expression):
    """`column IN (subquery)` that PostgreSQL can answer from an index inside an OR.

    PostgreSQL plans `a OR b OR column IN (SELECT …)` as a filter checked row by row (a seq
    scan), because the IN becomes a semi-join that cannot sit inside a BitmapOr. Written as
    `column = ANY(ARRAY(SELECT …))`, the subquery runs once (an InitPlan) and the condition
    is a plain index probe, so every branch of the OR comes from an index. Other databases
    get the ordinary IN."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, queryset):
        super().__init__()
        self.column = F(column)
        self.subquery = Subquery(queryset)

    def get_source_expressions(self):
        return [self.column, self.subquery]

    def set_source_expressions(self, exprs):
        self.column, self.subquery = exprs

    def as_sql(self, compiler, connection):
        column, column_params = compiler.compile(self.column)
        subquery, subquery_params = compiler.compile(self.subquery)
        template = "%s = ANY(ARRAY%s)" if connection.vendor == "postgresql" else "%s IN %s"
        return template % (column, subquery), (*column_params, *subquery_params)


def contact_text_q(word: str) -> Q:
    """Contacts whose first or last name, e-mail or organisation name contains `word`
    (any case). On PostgreSQL each branch is answered from a trigram index (migration 0003:
    GIN on UPPER(column), which is what `icontains` compares), and the organisation names
    through the contacts' organisation index, with no join (see InSubqueryArray)."""
    organisations = Organisation.objects.filter(name__icontains=word).order_by().values("pk")
    return (
        Q(first_name__icontains=word)
        | Q(last_name__icontains=word)
        | Q(email__icontains=word)
        | Q(InSubqueryArray("organisation_id", organisations))
    )


class ContactFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Suche"), method="filter_text")
    kind = django_filters.ChoiceFilter(
        label=_("Art der Organisation"),
        field_name="organisation__kind",
        choices=Organisation.Kind.choices,
        widget=CompactSelect,
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Kommune"), queryset=Municipality.objects.all(), widget=CompactSelect
    )
    category = django_filters.ChoiceFilter(
        label=_("Kategorie"), choices=Contact.Category.choices, widget=CompactSelect
    )
    tag = LookupFilter(label=_("Schlagwort"), lookup=TAGS, method="filter_tag")
    project = LookupFilter(label=_("Projekt"), lookup=PROJECTS, method="filter_project")
    distribution_list = LookupFilter(
        label=_("Verteiler"), lookup=DISTRIBUTION_LISTS, method="filter_list"
    )
    consent = django_filters.ChoiceFilter(
        label=_("Rechtsgrundlage"),
        choices=CONSENT_CHOICES,
        method="filter_consent",
        widget=CompactSelect,
    )

    class Meta:
        model = Contact
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        user = request.user if request is not None else None
        if not DISTRIBUTION_LIST.permits(user, VIEW):
            # Distribution lists belong to the office.
            del self.filters["distribution_list"]
        for f in self.filters.values():
            if isinstance(f, LookupFilter):
                f.extra["user"] = user

    # Relations are filtered with EXISTS, so a contact never appears twice.
    def filter_text(self, queryset, name, value):
        words = value.split()[:5]
        if not words:
            return queryset
        matching = Contact.objects.order_by()
        for word in words:
            matching = matching.filter(contact_text_q(word))
        # The matches are collected first (from the trigram indexes) and then fetched by
        # id: asked to order and cut the list itself, the planner likes to walk the name
        # index and test every contact on the way to the 50th match.
        return queryset.filter(InSubqueryArray("pk", matching.values("pk")))

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
