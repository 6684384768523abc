"""Distribution of a published release: choose lists, check recipients, send, watch."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from soest_office.access import CHANGE
from stakeholders.models import DistributionList

from .. import mailing
from ..models import Delivery, Distribution, PressRelease
from ..rules import DELIVERY, DISTRIBUTION, PUBLISH
from .editorial import get_release_for_user


class DistributionForm(forms.Form):
    lists = forms.ModelMultipleChoiceField(
        label=_("Verteiler"),
        queryset=mailing.lists_for_choice(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    extra_contacts = forms.ModelMultipleChoiceField(
        label=_("Vorgeschlagene Empfänger (aus Projekten und Kommunen der Meldung)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, release, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lists"].queryset = mailing.lists_for_choice()
        self.fields["extra_contacts"].queryset = mailing.suggested_contacts(release=release)
        self.fields["extra_contacts"].label_from_instance = lambda c: f"{c.full_name} ({c.email})"

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("lists") and not cleaned.get("extra_contacts"):
            raise ValidationError(_("Bitte wählen Sie mindestens einen Verteiler oder Empfänger."))
        return cleaned


def get_release_for_distribution(user, pk) -> PressRelease:
    return get_release_for_user(user, pk, PUBLISH)


@require_http_methods(["GET", "POST"])
def distribution_create(request, pk):
    """GET with `pruefen`: show the effective recipients; POST: send."""
    release = get_release_for_distribution(request.user, pk)
    if not release.is_public:
        messages.error(request, _("Nur veröffentlichte Meldungen können versandt werden."))
        return redirect(release.get_editorial_url())
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = DistributionForm(data, release=release)
    recipients, excluded, undeliverable = None, 0, []
    if form.is_bound and form.is_valid():
        lists = list(form.cleaned_data["lists"])
        extra = list(form.cleaned_data["extra_contacts"])
        if request.method == "POST":
            try:
                _distribution, added = mailing.distribution_send(
                    release=release, user=request.user, lists=lists, extra_contacts=extra
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                if added:
                    messages.success(
                        request, _("Der Versand an %(n)d Empfänger läuft.") % {"n": added}
                    )
                else:
                    messages.info(request, _("Alle Gewählten haben die Meldung schon erhalten."))
                return redirect("news:distribution_progress", pk=release.pk)
        recipients = mailing.effective_recipients(lists=lists, extra_contacts=extra)
        excluded = mailing.excluded_members(lists=lists)
        undeliverable = mailing.undeliverable_members(lists=lists)
    already = Distribution.objects.filter(release=release).first()
    return render(
        request,
        "news/distribution_form.html",
        {
            "release": release,
            "form": form,
            "recipients": recipients,
            "excluded": excluded,
            "undeliverable": undeliverable,
            "already": already,
        },
    )


def _progress_summary(progress: dict) -> str:
    """The sentence above the progress bar: rendered here so that the page and the script that
    polls the status (static/js/news-progress.js) show the same translated text."""
    numbers = {key: formats.localize(progress[key]) for key in ("finished", "total", "percent")}
    if progress["done"]:
        return _("%(finished)s von %(total)s erledigt (%(percent)s %%) – abgeschlossen.") % numbers
    return _("%(finished)s von %(total)s erledigt (%(percent)s %%).") % numbers


def _progress_context(user, release):
    distribution = DISTRIBUTION.get_object(user, Distribution.objects.all(), release=release)
    progress = mailing.distribution_progress(distribution)
    return distribution, {**progress, "summary": _progress_summary(progress)}


@require_safe
def distribution_progress(request, pk):
    release = get_release_for_distribution(request.user, pk)
    distribution, progress = _progress_context(request.user, release)
    deliveries = Delivery.objects.visible_to(request.user).filter(distribution=distribution)
    deliveries = deliveries.order_by("name", "pk")
    return render(
        request,
        "news/distribution_progress.html",
        {
            "release": release,
            "distribution": distribution,
            "progress": progress,
            "deliveries": deliveries,
            "statuses": Delivery.Status.choices,
        },
    )


@require_safe
def distribution_status(request, pk):
    """JSON for the live progress page (polled by static/js/news-progress.js)."""
    release = get_release_for_distribution(request.user, pk)
    distribution, progress = _progress_context(request.user, release)
    deliveries = Delivery.objects.visible_to(request.user).filter(distribution=distribution)
    rows = [
        {"id": d.pk, "status": d.status, "label": d.get_status_display(), "error": d.error}
        for d in deliveries.only("pk", "status", "error").order_by("pk")
    ]
    return JsonResponse({**progress, "deliveries": rows})


@require_POST
def delivery_bounce(request, pk, delivery_pk):
    release = get_release_for_distribution(request.user, pk)
    delivery = DELIVERY.get_object(
        request.user, Delivery.objects.filter(distribution__release=release), CHANGE, pk=delivery_pk
    )
    try:
        hard = request.POST.get("hard") == "1"
        mailing.delivery_mark_bounced(
            delivery=delivery,
            user=request.user,
            reason=request.POST.get("reason", "")[:300],
            hard=hard,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _(
                "Adresse dauerhaft als unzustellbar markiert: %(e)s. Weitere Versände "
                "überspringen sie, bis der Kontakt eine neue Adresse hat."
            )
            % {"e": delivery.email}
            if hard
            else _("Als unzustellbar markiert: %(e)s") % {"e": delivery.email},
        )
    return redirect("news:distribution_progress", pk=release.pk)


# The one-click unsubscribe of RFC 8058 is a POST from the recipient's mail provider, which
# has no CSRF token: the signed token in the URL is the authorisation.
@csrf_exempt
@login_not_required
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    delivery = mailing.delivery_from_token(token)
    if delivery is None:
        raise Http404
    done = False
    if request.method == "POST":
        mailing.delivery_unsubscribe(delivery=delivery)
        done = True
    return render(request, "news/unsubscribe.html", {"done": done, "token": token})


@require_POST
def distribution_scheduled(request, pk):
    """For a scheduled release: send to press lists now, under embargo ("sperrfrist"), or
    choose the lists that receive it at publication ("veroeffentlichung")."""
    release = get_release_for_distribution(request.user, pk)
    lists = list(DistributionList.objects.filter(pk__in=request.POST.getlist("lists")))
    try:
        if request.POST.get("mode") == "sperrfrist":
            if not lists:
                raise ValidationError(_("Bitte mindestens einen Verteiler wählen."))
            _distribution, added = mailing.embargo_send(
                release=release, user=request.user, lists=lists
            )
            messages.success(
                request,
                _("Der Versand mit Sperrfrist an %(n)d Empfänger läuft.") % {"n": added},
            )
        else:
            mailing.publication_lists_set(release=release, user=request.user, lists=lists)
            messages.success(
                request, _("Die Verteiler für den Versand bei Veröffentlichung sind gespeichert.")
            )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(release.get_editorial_url())
