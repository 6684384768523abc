"""Public subscription pages (no login; the signed links are the authorisation) and the
office's overview of subscribers."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe
from django.views.generic import ListView, TemplateView

from news.models import Section
from soest_office.access import VIEW
from soest_office.audit import audit_record
from soest_office.models import AuditEvent, Municipality
from soest_office.spreadsheets import spreadsheet_safe
from stakeholders import audit as stakeholder_audit

from . import services, stats, tokens
from .forms import SubscribeForm, TopicsForm
from .models import Subscription
from .rules import SUBSCRIPTION


def client_ip(request) -> str:
    # Behind the reverse proxy REMOTE_ADDR is set from X-Forwarded-For by the proxy setup
    # (see docs/abo.md); never trust a client-supplied header here.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


# --- Public ---------------------------------------------------------------------------------


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request):
    consent_text = services.current_consent_text()
    status = 200
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        if services.ip_rate_exceeded(client_ip(request)):
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Von Ihrem Anschluss kamen in kurzer Zeit zu viele Anmeldungen. Bitte "
                    "versuchen Sie es in einer Stunde noch einmal."
                ),
            )
            status = 429
        elif form.is_bot():
            # Bots learn nothing: the same answer as for everyone, but no mail.
            return redirect("subscriptions:requested")
        elif form.is_valid():
            if form.too_fast():
                form = SubscribeForm(request.POST.copy())
                form.data["started"] = SubscribeForm().initial["started"]
                form.is_valid()
                form.add_error(
                    None,
                    _(
                        "Das ging schneller, als ein Mensch das Formular ausfüllen kann. Bitte "
                        "prüfen Sie Ihre Angaben und senden Sie das Formular noch einmal."
                    ),
                )
            else:
                data = form.cleaned_data
                services.subscription_request(
                    email=data["email"],
                    name=data["name"],
                    sections=data["sections"],
                    municipalities=data["municipalities"],
                    frequency=data["frequency"],
                )
                return redirect("subscriptions:requested")
        if status == 200:
            status = 400
    else:
        form = SubscribeForm()
    return render(
        request,
        "subscriptions/subscribe.html",
        {"form": form, "consent_text": consent_text},
        status=status,
    )


@login_not_required
@require_safe
def requested(request):
    """The one answer to every submission (no address enumeration)."""
    return render(request, "subscriptions/requested.html")


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button (mail scanners that open links confirm nothing); POST confirms."""
    if request.method == "POST":
        outcome, subscription = services.subscription_confirm(token=token)
    else:
        outcome, _request = services.check_confirm_token(token)
        subscription = None
        if outcome == services.ConfirmOutcome.CONFIRMED:
            outcome = "pending"
    status = {"invalid": 400, "expired": 410}.get(outcome, 200)
    context = {"outcome": outcome, "token": token}
    if subscription is not None:
        context["manage_url"] = tokens.manage_url(subscription)
    return render(request, "subscriptions/confirm.html", context, status=status)


def _subscription_or_404(token):
    subscription = services.subscription_from_token(token)
    if subscription is None:
        raise Http404(_("Dieser Link ist ungültig."))
    return subscription


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token):
    subscription = _subscription_or_404(token)
    active = services.is_active(subscription)
    saved = False
    if request.method == "POST":
        if not active:
            raise PermissionDenied
        form = TopicsForm(request.POST)
        if form.is_valid():
            services.subscription_update(
                subscription=subscription,
                sections=form.cleaned_data["sections"],
                municipalities=form.cleaned_data["municipalities"],
                frequency=form.cleaned_data["frequency"],
            )
            saved = True
    else:
        form = TopicsForm(
            initial={
                "sections": list(subscription.sections.all()),
                "municipalities": list(subscription.municipalities.all()),
                "frequency": subscription.frequency,
            }
        )
    return render(
        request,
        "subscriptions/manage.html",
        {
            "subscription": subscription,
            "form": form,
            "active": active,
            "saved": saved,
            "token": token,
        },
        status=200 if (request.method == "GET" or form.is_valid()) else 400,
    )


# RFC 8058: the mail provider POSTs "List-Unsubscribe=One-Click" without cookies and without a
# CSRF token; the signed token in the URL is the authorisation. This endpoint can do one
# thing only: end the subscription and record the withdrawal. Other fields are ignored.
@csrf_exempt
@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    subscription = _subscription_or_404(token)
    done = False
    if request.method == "POST":
        services.subscription_unsubscribe(
            subscription=subscription,
            source=_("Abmeldelink im Abo (One-Click nach RFC 8058)")
            if request.POST.get("List-Unsubscribe") == "One-Click"
            else _("Abmeldelink im Abo (Abmeldeseite)"),
        )
        done = True
    return render(
        request,
        "subscriptions/unsubscribe.html",
        {"done": done, "token": token, "active": services.is_active(subscription)},
    )


