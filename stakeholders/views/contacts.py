from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import CreateView, UpdateView
from django_filters.views import FilterView

from soest_office import access, caching, locking
from soest_office.access import CHANGE, CREATE
from soest_office.audit import audit_record
from soest_office.models import AuditEvent
from soest_office.pagination import KeysetPaginator
from soest_office.spreadsheets import ITERATOR_CHUNK, streaming_attachment, xlsx_response

from .. import audit, exports, services
from ..apps import GENERATION
from ..filters import ContactFilter
from ..forms import BulkActionForm, ContactForm, InteractionForm, InvolvementForm, LegalBasisForm
from ..models import Contact, DistributionList, Interaction, Involvement, Purpose
from ..rules import CONTACT, ORGANISATION, PROCESS
from .common import StakeholdersMixin, get_contact_for_user, get_rw_contact_for_user


def contact_list_queryset(user):
    return (
        Contact.objects.visible_to(user)
        .select_related("organisation", "municipality")
        .prefetch_related("tags")
    )


# The list's order; the keyset pagination seeks on it (index on last_name, first_name).
CONTACT_ORDERING = ("last_name", "first_name", "pk")
# Counting stops here, so the count costs the same however large the table grows.
COUNT_LIMIT = 100_000
LIST_BODY_TEMPLATE = "stakeholders/_contact_list_body.html"
DETAIL_BODY_TEMPLATE = "stakeholders/_contact_detail_body.html"
# What the contact pages show besides contacts: projects, municipalities and the names of
# accounts (history entries) are in the projects' generation (projects.dashboard).
GENERATIONS = (GENERATION, "projects")
CACHE_SECONDS = 300


class ContactListView(StakeholdersMixin, FilterView):
    filterset_class = ContactFilter
    template_name = "stakeholders/contact_list.html"
    context_object_name = "contacts"

    def get(self, request, *args, **kwargs):
        """The filter, the table and the bulk form come from the cache when no contact,
        organisation, list, project or account changed since they were made for the same
        role, municipality, day and address (filters, page): the contact rules ask nothing
        else of the user."""

        def render(csrf_token):
            response = super(ContactListView, self).get(request, *args, **kwargs)
            context = {**response.context_data, "csrf_token": csrf_token}
            return render_to_string(LIST_BODY_TEMPLATE, context, request)

        body = caching.fragment(
            request,
            "stakeholders:contacts",
            render,
            generations=GENERATIONS,
            parts=(request.get_full_path(),),
            timeout=CACHE_SECONDS,
        )
        return self.response_class(
            request=request, template=[self.template_name], context={"body": body}
        )

    def get_queryset(self):
        return contact_list_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        paginator = KeysetPaginator(self.object_list, ordering=CONTACT_ORDERING, per_page=50)
        page = paginator.page(self.request.GET)
        context = super().get_context_data(**{**kwargs, "object_list": page.object_list})
        count = self.object_list.order_by()[: COUNT_LIMIT + 1].count()
        params = self.request.GET.copy()
        for name in ("page", page.next_param, page.previous_param):
            params.pop(name, None)
        context.update(
            page=page,
            count=min(count, COUNT_LIMIT),
            count_capped=count > COUNT_LIMIT,
            querystring=params.urlencode(),
            bulk_form=BulkActionForm(user=self.request.user),
            can_manage=CONTACT.permits(self.request.user, PROCESS),
        )
        return context


