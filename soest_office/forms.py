from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .tasks import send_password_reset_email


def normalise_email(raw: str) -> str:
    """Trimmed, the domain in lower case and as punycode (IDN: müller.de → xn--mller-kva.de),
    so that every mail server accepts it and one address has one spelling; no CR/LF (header
    injection), no non-ASCII before the @. The one check of the public forms' addresses."""
    value = raw.strip()
    if any(c in value for c in "\r\n\0"):
        raise forms.ValidationError(_("Die E-Mail-Adresse enthält unzulässige Zeichen."))
    local, sep, domain = value.rpartition("@")
    if not sep or not local or not domain:
        raise forms.ValidationError(_("Bitte geben Sie eine gültige E-Mail-Adresse ein."))
    if not local.isascii():
        raise forms.ValidationError(
            _("Umlaute und Sonderzeichen vor dem @ werden leider nicht unterstützt.")
        )
    try:
        domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise forms.ValidationError(_("Die Domain der E-Mail-Adresse ist ungültig.")) from None
    address = f"{local}@{domain}"
    try:
        validate_email(address)
    except forms.ValidationError:
        raise forms.ValidationError(_("Bitte geben Sie eine gültige E-Mail-Adresse ein.")) from None
    return address


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


class AccessibilityFeedbackForm(forms.ModelForm):
    """The public feedback form of the accessibility statement (BITV NRW §5).

    `website` is a honeypot: hidden from people (CSS class and aria-hidden), filled in by
    bots; a filled honeypot is accepted silently and dropped by the view.
    """

    website = forms.CharField(
        label=_("Bitte dieses Feld leer lassen"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        from .models import AccessibilityFeedback

        model = AccessibilityFeedback
        fields = ["message", "page_url", "name", "email"]
        labels = {
            "message": _("Welche Barriere ist Ihnen aufgefallen?"),
            "page_url": _("Auf welcher Seite? (Adresse oder Titel, freiwillig)"),
            "name": _("Ihr Name (freiwillig)"),
            "email": _("Ihre E-Mail-Adresse für unsere Antwort (freiwillig)"),
        }
        widgets = {
            "message": forms.Textarea(attrs={"rows": 6}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        error_messages = {
            "message": {
                "required": _("Bitte beschreiben Sie kurz, was nicht zugänglich war."),
                "max_length": _("Bitte fassen Sie sich kürzer (höchstens 5.000 Zeichen)."),
            },
            "email": {"invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an.")},
        }

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if len(message) < 10:
            raise forms.ValidationError(
                _("Bitte beschreiben Sie die Barriere in mindestens 10 Zeichen.")
            )
        return message

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class OTPTokenForm(forms.Form):
    """A six-digit code from the authenticator app."""

    otp_token = forms.CharField(
        label=_("Sechsstelliger Code aus der Authenticator-App"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
        error_messages={
            "required": _("Bitte geben Sie den Code ein."),
            "min_length": _("Der Code hat sechs Ziffern."),
            "max_length": _("Der Code hat sechs Ziffern."),
        },
    )

    def __init__(self, *args, devices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.devices = list(devices)
        self.device = None

    def clean_otp_token(self):
        token = self.cleaned_data["otp_token"].strip()
        if not (token.isascii() and token.isdigit()):
            raise forms.ValidationError(_("Der Code besteht nur aus Ziffern."))
        for device in self.devices:
            allowed, _data = device.verify_is_allowed()
            if not allowed:
                raise forms.ValidationError(
                    _("Zu viele falsche Codes. Bitte warten Sie einen Moment.")
                )
            if device.verify_token(token):
                self.device = device
                return token
        raise forms.ValidationError(_("Der Code ist falsch oder abgelaufen."))
