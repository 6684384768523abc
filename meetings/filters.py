import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soest_office import access
from soest_office.models import Municipality
from stakeholders.filters import LookupFilter
from stakeholders.lookups import PROJECTS

from .models import ActionItem, Body


class ActionItemFilter(django_filters.FilterSet):
    OWNER_CHOICES = [("mine", _("meine und die meiner Kommune"))]
    DUE_CHOICES = [("overdue", _("überfällig")), ("30", _("in den nächsten 30 Tagen"))]

    owner = django_filters.ChoiceFilter(
        label=_("Zuständig"), choices=OWNER_CHOICES, method="filter_owner", empty_label=_("alle")
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Kommune"), field_name="owner_municipality", queryset=Municipality.objects.all()
    )
    body = django_filters.ModelChoiceFilter(label=_("Gremium"), queryset=Body.objects.none())
    # A text field with suggestions, not a <select> of every project (2,000 at benchmark
    # scale were most of the page's HTML and rendering time).
    project = LookupFilter(label=_("Projekt"), lookup=PROJECTS, field_name="project")
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("open_any", _("offen oder in Arbeit")), *ActionItem.Status.choices],
        method="filter_status",
        empty_label=_("alle"),
    )
    due = django_filters.ChoiceFilter(
        label=_("Fälligkeit"), choices=DUE_CHOICES, method="filter_due", empty_label=_("alle")
    )

    class Meta:
        model = ActionItem
        fields = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.filters["body"].queryset = Body.objects.visible_to(user)
        self.filters["project"].extra["user"] = user

    def filter_owner(self, queryset, name, value):
        if value != "mine":
            return queryset
        q = Q(owner_user_id=self.user.pk)
        municipality_id = access.municipality_id_of(self.user)
        if municipality_id is not None:
            q |= Q(owner_municipality_id=municipality_id)
        return queryset.filter(q)

    def filter_status(self, queryset, name, value):
        if value == "open_any":
            return queryset.filter(status__in=ActionItem.OPEN_STATUSES)
        return queryset.filter(status=value)

    def filter_due(self, queryset, name, value):
        today = timezone.localdate()
        if value == "overdue":
            return queryset.filter(status__in=ActionItem.OPEN_STATUSES, due__lt=today)
        return queryset.filter(due__gte=today, due__lte=today + timezone.timedelta(days=30))
