from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, ListView, UpdateView

from soest_office.access import CHANGE
from soest_office.audit import audit_record
from soest_office.models import AuditEvent
from soest_office.spreadsheets import ITERATOR_CHUNK, streaming_attachment

from .. import audit, exports, services
from ..forms import DistributionListForm
from ..models import Contact, DistributionList, ListMembership
from ..rules import DISTRIBUTION_LIST
from .common import OfficeMixin


class ListListView(OfficeMixin, ListView):
    template_name = "stakeholders/list_list.html"
    context_object_name = "lists"

    def get_queryset(self):
        return DistributionList.objects.visible_to(self.request.user).annotate(
            member_count=Count("memberships")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lists = list(context["lists"])
        # One grouped query per purpose in use, however many lists there are.
        effective = {}
        for purpose in {dl.purpose for dl in lists}:
            recipients = services.recipients_for_purpose(
                purpose=purpose, contacts=Contact.objects.visible_to(self.request.user)
            )
            effective.update(
                ListMembership.objects.filter(
                    distribution_list__purpose=purpose, contact__in=recipients.values("pk")
                )
                .values_list("distribution_list")
                .annotate(n=Count("pk"))
            )
        for dl in lists:
            dl.effective_count = effective.get(dl.pk, 0)
        context["lists"] = lists
        return context


class ListCreateView(OfficeMixin, CreateView):
    form_class = DistributionListForm
    template_name = "stakeholders/list_form.html"


class ListUpdateView(OfficeMixin, UpdateView):
    form_class = DistributionListForm
    template_name = "stakeholders/list_form.html"
    model = DistributionList

    def get_object(self, queryset=None):
        return DISTRIBUTION_LIST.get_object(self.request.user, verb=CHANGE, pk=self.kwargs["pk"])


class ListDetailView(OfficeMixin, View):
    http_method_names = ["get"]

    def get(self, request, pk):
        dl = DISTRIBUTION_LIST.get_object(request.user, pk=pk)
        effective = set(
            services.effective_recipients(distribution_list=dl).values_list("pk", flat=True)
        )
        memberships = dl.memberships.select_related("contact", "contact__organisation").order_by(
            "contact__last_name", "contact__first_name"
        )
        return render(
            request,
            "stakeholders/list_detail.html",
            {"list": dl, "memberships": memberships, "effective": effective},
        )


class ListMemberRemoveView(OfficeMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk, contact_pk):
        dl = DISTRIBUTION_LIST.get_object(request.user, verb=CHANGE, pk=pk)
        membership = get_object_or_404(ListMembership, distribution_list=dl, contact_id=contact_pk)
        membership.delete()
        messages.success(request, _("Der Kontakt wurde aus dem Verteiler entfernt."))
        return redirect("stakeholders:list_detail", pk=pk)


class ListVCardView(OfficeMixin, View):
    """vCards of the effective recipients (who may actually be written to)."""

    http_method_names = ["get"]

    def get(self, request, pk):
        dl = DISTRIBUTION_LIST.get_object(request.user, pk=pk)
        contacts = services.effective_recipients(distribution_list=dl).select_related(
            "organisation"
        )
        audit_record(
            kind=AuditEvent.Kind.EXPORT,
            request=request,
            target=f"Verteiler {dl.name}",
            details={"format": "vcard", "anzahl": contacts.count()},
            area=audit.AREA,
        )
        # Streamed: a press list may hold tens of thousands of recipients.
        return streaming_attachment(
            exports.contacts_vcard_chunks(contacts.iterator(chunk_size=ITERATOR_CHUNK)),
            content_type="text/vcard; charset=utf-8",
            filename=f"verteiler-{dl.pk}.vcf",
        )
