from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, UpdateView
from django_filters.views import FilterView

from soest_office import locking
from soest_office.access import CHANGE
from soest_office.pagination import DeepPagePaginator

from ..filters import OrganisationFilter
from ..forms import InvolvementForm, OrganisationForm
from ..models import Contact, Involvement, Organisation
from ..rules import ORGANISATION
from .common import StakeholdersMixin, get_organisation_for_user, get_rw_organisation_for_user


class OrganisationListView(StakeholdersMixin, FilterView):
    filterset_class = OrganisationFilter
    template_name = "stakeholders/organisation_list.html"
    paginate_by = 50
    # Page numbers ("Seite 160 von 160"); deep pages walk the index (name, id).
    paginator_class = DeepPagePaginator
    context_object_name = "organisations"

    def get_queryset(self):
        # The primary key makes the order total: namesakes no longer change places between
        # requests, or show up on two pages.
        return (
            Organisation.objects.visible_to(self.request.user)
            .select_related("municipality")
            .order_by("name", "pk")
        )


class OrganisationDetailView(StakeholdersMixin, View):
    http_method_names = ["get"]

    def get(self, request, pk):
        organisation = get_organisation_for_user(request.user, pk)
        return render(
            request, "stakeholders/organisation_detail.html", _context(request, organisation)
        )


def _context(request, organisation, involvement_form=None):
    can_edit = ORGANISATION.allows(request.user, organisation, CHANGE)
    return {
        "organisation": organisation,
        "contacts": Contact.objects.visible_to(request.user)
        .filter(organisation=organisation)
        .select_related("municipality"),
        "involvements": Involvement.objects.visible_to(request.user)
        .filter(organisation=organisation)
        .select_related("project"),
        "can_edit": can_edit,
        "involvement_form": (involvement_form or InvolvementForm(user=request.user))
        if can_edit
        else None,
    }


class OrganisationInvolvementCreateView(StakeholdersMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        organisation = get_rw_organisation_for_user(request.user, pk)
        form = InvolvementForm(
            request.POST, user=request.user, instance=Involvement(organisation=organisation)
        )
        if (
            form.is_valid()
            and Involvement.objects.filter(
                organisation=organisation,
                project=form.cleaned_data["project"],
                role=form.cleaned_data["role"],
            ).exists()
        ):
            form.add_error(None, _("Diese Beteiligung ist bereits erfasst."))
        if not form.is_valid():
            return render(
                request,
                "stakeholders/organisation_detail.html",
                _context(request, organisation, form),
                status=400,
            )
        form.save()
        messages.success(request, _("Die Beteiligung wurde gespeichert."))
        return redirect(organisation)


class OrganisationCreateView(StakeholdersMixin, CreateView):
    form_class = OrganisationForm
    template_name = "stakeholders/organisation_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        messages.success(self.request, _("Die Organisation wurde angelegt."))
        return super().form_valid(form)


class OrganisationUpdateView(StakeholdersMixin, locking.VersionedFormViewMixin, UpdateView):
    form_class = OrganisationForm
    template_name = "stakeholders/organisation_form.html"

    def get_object(self, queryset=None):
        return get_rw_organisation_for_user(self.request.user, self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            self.object = self.save_form(form)
        except locking.StaleVersion as conflict:
            return self.conflict_response(form, conflict)
        messages.success(self.request, _("Die Änderungen wurden gespeichert."))
        return redirect(self.get_success_url())
