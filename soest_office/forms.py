from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .tasks import send_password_reset_email


class LoginForm(AuthenticationForm):
    """Django's login form; its error never says whether the username exists."""

    error_messages = {
        "invalid_login": _(
            "Anmeldung fehlgeschlagen: Benutzername oder Passwort ist falsch. "
            "Achten Sie auf Groß- und Kleinschreibung."
        ),
        "inactive": _("Dieses Konto ist deaktiviert. Bitte wenden Sie sich an das Projektbüro."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # No autofocus: keyboard and screen-reader users start at the skip link, as on every page.
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class BackgroundPasswordResetForm(PasswordResetForm):
    """Queues the reset e-mail as a Celery task instead of sending it inside the request,
    so a slow mail server never delays the page (and the answer never reveals whether the
    address is known)."""

    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def save(self, *, request=None, use_https=False, **kwargs):
        email = self.cleaned_data["email"]
        for user in self.get_users(email):
            transaction.on_commit(
                lambda user_id=user.pk: send_password_reset_email.delay(user_id=user_id)
            )