# --- Office ---------------------------------------------------------------------------------


class SubscriberOfficeMixin(LoginRequiredMixin):
    """The subscriber administration: whoever the subscription rule (subscriptions/rules.py)
    lets see subscriptions, i.e. the office; 403 for every other role."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not SUBSCRIPTION.permits(request.user, VIEW):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def get_subscription_for_user(user, pk) -> Subscription:
    """404 for a subscription the user may not see."""
    queryset = Subscription.objects.select_related("contact", "consent_text")
    return SUBSCRIPTION.get_object(user, queryset, pk=pk)


class OfficeOverviewView(SubscriberOfficeMixin, TemplateView):
    template_name = "subscriptions/office_overview.html"
    http_method_names = ["get", "head"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        active = Subscription.objects.visible_to(self.request.user).active()
        section_through = Subscription.sections.through
        place_through = Subscription.municipalities.through
        context["total"] = active.count()
        context["by_frequency"] = list(
            active.values("frequency").annotate(n=Count("pk")).order_by("frequency")
        )
        for row in context["by_frequency"]:
            row["label"] = dict(Subscription._meta.get_field("frequency").choices)[row["frequency"]]
        context["all_sections"] = active.filter(
            ~Exists(section_through.objects.filter(subscription_id=OuterRef("pk")))
        ).count()
        context["by_section"] = Section.objects.annotate(
            n=Count("subscriptions", filter=Q(subscriptions__status=Subscription.Status.ACTIVE))
        ).order_by("position", "name")
        context["all_places"] = active.filter(
            ~Exists(place_through.objects.filter(subscription_id=OuterRef("pk")))
        ).count()
        context["by_place"] = Municipality.objects.annotate(
            n=Count("subscriptions", filter=Q(subscriptions__status=Subscription.Status.ACTIVE))
        ).order_by("name")
        growth = stats.monthly_growth(months=12)
        context["growth"] = growth
        context["chart"] = stats.bar_chart(growth)
        return context


class OfficeSubscriberListView(SubscriberOfficeMixin, ListView):
    template_name = "subscriptions/office_list.html"
    context_object_name = "subscriptions"
    paginate_by = 50
    http_method_names = ["get", "head"]

    def get_queryset(self):
        qs = (
            Subscription.objects.visible_to(self.request.user)
            .select_related("contact")
            .prefetch_related("sections", "municipalities")
            .order_by("-confirmed_at", "-pk")
        )
        status = self.request.GET.get("status")
        if status in Subscription.Status.values:
            qs = qs.filter(status=status)
        return qs


class OfficeSubscriberDetailView(SubscriberOfficeMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request, pk):
        subscription = get_subscription_for_user(request.user, pk)
        return render(
            request,
            "subscriptions/office_detail.html",
            {
                "subscription": subscription,
                "rows": services.proof_rows(subscription)[0],
                "events": list(subscription.events.all()),
                "digests": list(subscription.digests.all()[:20]),
                "active": services.is_active(subscription),
            },
        )


class OfficeProofExportView(SubscriberOfficeMixin, View):
    """The consent proof of one subscriber as CSV (logged like every export)."""

    http_method_names = ["get", "head"]

    def get(self, request, pk):
        subscription = get_subscription_for_user(request.user, pk)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="einwilligungsnachweis-abo-{subscription.pk}.csv"'
        )
        response.write("\ufeff")  # Excel reads UTF-8 only with a BOM
        writer = csv.writer(response, delimiter=";")
        writer.writerow(["Angabe", "Wert"])
        for key, value in services.proof_rows(subscription)[0].items():
            writer.writerow([key, _fmt(value)])
        writer.writerow([])
        writer.writerow(["Ereignis", "Zeitpunkt", "Details"])
        for event in subscription.events.all():
            writer.writerow(
                [event.get_kind_display(), _fmt(event.at), spreadsheet_safe(event.detail)]
            )
        writer.writerow([])
        writer.writerow(["Rechtsgrundlage", "Art", "Quelle", "wirksam ab"])
        for record in subscription.contact.legal_basis_records.filter(purpose=services.PURPOSE):
            writer.writerow(
                [
                    record.get_status_display(),
                    record.get_method_display(),
                    spreadsheet_safe(record.source),
                    _fmt(record.effective_at),
                ]
            )
        audit_record(
            kind=AuditEvent.Kind.EXPORT,
            request=request,
            target=f"Einwilligungsnachweis Abonnement {subscription.pk}",
            details={"format": "csv", "anzahl": 1},
            area=stakeholder_audit.AREA_SUBSCRIPTIONS,
        )
        return response


def _fmt(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M:%S")
    return spreadsheet_safe(value)
