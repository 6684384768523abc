from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    """One of the partner bodies of the model region (created by a data migration)."""

    name = models.CharField(_("Name"), max_length=100, unique=True)
    slug = models.SlugField(_("Kürzel"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("Kommune")
        verbose_name_plural = _("Kommunen")
        ordering = ["name"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A login of the intranet. Users sign in with their username; e-mail is unique
    because password reset and notifications go there."""

    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("Kommune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Pflicht für Mitarbeitende der Partnerkommunen (Gruppe Kommune)."),
    )

    class Meta:
        verbose_name = _("Benutzer")
        verbose_name_plural = _("Benutzer")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username

    def get_absolute_url(self):
        return reverse("soest_office:home")


class AuditEvent(models.Model):
    """One security-relevant event (ASVS V16): who did what, when, from where.

    Written only through `soest_office.audit.audit_record`, never edited. `actor_name` keeps
    the username readable after the account is deleted; `details` never holds secrets (the
    service strips password/token keys).
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("Anmeldung")
        LOGIN_FAILED = "login_failed", _("Fehlgeschlagene Anmeldung")
        LOCKED_OUT = "locked_out", _("Anmeldung gesperrt")
        LOGOUT = "logout", _("Abmeldung")
        PASSWORD_CHANGE = "password_change", _("Passwort geändert")
        PASSWORD_RESET = "password_reset", _("Passwort zurückgesetzt")
        ROLE_CHANGE = "role_change", _("Rolle geändert")
        MUNICIPALITY_CHANGE = "municipality_change", _("Kommune geändert")
        OTP_ENABLED = "otp_enabled", _("Zwei-Faktor eingerichtet")
        OTP_DISABLED = "otp_disabled", _("Zwei-Faktor abgeschaltet")
        OTP_FAILED = "otp_failed", _("Falscher Zwei-Faktor-Code")
        # Called by the apps (stakeholders, projects): documented in docs/sicherheit.md.
        EXPORT = "export", _("Export")
        IMPORT = "import", _("Import")
        AUSKUNFT = "auskunft", _("Auskunft (Art. 15 DSGVO)")
        ERASURE = "erasure", _("Löschung (Art. 17 DSGVO)")

    created_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("Ereignis"), max_length=32, choices=Kind.choices, db_index=True)
    actor = models.ForeignKey(
        User,
        verbose_name=_("Benutzer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("Benutzername"), max_length=150, blank=True)
    target = models.CharField(_("Betroffen"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-Adresse"), null=True, blank=True)
    details = models.JSONField(_("Details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Sicherheitsprotokoll")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.actor_name or '–'}"


class AccessibilityFeedback(models.Model):
    """A report of an accessibility barrier through the public feedback form (BITV NRW §5)."""

    created_at = models.DateTimeField(_("Eingegangen am"), auto_now_add=True, db_index=True)
    name = models.CharField(_("Name"), max_length=150, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    page_url = models.CharField(_("Betroffene Seite"), max_length=500, blank=True)
    message = models.TextField(_("Beschreibung der Barriere"), max_length=5000)
    mailed_at = models.DateTimeField(_("An das Projektbüro gemailt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Rückmeldung zur Barrierefreiheit")
        verbose_name_plural = _("Rückmeldungen zur Barrierefreiheit")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.created_at:%d.%m.%Y} – {self.name or _('ohne Namen')}"


# The search index lives in its own package; imported here so Django registers the model.
from .search.models import SearchEntry  # noqa: E402, F401
