import json

from django.contrib import messages
from django.core import signing
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from soest_office.audit import audit_record
from soest_office.exports import export_job_start
from soest_office.models import AuditEvent

from .. import audit, dsgvo, services
from ..forms import EraseConfirmForm, EraseFinalForm
from ..merge_forms import MergeChoiceForm, MergeForm
from ..models import Contact
from ..rules import PROCESS
from .common import OfficeMixin, get_contact_for_user

ERASE_SALT = "stakeholders.erase.step1"


class AuskunftView(OfficeMixin, View):
    """Art. 15: everything stored about the person as JSON; every request is logged."""

    http_method_names = ["get"]

    def get(self, request, pk):
        contact = get_contact_for_user(request.user, pk, dsgvo.auskunft_contacts())
        body = json.dumps(dsgvo.auskunft_data(contact), ensure_ascii=False, indent=2)
        audit_record(
            kind=AuditEvent.Kind.AUSKUNFT,
            request=request,
            target=f"Kontakt {contact.pk}",
            details={"format": "json", "anzahl": 1},
            area=audit.AREA,
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="auskunft-{contact.pk}.json"'
        return response


class AuskunftPdfView(OfficeMixin, View):
    """Art. 15 as PDF, made in the background: GET explains and offers the button, POST
    starts the job and leads to its page. Each download is logged (dsgvo.auskunft_downloaded)."""

    http_method_names = ["get", "post"]
    template_name = "stakeholders/auskunft_request.html"

    def get(self, request, pk):
        contact = get_contact_for_user(request.user, pk)
        return render(request, self.template_name, {"contact": contact})

    def post(self, request, pk):
        contact = get_contact_for_user(request.user, pk)
        job = export_job_start(
            user=request.user,
            kind=dsgvo.AUSKUNFT_EXPORT,
            title=dsgvo.auskunft_title(contact.pk),
            params={"contact": contact.pk},
        )
        return redirect(job)


class EraseView(OfficeMixin, View):
    """Art. 17, confirmed twice: step 1 (checkbox) hands out a signed, short-lived token;
    step 2 (typing the last name) needs that token and erases."""

    http_method_names = ["get", "post"]
    template_name = "stakeholders/contact_erase.html"

    def get(self, request, pk):
        contact = get_contact_for_user(request.user, pk)
        return render(request, self.template_name, {"contact": contact, "form": EraseConfirmForm()})

    def post(self, request, pk):
        contact = get_contact_for_user(request.user, pk)
        if "token" not in request.POST:
            form = EraseConfirmForm(request.POST)
            if not form.is_valid():
                return render(
                    request, self.template_name, {"contact": contact, "form": form}, status=400
                )
            token = signing.dumps({"contact": contact.pk, "user": request.user.pk}, salt=ERASE_SALT)
            return render(
                request,
                self.template_name,
                {"contact": contact, "final_form": EraseFinalForm(contact=contact), "token": token},
            )
        token = request.POST["token"]
        try:
            data = signing.loads(token, salt=ERASE_SALT, max_age=600)
        except signing.BadSignature:
            messages.error(request, _("Die Bestätigung ist abgelaufen. Bitte beginnen Sie erneut."))
            return redirect("stakeholders:contact_erase", pk=contact.pk)
        if data != {"contact": contact.pk, "user": request.user.pk}:
            messages.error(request, _("Die Bestätigung passt nicht zu diesem Kontakt."))
            return redirect("stakeholders:contact_erase", pk=contact.pk)
        final_form = EraseFinalForm(request.POST, contact=contact)
        if not final_form.is_valid():
            return render(
                request,
                self.template_name,
                {"contact": contact, "final_form": final_form, "token": token},
                status=400,
            )
        services.contact_erase(contact=contact, user=request.user)
        messages.success(request, _("Der Kontakt wurde unwiderruflich gelöscht."))
        return redirect("stakeholders:contact_list")


def duplicate_groups(contacts, limit=100):
    """Likely duplicates among `contacts` (the user's scope): the same e-mail address, or
    the same first and last name in the same organisation. A few grouped queries regardless
    of the number of contacts."""
    groups = []
    emails = (
        contacts.exclude(email="")
        .annotate(e=Lower("email"))
        .values("e")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("e", flat=True)[:limit]
    )
    names = (
        contacts.filter(organisation__isnull=False)
        .annotate(f=Lower("first_name"), la=Lower("last_name"))
        .values("f", "la", "organisation_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)[:limit]
    )
    email_list = list(emails)
    q = Q(email_lower__in=email_list)
    name_keys = [(n["f"], n["la"], n["organisation_id"]) for n in names]
    for first, last, org in name_keys:
        q |= Q(first_name__iexact=first, last_name__iexact=last, organisation_id=org)
    contacts = (
        contacts.annotate(email_lower=Lower("email"))
        .filter(q)
        .select_related("organisation", "municipality")
    )
    by_email, by_name = {}, {}
    for c in contacts.order_by("pk"):
        if c.email and c.email.lower() in email_list:
            by_email.setdefault(c.email.lower(), []).append(c)
        key = (c.first_name.lower(), c.last_name.lower(), c.organisation_id)
        if key in name_keys:
            by_name.setdefault(key, []).append(c)
    seen = set()
    for reason, bucket in (
        (_("gleiche E-Mail-Adresse"), by_email),
        (_("gleicher Name in derselben Organisation"), by_name),
    ):
        for members in bucket.values():
            ids = tuple(sorted(c.pk for c in members))
            if len(members) > 1 and ids not in seen:
                seen.add(ids)
                groups.append({"reason": reason, "contacts": members})
    return groups


class DuplicatesView(OfficeMixin, View):
    http_method_names = ["get"]

    def get(self, request):
        groups = duplicate_groups(Contact.objects.permitted(request.user, PROCESS))
        return render(request, "stakeholders/duplicates.html", {"groups": groups})


class MergeChooseView(OfficeMixin, View):
    """The merge page of two contacts: side by side, a radio per field where both have a
    different value; posts to MergeView."""

    http_method_names = ["get"]

    def get(self, request, keep, merge):
        keep, merge = _merge_pair(request.user, keep, merge)
        if keep.pk == merge.pk:
            messages.error(
                request, _("Ein Kontakt kann nicht mit sich selbst zusammengeführt werden.")
            )
            return redirect("stakeholders:duplicates")
        conflicts = services.merge_conflicts(keep, merge)
        form = MergeChoiceForm(keep=keep, merge=merge, conflicts=conflicts)
        return render(request, "stakeholders/merge.html", _merge_context(keep, merge, form))


def _merge_pair(user, keep_pk, merge_pk):
    queryset = Contact.objects.select_related("organisation", "municipality")
    keep = get_contact_for_user(user, keep_pk, queryset=queryset, verb=PROCESS)
    merge = get_contact_for_user(user, merge_pk, queryset=queryset, verb=PROCESS)
    return keep, merge


def _merge_context(keep, merge, form) -> dict:
    return {
        "keep": keep,
        "merge": merge,
        "form": form,
        "taken": services.merge_fills(keep, merge),
    }


class MergeView(OfficeMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        pair = MergeForm(request.POST)
        if not pair.is_valid():
            for errors in pair.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect("stakeholders:duplicates")
        keep, merge = _merge_pair(
            request.user, pair.cleaned_data["keep"], pair.cleaned_data["merge"]
        )
        form = MergeChoiceForm(
            request.POST, keep=keep, merge=merge, conflicts=services.merge_conflicts(keep, merge)
        )
        if not form.is_valid():
            messages.error(
                request, _("Es wurde nichts zusammengeführt. Bitte prüfen Sie die Auswahl.")
            )
            return render(
                request, "stakeholders/merge.html", _merge_context(keep, merge, form), status=400
            )
        try:
            keep = services.contact_merge(
                keep=keep, merge=merge, user=request.user, choices=form.choices()
            )
        except services.MergeChoiceError as error:
            messages.error(request, str(error))
            return redirect("stakeholders:duplicates")
        messages.success(
            request,
            _("Die Kontakte wurden zu »%(name)s« zusammengeführt; nichts ging verloren.")
            % {"name": keep.full_name},
        )
        return redirect(keep)


def _is_id(value: str) -> bool:
    """A primary key as the browser sends it: ASCII digits ("²" passes isdigit() but not
    int()), within the 64-bit range the database columns hold."""
    return value.isascii() and value.isdigit() and int(value) < 2**63


class RetentionView(OfficeMixin, ListView):
    """Contacts flagged by the retention job, with bulk anonymisation."""

    template_name = "stakeholders/retention.html"
    context_object_name = "contacts"
    paginate_by = 100

    def get_queryset(self):
        return (
            Contact.objects.permitted(self.request.user, PROCESS)
            .filter(retention_flagged_at__isnull=False)
            .select_related("organisation", "municipality")
            .order_by("retention_flagged_at", "last_name", "pk")
        )

    def post(self, request):
        ids = request.POST.getlist("contacts")
        if not request.POST.get("confirm"):
            messages.error(request, _("Bitte bestätigen Sie die unwiderrufliche Löschung."))
            return redirect("stakeholders:retention")
        if not ids or not all(_is_id(i) for i in ids):
            messages.error(request, _("Bitte wählen Sie mindestens einen Kontakt aus."))
            return redirect("stakeholders:retention")
        count = services.contacts_erase_bulk(
            contacts=self.get_queryset().filter(pk__in=ids), user=request.user
        )
        messages.success(request, _("%(n)d Kontakte wurden anonymisiert.") % {"n": count})
        return redirect("stakeholders:retention")


class AuditLogView(OfficeMixin, ListView):
    """The processing of personal data (contacts and subscriptions) from the one audit log:
    exports, imports, merges, Auskunft, erasures; newest first. Account events (logins, role
    changes) stay on the office's security log (/protokoll/)."""

    template_name = "stakeholders/audit_log.html"
    context_object_name = "entries"
    paginate_by = 100

    def get_queryset(self):
        return audit.personal_data_events().select_related("actor")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for entry in context["entries"]:
            details = entry.details if isinstance(entry.details, dict) else {}
            entry.format_label = FORMAT_LABELS.get(details.get("format"), "")
        return context


FORMAT_LABELS = {"csv": "CSV", "xlsx": "XLSX", "vcard": "vCard", "json": "JSON", "pdf": "PDF"}
