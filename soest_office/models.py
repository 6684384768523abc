import re
import secrets
from pathlib import Path

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone
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

    The one audit log of the intranet: account events (written by the kernel's signal
    receivers, `area` empty) and every processing of personal data by the apps (exports,
    imports, merges, Auskunft, erasure; `area` names the app's part of the intranet).
    Written only through `soest_office.audit.audit_record`, never edited, with one exception:
    an erasure blanks the erased person's name out of the apps' events (Art. 17).
    `actor_name` keeps the username readable after the account is deleted; `details` never
    holds secrets (the service strips password/token keys).
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
        OTP_RESET_REQUESTED = "otp_reset_requested", _("Zurücksetzen des zweiten Faktors beantragt")
        INVITATION_SENT = "invitation_sent", _("Einladung versendet")
        INVITATION_ACCEPTED = "invitation_accepted", _("Einladung angenommen")
        ACCOUNT_DEACTIVATED = "account_deactivated", _("Konto deaktiviert")
        ACCOUNT_SETTINGS = "account_settings", _("Konto-Einstellungen geändert")
        # Called by the apps (stakeholders, projects): documented in docs/sicherheit.md.
        EXPORT = "export", _("Export")
        IMPORT = "import", _("Import")
        MERGE = "merge", _("Zusammenführung")
        AUSKUNFT = "auskunft", _("Auskunft (Art. 15 DSGVO)")
        ERASURE = "erasure", _("Löschung (Art. 17 DSGVO)")
        SETTING_CHANGE = "setting_change", _("Einstellung geändert")
        # Called by the meetings app (Lenkungskreis): documented in docs/sitzungen.md.
        MEETING_DECISION = "meeting_decision", _("Beschluss gefasst")
        MEETING_DECISION_EFFECT = "meeting_decision_effect", _("Projekt durch Beschluss geändert")
        MEETING_ACTION_STATUS = "meeting_action_status", _("Status einer Aufgabe geändert")
        MEETING_MINUTES_APPROVED = "meeting_minutes_approved", _("Protokoll genehmigt")

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
    target = models.CharField(_("Betroffen"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-Adresse"), null=True, blank=True)
    details = models.JSONField(_("Details"), default=dict, blank=True)
    # Which part of the intranet wrote the event, as its caller says ("kontakte", "abo",
    # "projekte"); empty for the kernel's own account events. A plain string, not choices:
    # the kernel knows no feature app. Apps filter their own view of the log by it.
    area = models.CharField(_("Bereich"), max_length=20, blank=True, default="")

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Sicherheitsprotokoll")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["area", "-created_at"], name="auditevent_area_created")]

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
    # Set by the office when it has answered (the inbox lists the unanswered ones).
    answered_at = models.DateTimeField(_("beantwortet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Rückmeldung zur Barrierefreiheit")
        verbose_name_plural = _("Rückmeldungen zur Barrierefreiheit")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.created_at:%d.%m.%Y} – {self.name or _('ohne Namen')}"


def export_upload_to(instance, filename):
    """A generated name (never the download name, which may name a person or project)."""
    suffix = Path(filename).suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,8}", suffix):
        suffix = ""  # our renderers name their files; anything odd is dropped, not kept
    return f"exporte/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{suffix}"


def new_export_token() -> str:
    return secrets.token_hex(16)


class ExportJob(models.Model):
    """A file made in the background for one user (funder report, Auskunft as PDF ...).

    Created by `soest_office.exports.export_job_start`, rendered by the Celery task
    `export_job_run`, downloaded only by its requester through a permission-checked view and
    deleted with its file by the beat task `export_jobs_cleanup` after EXPORT_JOB_MAX_AGE.
    `kind` names an export registered in `soest_office.plugins.EXPORT_KINDS`; `params` holds what it
    needs (ids and dates, never names: the row outlives no erasure, see the DSGVO hook).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("in Warteschlange")
        RUNNING = "running", _("wird erstellt")
        DONE = "done", _("fertig")
        FAILED = "failed", _("fehlgeschlagen")

    token = models.CharField(max_length=32, unique=True, default=new_export_token, editable=False)
    kind = models.CharField(_("Art"), max_length=40, db_index=True)
    title = models.CharField(_("Bezeichnung"), max_length=200)
    params = models.JSONField(_("Parameter"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        User,
        verbose_name=_("angefordert von"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    file = models.FileField(_("Datei"), upload_to=export_upload_to, blank=True)
    filename = models.CharField(_("Dateiname"), max_length=200, blank=True)
    content_type = models.CharField(_("Inhaltstyp"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("Größe (Bytes)"), default=0)
    error = models.CharField(_("Fehler"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("angefordert am"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("begonnen am"), null=True, blank=True)
    finished_at = models.DateTimeField(_("fertig am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Export")
        verbose_name_plural = _("Exporte")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("soest_office:export_job", kwargs={"token": self.token})

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


# The search index lives in its own package; imported here so Django registers the model.
from .accounts.models import AccountSettings, Invitation, SecondFactorReset  # noqa: E402, F401
from .search.models import SearchEntry  # noqa: E402, F401
