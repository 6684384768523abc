"""Invitations, the office's account settings and confirmed second-factor resets."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..access import Role


def new_nonce() -> str:
    return secrets.token_hex(16)


KEPT_KEY = "account-settings"


class AccountSettings(models.Model):
    """The office's switches for accounts (one row, `current()`)."""

    partners_may_invite = models.BooleanField(
        _("Kommunen dürfen Kolleginnen und Kollegen einladen"),
        default=False,
        help_text=_(
            "Mitarbeitende einer Partnerkommune dürfen Personen ihrer eigenen Kommune mit der "
            "Rolle Kommune einladen."
        ),
    )

    class Meta:
        verbose_name = _("Konto-Einstellungen")
        verbose_name_plural = _("Konto-Einstellungen")

    def __str__(self):
        return str(_("Konto-Einstellungen"))

    @classmethod
    def current(cls) -> "AccountSettings":
        found = cls.objects.filter(pk=1).first()
        return found if found is not None else cls(pk=1)

    @classmethod
    def kept(cls) -> "AccountSettings":
        """`current()` for reading (the rules ask it on pages), kept in the accounts'
        generation: a save of the settings starts a new one, so it counts at once."""
        from .. import backends, caching

        state, found = caching.read_in_generations(KEPT_KEY, [backends.GENERATION])
        if found is None:
            found = cls.current()
            caching.keep_in_generations(KEPT_KEY, state, found, backends.ACCOUNT_SECONDS)
        return found


class Invitation(models.Model):
    """An invitation by e-mail: the person sets a password through a signed, single-use link
    (soest_office.accounts.services). `nonce` changes when the invitation is sent again, so
    an older link stops working; `accepted_at` makes the link single-use."""

    ROLE_CHOICES = [(role.value, role.value) for role in Role]

    email = models.EmailField(_("E-Mail-Adresse"))
    username = models.CharField(_("Benutzername"), max_length=150)
    first_name = models.CharField(_("Vorname"), max_length=150)
    last_name = models.CharField(_("Nachname"), max_length=150)
    role = models.CharField(_("Rolle"), max_length=20, choices=ROLE_CHOICES)
    municipality = models.ForeignKey(
        "soest_office.Municipality",
        verbose_name=_("Kommune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eingeladen von"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    sent_at = models.DateTimeField(_("zuletzt gesendet am"), null=True, blank=True)
    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    accepted_at = models.DateTimeField(_("angenommen am"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.first_name} {self.last_name} <{self.email}>"


class SecondFactorReset(models.Model):
    """A request to remove a user's lost second factor: done only when a second office
    member confirms (four-eyes principle)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beantragt von"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("beantragt am"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bestätigt von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Zurücksetzen des zweiten Faktors")
        verbose_name_plural = _("Zurücksetzen des zweiten Faktors")
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.user} ({self.requested_at:%d.%m.%Y})"
