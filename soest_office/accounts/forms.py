from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from ..access import Role
from ..models import Municipality
from .models import Invitation

ROLE_CHOICES = [(role.value, role.value) for role in Role]


class InvitationForm(forms.Form):
    first_name = forms.CharField(label=_("Vorname"), max_length=150)
    last_name = forms.CharField(label=_("Nachname"), max_length=150)
    email = forms.EmailField(label=_("E-Mail-Adresse"), max_length=254)
    username = forms.RegexField(
        label=_("Benutzername"),
        max_length=150,
        required=False,
        regex=r"^[\w.@+-]+\Z",
        error_messages={"invalid": _("Nur Buchstaben, Ziffern und . @ + - _ sind erlaubt.")},
        help_text=_(
            "Leer lassen: Wir schlagen ihn aus dem Namen vor (vorname.nachname), Sie prüfen ihn "
            "und senden erneut. Die E-Mail nennt ihn."
        ),
    )
    role = forms.ChoiceField(label=_("Rolle"), choices=ROLE_CHOICES)
    municipality = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.all(),
        required=False,
        help_text=_("Pflicht für die Rolle Kommune."),
    )

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.PARTNER and not data.get("municipality"):
            self.add_error("municipality", _("Die Rolle Kommune braucht eine Kommune."))
        return data


class AccountChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("Rolle"), choices=ROLE_CHOICES)
    municipality = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.all(),
        required=False,
        help_text=_("Nur für die Rolle Kommune."),
    )


class AccountSettingsForm(forms.Form):
    partners_may_invite = forms.BooleanField(
        label=_("Kommunen dürfen Kolleginnen und Kollegen ihrer eigenen Kommune einladen"),
        required=False,
    )


class AcceptInvitationForm(forms.Form):
    password1 = forms.CharField(
        label=_("Passwort"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Passwort wiederholen"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation: Invitation, **kwargs):
        self.invitation = invitation
        super().__init__(*args, **kwargs)

    def clean(self):
        from .services import prospective_user

        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Die beiden Passwörter stimmen nicht überein."))
        elif p1:
            try:
                password_validation.validate_password(p1, prospective_user(self.invitation))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