class ContactBulkActionView(StakeholdersMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        form = BulkActionForm(request.POST, user=request.user)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(_back(request))
        ids = [c.pk for c in form.cleaned_data["contacts"]]
        contacts = Contact.objects.permitted(request.user, CHANGE).filter(pk__in=ids)
        if form.cleaned_data["action"] == "add_to_list":
            dl = form.cleaned_data["distribution_list"]
            added = services.list_add_contacts(distribution_list=dl, contacts=contacts)
            messages.success(
                request,
                ngettext(
                    "%(n)d Kontakt zum Verteiler »%(list)s« hinzugefügt.",
                    "%(n)d Kontakte zum Verteiler »%(list)s« hinzugefügt.",
                    added,
                )
                % {"n": added, "list": dl.name},
            )
        else:
            tagged = services.contacts_tag(contacts=contacts, name=form.cleaned_data["tag"])
            messages.success(
                request,
                _("Schlagwort »%(tag)s« an %(n)d Kontakte vergeben.")
                % {"tag": form.cleaned_data["tag"].strip(), "n": tagged},
            )
        return redirect(_back(request))


def _back(request):
    nxt = request.POST.get("next", "")
    if nxt.startswith("/kontakte/") and "//" not in nxt:
        return nxt
    return "stakeholders:contact_list"


# The view's format -> the format named in the audit log.
EXPORT_FORMATS = {"csv": "csv", "xlsx": "xlsx", "vcf": "vcard"}


class ContactExportView(StakeholdersMixin, View):
    """CSV, XLSX or vCard of the filtered list, always inside the user's scope; logged.

    The contacts are read chunk by chunk while the file is written (CSV and vCard stream,
    XLSX is written row by row), so memory does not grow with the list. The log entry is
    written before any data leaves, with the count of the list at that moment.
    """

    http_method_names = ["get"]
    fmt = "csv"

    def get(self, request):
        qs = ContactFilter(
            request.GET, queryset=contact_list_queryset(request.user), request=request
        ).qs
        # Readable filter description (not URL-encoded), so erasure can scrub a name from it.
        scope = ", ".join(f"{k}={v}" for k, v in request.GET.items() if v) or _(
            "alle sichtbaren Kontakte"
        )
        audit_record(
            kind=AuditEvent.Kind.EXPORT,
            request=request,
            target=scope,
            details={"format": EXPORT_FORMATS[self.fmt], "anzahl": qs.count()},
            area=audit.AREA,
        )
        contacts = qs.iterator(chunk_size=ITERATOR_CHUNK)
        filename = f"kontakte.{self.fmt}"
        if self.fmt == "xlsx":
            return xlsx_response(
                lambda workbook: exports.write_contacts_xlsx(workbook, contacts),
                filename=filename,
            )
        if self.fmt == "vcf":
            return streaming_attachment(
                exports.contacts_vcard_chunks(contacts),
                content_type="text/vcard; charset=utf-8",
                filename=filename,
            )
        return streaming_attachment(
            exports.contacts_csv_chunks(contacts),
            content_type="text/csv; charset=utf-8",
            filename=filename,
        )


class ContactVCardView(StakeholdersMixin, View):
    http_method_names = ["get"]

    def get(self, request, pk):
        contact = get_contact_for_user(request.user, pk)
        audit_record(
            kind=AuditEvent.Kind.EXPORT,
            request=request,
            target=f"Kontakt {contact.pk}",
            details={"format": "vcard", "anzahl": 1},
            area=audit.AREA,
        )
        response = HttpResponse(
            exports.contact_vcard(contact), content_type="text/vcard; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="kontakt-{contact.pk}.vcf"'
        return response


class ContactDetailView(StakeholdersMixin, View):
    http_method_names = ["get"]

    def get(self, request, pk):
        """The content comes from the cache when nothing the page shows changed since it
        was made for the same contact, role, municipality and minute (the forms offer the
        current time). The contact rule reads the contact's municipality and the user's
        role and municipality only, so its answer is kept with the content
        (soest_office.caching.cached_part): the check runs whenever the content is made,
        and a reader it refuses leaves nothing behind."""

        def build(csrf_token):
            contact = get_contact_for_user(request.user, pk)  # 404 outside the scope
            context = {**detail_context(request, contact), "csrf_token": csrf_token}
            html = render_to_string(DETAIL_BODY_TEMPLATE, context, request)
            return html, {"full_name": contact.full_name}

        body, contact = caching.cached_part(
            request,
            "stakeholders:contact",
            build,
            generations=GENERATIONS,
            parts=(pk, timezone.localtime().strftime("%Y-%m-%dT%H:%M")),
            timeout=CACHE_SECONDS,
        )
        return render_page(request, contact, body)


class InteractionListView(StakeholdersMixin, View):
    """The whole contact history of one contact, newest first, 50 entries a page."""

    http_method_names = ["get"]

    def get(self, request, pk):
        contact = get_contact_for_user(request.user, pk)
        entries = contact.interactions.select_related("project", "recorded_by")
        page = KeysetPaginator(entries, ordering=("-occurred_at", "-pk"), per_page=50).page(
            request.GET
        )
        context = {
            "contact": contact,
            "page": page,
            "interactions": page.object_list,
            "count": entries.count(),
        }
        return render(request, "stakeholders/interaction_list.html", context)


LATEST_INTERACTIONS = 20


def render_page(request, contact, body, status=200):
    return render(
        request,
        "stakeholders/contact_detail.html",
        {"contact": contact, "body": body},
        status=status,
    )


def render_detail(request, context, status=200):
    """The contact page from `context` as it stands (a form with errors: never cached)."""
    body = render_to_string(DETAIL_BODY_TEMPLATE, context, request)
    # Rendered by our own template, which escaped every value.
    return render_page(request, context["contact"], mark_safe(body), status)


def detail_context(request, contact, **forms):
    user = request.user
    can_edit = CONTACT.allows(user, contact, CHANGE)
    bases = services.current_bases(contact=contact)
    history = list(contact.legal_basis_records.select_related("recorded_by"))
    # The latest entries only; the whole history has its own paginated page.
    interactions = list(
        Interaction.objects.visible_to(user)
        .filter(contact=contact)
        .select_related("project", "recorded_by")[: LATEST_INTERACTIONS + 1]
    )
    involvements = list(
        Involvement.objects.visible_to(user).filter(contact=contact).select_related("project")
    )
    lists = list(DistributionList.objects.visible_to(user).filter(members=contact))
    tags = list(contact.tags.all())
    context = {
        "contact": contact,
        "can_edit": can_edit,
        "can_manage": CONTACT.allows(user, contact, PROCESS),
        # The organisation is part of the contact; its own page only for those who see it.
        "organisation_visible": bool(
            contact.organisation and ORGANISATION.allows(user, contact.organisation)
        ),
        "basis_rows": [(label, bases.get(value)) for value, label in Purpose.choices],
        "basis_history": history,
        "interactions": interactions[:LATEST_INTERACTIONS],
        "more_interactions": len(interactions) > LATEST_INTERACTIONS,
        "involvements": involvements,
        "lists": lists,
        "tags": tags,
    }
    if can_edit:
        context["interaction_form"] = forms.get("interaction_form") or InteractionForm(user=user)
        context["basis_form"] = forms.get("basis_form") or LegalBasisForm()
        context["involvement_form"] = forms.get("involvement_form") or InvolvementForm(user=user)
    return context


class ContactCreateView(StakeholdersMixin, CreateView):
    form_class = ContactForm
    template_name = "stakeholders/contact_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not CONTACT.permits(request.user, CREATE):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        if access.is_partner(self.request.user):
            return {"municipality": access.municipality_id_of(self.request.user)}
        return {}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Der Kontakt wurde angelegt."))
        return response


class ContactUpdateView(StakeholdersMixin, locking.VersionedFormViewMixin, UpdateView):
    form_class = ContactForm
    template_name = "stakeholders/contact_form.html"

    def get_object(self, queryset=None):
        return get_rw_contact_for_user(self.request.user, self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            self.object = self.save_form(form)
        except locking.StaleVersion as conflict:
            return self.conflict_response(form, conflict)
        messages.success(self.request, _("Die Änderungen wurden gespeichert."))
        return redirect(self.get_success_url())


class InteractionCreateView(StakeholdersMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        contact = get_rw_contact_for_user(request.user, pk)
        form = InteractionForm(request.POST, user=request.user)
        if not form.is_valid():
            context = detail_context(request, contact, interaction_form=form)
            return render_detail(request, context, status=400)
        services.interaction_log(
            contact=contact,
            channel=form.cleaned_data["channel"],
            occurred_at=form.cleaned_data["occurred_at"],
            summary=form.cleaned_data["summary"],
            project=form.cleaned_data["project"],
            user=request.user,
        )
        messages.success(request, _("Der Eintrag wurde in die Kontakthistorie übernommen."))
        return redirect(contact.get_absolute_url() + "#kontakthistorie")


class LegalBasisCreateView(StakeholdersMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        contact = get_rw_contact_for_user(request.user, pk)
        form = LegalBasisForm(request.POST)
        if not form.is_valid():
            context = detail_context(request, contact, basis_form=form)
            return render_detail(request, context, status=400)
        services.legal_basis_record(
            contact=contact,
            purpose=form.cleaned_data["purpose"],
            status=form.cleaned_data["status"],
            method=form.cleaned_data["method"],
            source=form.cleaned_data["source"],
            at=form.cleaned_data["effective_at"],
            recorded_by=request.user,
        )
        messages.success(request, _("Die Rechtsgrundlage wurde erfasst."))
        return redirect(contact.get_absolute_url() + "#rechtsgrundlagen")


class InvolvementCreateView(StakeholdersMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        contact = get_rw_contact_for_user(request.user, pk)
        form = InvolvementForm(
            request.POST, user=request.user, instance=Involvement(contact=contact)
        )
        if (
            form.is_valid()
            and Involvement.objects.filter(
                contact=contact,
                project=form.cleaned_data["project"],
                role=form.cleaned_data["role"],
            ).exists()
        ):
            form.add_error(None, _("Diese Beteiligung ist bereits erfasst."))
        if not form.is_valid():
            context = detail_context(request, contact, involvement_form=form)
            return render_detail(request, context, status=400)
        form.save()
        messages.success(request, _("Die Beteiligung wurde gespeichert."))
        return redirect(contact.get_absolute_url() + "#projekte")
