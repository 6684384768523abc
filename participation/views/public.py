"""Public participation pages (no login; signed links are the authorisation). Every page
shows what the public may see, whoever asks: the rules are asked for the public grantee."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from .. import services
from ..forms import ContributionForm, SupportForm
from ..models import Contribution, Participation
from ..rules import CONTRIBUTION, PARTICIPATION
from ..selectors import accepted_contributions

PUBLIC = AnonymousUser()
PAGE_SIZE = 20


def client_ip(request) -> str:
    # Behind the reverse proxy REMOTE_ADDR is set by the proxy setup; never trust a header.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _participation(slug) -> Participation:
    """404 unless the public may see this project's participation."""
    queryset = Participation.objects.select_related("project")
    return PARTICIPATION.get_object(PUBLIC, queryset, project__slug=slug)


def _protected_post(request, form) -> tuple[str | None, int]:
    """The spam checks shared by the public forms: (error message or "bot" or None, status)."""
    if services.ip_rate_exceeded(client_ip(request)):
        return (
            _(
                "Von Ihrem Anschluss kamen in kurzer Zeit zu viele Beiträge. Bitte versuchen "
                "Sie es in einer Stunde noch einmal."
            ),
            429,
        )
    if form.is_bot():
        return "bot", 200
    if form.is_valid() and form.too_fast():
        return (
            _(
                "Das ging schneller, als ein Mensch das Formular ausfüllen kann. Bitte prüfen "
                "Sie Ihre Angaben und senden Sie das Formular noch einmal."
            ),
            400,
        )
    return None, 200


def _refresh_stamp(form_class, request, **kwargs):
    form = form_class(request.POST.copy(), **kwargs)
    form.data["started"] = form_class(**kwargs).initial["started"]
    return form


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def public_list(request, slug):
    participation = _participation(slug)
    is_open = participation.is_open()
    status = 200
    if request.method == "POST":
        form = ContributionForm(request.POST, participation=participation)
        problem, status = _protected_post(request, form)
        if problem == "bot":
            return redirect("participation:submitted", slug=slug)
        if problem is None and not is_open:
            problem, status = (
                _("Die Beteiligung ist nicht geöffnet; es wurde nichts gespeichert."),
                409,
            )
        if problem is None and form.is_valid():
            contribution = services.contribution_submit(
                participation=participation, data=form.cleaned_data
            )
            request.session["participation_submitted"] = bool(contribution.email)
            return redirect("participation:submitted", slug=slug)
        if problem is not None:
            if status == 400:
                form = _refresh_stamp(ContributionForm, request, participation=participation)
            form.is_valid()
            form.add_error(None, problem)
        elif status == 200:
            status = 400
    else:
        form = ContributionForm(participation=participation)
    contributions = CONTRIBUTION.scope(accepted_contributions(), PUBLIC).filter(
        participation=participation
    )
    page = Paginator(contributions, PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(
        request,
        "participation/public_list.html",
        {
            "participation": participation,
            "project": participation.project,
            "page": page,
            "form": form if is_open else None,
            "is_open": is_open,
            "consent_text": services.current_consent_text(),
        },
        status=status,
    )


@login_not_required
@require_safe
def submitted(request, slug):
    participation = _participation(slug)
    return render(
        request,
        "participation/submitted.html",
        {
            "participation": participation,
            "project": participation.project,
            "with_email": request.session.get("participation_submitted", False),
        },
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def support(request, slug, pk):
    participation = _participation(slug)
    contribution = CONTRIBUTION.get_object(
        PUBLIC, accepted_contributions(), pk=pk, participation=participation
    )
    allowed = services.support_allowed(contribution)
    status, sent = 200, False
    if request.method == "POST" and allowed:
        form = SupportForm(request.POST)
        problem, status = _protected_post(request, form)
        if problem == "bot":
            sent = True
        elif problem is None and form.is_valid():
            services.support_request(contribution=contribution, email=form.cleaned_data["email"])
            sent = True
        else:
            if problem is not None:
                if status == 400:
                    form = _refresh_stamp(SupportForm, request)
                form.is_valid()
                form.add_error(None, problem)
            elif status == 200:
                status = 400
    else:
        form = SupportForm()
        if request.method == "POST":
            status = 409
    return render(
        request,
        "participation/support.html",
        {
            "participation": participation,
            "project": participation.project,
            "contribution": contribution,
            "form": form,
            "allowed": allowed,
            "sent": sent,
        },
        status=status,
    )


def _link_page(request, template, outcome, token, extra=None):
    status = {"invalid": 400, "expired": 410, "refused": 409, "duplicate": 409}.get(outcome, 200)
    return render(
        request, template, {"outcome": outcome, "token": token, **(extra or {})}, status=status
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button (mail scanners that open links confirm nothing); POST confirms."""
    if request.method == "POST":
        outcome, contribution = services.contribution_confirm(token=token)
    else:
        outcome, contribution = services.confirm_check(token)
    return _link_page(
        request, "participation/confirm.html", outcome, token, {"contribution": contribution}
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def support_confirm(request, token):
    if request.method == "POST":
        outcome, _support = services.support_confirm(token=token)
    else:
        outcome, _support = services.support_check(token)
    return _link_page(request, "participation/support_confirm.html", outcome, token)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def withdraw(request, token):
    address_only = request.POST.get("what") == "address"
    if request.method == "POST":
        outcome, contribution = services.contribution_withdraw(
            token=token, address_only=address_only
        )
    else:
        outcome, contribution = services.withdraw_check(token)
    return _link_page(
        request,
        "participation/withdraw.html",
        outcome,
        token,
        {
            "contribution": contribution,
            "address_only": address_only,
            "is_withdrawn": contribution is not None
            and contribution.status == Contribution.Status.WITHDRAWN,
        },
    )
