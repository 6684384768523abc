"""The account pages: /konto/verwaltung/ (office; invitations also partners when allowed)
and the invitation link /konto/einladung/<token>/ (anyone holding the link)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, ListView

from .. import access
from ..access import CHANGE, VIEW, Role
from ..rules import ACCOUNT, INVITATION
from . import second_factor, services
from .forms import AcceptInvitationForm, AccountChangeForm, AccountSettingsForm, InvitationForm
from .models import AccountSettings, Invitation, SecondFactorReset


def _add_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class AccountListView(LoginRequiredMixin, ListView):
    """All accounts with role, municipality and last login; open invitations; settings."""

    template_name = "soest_office/accounts/account_list.html"
    context_object_name = "accounts"
    paginate_by = 100

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not ACCOUNT.permits(request.user, VIEW):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        queryset = get_user_model().objects.select_related("municipality")
        return ACCOUNT.scope(queryset, self.request.user, VIEW)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        access.prime_roles(context["accounts"])
        for account in context["accounts"]:
            account.role_label = access.role_of(account)
        context["invitations"] = INVITATION.scope(
            Invitation.objects.filter(accepted_at__isnull=True).select_related(
                "municipality", "invited_by"
            ),
            self.request.user,
        )
        context["settings_form"] = AccountSettingsForm(
            initial={"partners_may_invite": AccountSettings.current().partners_may_invite}
        )
        context["open_resets"] = SecondFactorReset.objects.filter(
            confirmed_at__isnull=True
        ).select_related("user", "requested_by")
        return context


class InviteView(LoginRequiredMixin, FormView):
    template_name = "soest_office/accounts/invite.html"
    form_class = InvitationForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not services.may_invite(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        user = self.request.user
        if access.is_partner(user):
            return {"role": Role.PARTNER.value, "municipality": user.municipality_id}
        return {"role": Role.PARTNER.value}

    def form_valid(self, form):
        data = form.cleaned_data
        if not data.get("username"):
            proposal = services.propose_username(data["first_name"], data["last_name"])
            form.data = form.data.copy()
            form.data["username"] = proposal
            messages.info(
                self.request,
                _(
                    "Vorschlag für den Benutzernamen: „%(username)s“. Bitte prüfen und die "
                    "Einladung absenden."
                )
                % {"username": proposal},
            )
            return self.render_to_response(self.get_context_data(form=form))
        try:
            invitation = services.invitation_create(
                actor=self.request.user, data=data, request=self.request
            )
        except ValidationError as error:
            _add_errors(form, error)
            return self.render_to_response(self.get_context_data(form=form))
        except PermissionDenied:
            form.add_error(
                None,
                _(
                    "Sie dürfen nur Kolleginnen und Kollegen Ihrer eigenen Kommune mit der Rolle "
                    "Kommune einladen. Es wurde keine Einladung verschickt."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=403)
        messages.success(
            self.request,
            _("Die Einladung an %(email)s ist unterwegs.") % {"email": data["email"]},
        )
        if invitation is not None and access.is_office(self.request.user):
            return redirect("soest_office:account_list")
        return redirect("soest_office:home")


class AccountDetailView(LoginRequiredMixin, View):
    """One account: role and municipality, last login, second factor, handover, deactivate."""

    template_name = "soest_office/accounts/account_detail.html"

    def get_account(self, verb=VIEW):
        return ACCOUNT.get_object(
            self.request.user,
            get_user_model().objects.select_related("municipality"),
            verb,
            pk=self.kwargs["pk"],
        )

    def render_page(self, account, form=None, status=200):
        from ..inbox import inbox_items

        access.prime_roles([account])
        role = access.role_of(account)
        form = form or AccountChangeForm(
            initial={"role": role.value if role else "", "municipality": account.municipality_id}
        )
        context = {
            "account": account,
            "role": role,
            "form": form,
            "handover": services.handover(account),
            "tasks": inbox_items(account) if account.is_active else [],
            "has_second_factor": second_factor.has_second_factor(account),
            "open_reset": second_factor.open_reset(account),
            "is_self": account.pk == self.request.user.pk,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self.render_page(self.get_account())

    def post(self, request, pk):
        account = self.get_account(CHANGE)
        form = AccountChangeForm(request.POST)
        if form.is_valid():
            try:
                services.account_change(
                    actor=request.user,
                    account=account,
                    role=form.cleaned_data["role"],
                    municipality=form.cleaned_data["municipality"],
                    request=request,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Rolle und Kommune sind gespeichert."))
                return redirect("soest_office:account_detail", pk=account.pk)
        account.refresh_from_db()
        return self.render_page(account, form, status=400)


class AccountActionView(LoginRequiredMixin, View):
    """POST-only actions on one account; a refused action is a message on its page."""

    http_method_names = ["post"]
    action = ""

    def post(self, request, pk):
        account = ACCOUNT.get_object(request.user, verb=CHANGE, pk=pk)
        try:
            if self.action == "deactivate":
                ended = services.account_deactivate(
                    actor=request.user, account=account, request=request
                )
                messages.success(
                    request,
                    _("Das Konto ist deaktiviert; %(count)s Sitzung(en) wurden beendet.")
                    % {"count": ended},
                )
            elif request.POST.get("step") == "confirm":
                reset = second_factor.open_reset(account)
                if reset is None:
                    raise ValidationError(_("Es ist kein Zurücksetzen beantragt."))
                second_factor.second_factor_reset_confirm(
                    actor=request.user, reset=reset, request=request
                )
                messages.success(request, _("Der zweite Faktor ist entfernt."))
            else:
                second_factor.second_factor_reset_request(
                    actor=request.user, account=account, request=request
                )
                messages.success(
                    request,
                    _("Beantragt. Ein zweites Mitglied des Projektbüros muss bestätigen."),
                )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("soest_office:account_detail", pk=account.pk)


class InvitationResendView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        invitation = INVITATION.get_object(request.user, verb=CHANGE, pk=pk)
        try:
            services.invitation_resend(actor=request.user, invitation=invitation, request=request)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Die Einladung an %(email)s ist erneut unterwegs.") % {"email": invitation.email},
            )
        return redirect("soest_office:account_list")


class AccountSettingsView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        if not ACCOUNT.permits(request.user, CHANGE):
            raise Http404
        form = AccountSettingsForm(request.POST)
        form.is_valid()
        services.account_settings_update(
            actor=request.user,
            partners_may_invite=form.cleaned_data.get("partners_may_invite", False),
            request=request,
        )
        messages.success(request, _("Die Einstellung ist gespeichert."))
        return redirect("soest_office:account_list")


@method_decorator([sensitive_post_parameters(), never_cache, login_not_required], name="dispatch")
class InvitationAcceptView(View):
    """The link of the invitation mail: the person sets a password; the account is made."""

    template_name = "soest_office/accounts/invitation_accept.html"

    def dispatch(self, request, token):
        try:
            self.invitation = services.invitation_from_token(token)
        except services.InvitationInvalid as error:
            return render(request, self.template_name, {"error": str(error)})
        return super().dispatch(request, token)

    def get(self, request, token):
        form = AcceptInvitationForm(invitation=self.invitation)
        return render(request, self.template_name, {"form": form, "invitation": self.invitation})

    def post(self, request, token):
        form = AcceptInvitationForm(request.POST, invitation=self.invitation)
        if form.is_valid():
            try:
                services.invitation_accept(
                    invitation=self.invitation,
                    password=form.cleaned_data["password1"],
                    request=request,
                )
            except services.InvitationInvalid as error:
                return render(request, self.template_name, {"error": str(error)})
            except ValidationError as error:
                form.add_error("password1", error)
            else:
                messages.success(
                    request,
                    _(
                        "Ihr Konto ist eingerichtet. Bitte melden Sie sich mit Ihrem "
                        "Benutzernamen „%(username)s“ und dem neuen Passwort an."
                    )
                    % {"username": self.invitation.username},
                )
                return redirect("soest_office:login")
        context = {"form": form, "invitation": self.invitation}
        return render(request, self.template_name, context, status=400)
