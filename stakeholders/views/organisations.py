from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, UpdateView
from django_filters.views import FilterView

from soest_office import access

from ..filters import OrganisationFilter
from ..forms import OrganisationForm
from ..models import Contact, Organisation
from .common import StakeholdersMixin, get_organisation_for_user, get_rw_organisation_for_user


class OrganisationListView(StakeholdersMixin, FilterView):
    filterset_class = OrganisationFilter
    template_name = "stakeholders/organisation_list.html"
    paginate_by = 50
    context_object_name = "organisations"

    def get_queryset(self):
        return Organisation.objects.visible_to(self.request.user).select_related("municipality")


class OrganisationDetailView(StakeholdersMixin, View):
    http_method_names = ["get"]

    def get(self, request, pk):
        organisation = get_organisation_for_user(request.user, pk)
        contacts = (
            Contact.objects.visible_to(request.user)
            .filter(organisation=organisation)
            .select_related("municipality")
        )
        return render(
            request,
            "stakeholders/organisation_detail.html",
            {
                "organisation": organisation,
                "contacts": contacts,
                "involvements": organisation.involvements.select_related("project"),
                "can_edit": access.can_edit_contact(request.user, organisation),
            },
        )


class OrganisationCreateView(StakeholdersMixin, CreateView):
    form_class = OrganisationForm
    template_name = "stakeholders/organisation_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        messages.success(self.request, _("Die Organisation wurde angelegt."))
        return super().form_valid(form)


class OrganisationUpdateView(StakeholdersMixin, UpdateView):
    form_class = OrganisationForm
    template_name = "stakeholders/organisation_form.html"

    def get_object(self, queryset=None):
        return get_rw_organisation_for_user(self.request.user, self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        messages.success(self.request, _("Die Änderungen wurden gespeichert."))
        return super().form_valid(form)
