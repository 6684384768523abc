"""Optional TOTP second factor (django-otp) for the Projektbüro.

The login is two steps for a user with a confirmed device: the password step only remembers
the user in the session (`otp_pending`), and Django's `login()` runs after the code is right.
So such a user is never authenticated, and no intranet page opens, without the second factor.
"""

import base64
import io
import time

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import access
from .audit import audit_record
from .forms import OTPTokenForm
from .models import AuditEvent

PENDING_KEY = "otp_pending"


def needs_second_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


def start_pending_login(request, user, redirect_to: str) -> HttpResponseRedirect:
    """Password was right; remember the user for the code step (no login yet)."""
    # A fresh session key, so a session fixed before the login cannot ride along.
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user_id": user.pk,
        "backend": user.backend,
        "next": redirect_to,
        "since": int(time.time()),
    }
    return redirect("soest_office:otp_verify")


def _pending_user(request):
    pending = request.session.get(PENDING_KEY)
    if not pending:
        return None, None
    if time.time() - pending.get("since", 0) > settings.OTP_PENDING_LOGIN_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None, None
    try:
        user = get_user_model().objects.get(pk=pending["user_id"], is_active=True)
    except get_user_model().DoesNotExist:
        return None, None
    return user, pending


@method_decorator([sensitive_post_parameters(), never_cache, login_not_required], name="dispatch")
class OTPVerifyView(View):
    """Second login step: the code from the authenticator app."""

    template_name = "registration/otp_verify.html"

    def dispatch(self, request, *args, **kwargs):
        self.pending_user, self.pending = _pending_user(request)
        if self.pending_user is None:
            messages.info(request, _("Bitte melden Sie sich zuerst mit Ihrem Passwort an."))
            return redirect("soest_office:login")
        return super().dispatch(request, *args, **kwargs)

    def _form(self, data=None):
        devices = TOTPDevice.objects.devices_for_user(self.pending_user, confirmed=True)
        return OTPTokenForm(data, devices=devices)

    def get(self, request):
        return render(request, self.template_name, {"form": self._form()})

    def post(self, request):
        form = self._form(request.POST)
        if not form.is_valid():
            audit_record(
                kind=AuditEvent.Kind.OTP_FAILED,
                user=self.pending_user,
                request=request,
                target=self.pending_user.get_username(),
            )
            return render(request, self.template_name, {"form": form}, status=200)
        user = self.pending_user
        user.otp_device = form.device  # django-otp marks the session verified on login()
        redirect_to = self.pending["next"]
        request.session.pop(PENDING_KEY, None)
        login(request, user, backend=self.pending["backend"])
        if not url_has_allowed_host_and_scheme(
            redirect_to, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            redirect_to = reverse(settings.LOGIN_REDIRECT_URL)
        return HttpResponseRedirect(redirect_to)


def _qr_data_uri(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


class TwoFactorView(LoginRequiredMixin, View):
    """Set up (with QR code), confirm, or switch off the second factor. Office only."""

    template_name = "soest_office/two_factor.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.can_use_two_factor(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def _context(self, form=None, device=None):
        user = self.request.user
        confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        context = {"confirmed": confirmed, "form": form or OTPTokenForm()}
        if not confirmed:
            device = device or self._pending_device()
            context["qr_data_uri"] = _qr_data_uri(device.config_url)
            secret = base64.b32encode(device.bin_key).decode()
            context["secret_groups"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        return context

    def _pending_device(self):
        device, _created = TOTPDevice.objects.get_or_create(
            user=self.request.user, confirmed=False, defaults={"name": "Authenticator-App"}
        )
        return device

    def get(self, request):
        return render(request, self.template_name, self._context())

    def post(self, request):
        action = request.POST.get("action")
        user = request.user
        if action == "enable":
            device = self._pending_device()
            form = OTPTokenForm(request.POST, devices=[device])
            if not form.is_valid():
                return render(request, self.template_name, self._context(form, device))
            two_factor_enable(user=user, device=device, request=request)
            messages.success(request, _("Die Zwei-Faktor-Anmeldung ist eingerichtet."))
            return redirect("soest_office:two_factor")
        if action == "disable":
            devices = TOTPDevice.objects.devices_for_user(user, confirmed=True)
            form = OTPTokenForm(request.POST, devices=devices)
            if not form.is_valid():
                return render(request, self.template_name, self._context(form))
            two_factor_disable(user=user, request=request)
            messages.success(request, _("Die Zwei-Faktor-Anmeldung ist abgeschaltet."))
            return redirect("soest_office:two_factor")
        return render(request, self.template_name, self._context(), status=400)


def two_factor_enable(*, user, device, request=None) -> None:
    """Confirm the device, drop other devices, mark this session verified, log it."""
    from django_otp import login as otp_login

    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(kind=AuditEvent.Kind.OTP_ENABLED, user=user, request=request, target=user)
    if request is not None:
        otp_login(request, device)


def two_factor_disable(*, user, request=None) -> None:
    """Remove every TOTP device of the user and log it."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        audit_record(kind=AuditEvent.Kind.OTP_DISABLED, user=user, request=request, target=user)
