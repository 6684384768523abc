import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class ProjectUserSettings(models.Model):
    """Per-user choices of the projects app: mail mode and the calendar feed's secret."""

    class MailMode(models.TextChoices):
        IMMEDIATE = "immediate", _("sofort per E-Mail")
        DIGEST = "digest", _("gesammelt in der Wochenübersicht")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzer"),
        on_delete=models.CASCADE,
        related_name="project_settings",
    )
    mail_mode = models.CharField(
        _("Benachrichtigungen"),
        max_length=10,
        choices=MailMode.choices,
        default=MailMode.DIGEST,
        help_text=_("Sofort jede Nachricht einzeln oder einmal pro Woche gesammelt."),
    )
    # Review duties (a submitted report waits for the office) are mailed at once by default,
    # so a partner does not wait a week for an answer; everything else follows `mail_mode`.
    review_mail_mode = models.CharField(
        _("Benachrichtigungen über Prüfaufgaben"),
        max_length=10,
        choices=MailMode.choices,
        default=MailMode.IMMEDIATE,
        help_text=_("Eingereichte Berichte, die auf Ihre Prüfung warten."),
    )
    # Empty means: no calendar feed. Revoking replaces or clears it, so old URLs stop working.
    calendar_token = models.CharField(
        _("Kalender-Schlüssel"), max_length=64, blank=True, db_index=True
    )

    class Meta:
        verbose_name = _("Projekt-Einstellungen")
        verbose_name_plural = _("Projekt-Einstellungen")
        constraints = [
            models.UniqueConstraint(
                fields=["calendar_token"],
                condition=~models.Q(calendar_token=""),
                name="unique_calendar_token",
            )
        ]

    def __str__(self):
        return str(self.user)


class Notification(models.Model):
    """One message to one user about one cause (a reminder, a submitted report ...).

    `cause` is unique per recipient, so a cause never produces a second message, however often
    the job runs. Delivery happens at once (mail_mode immediate) or in the weekly digest;
    `sent_at` marks it delivered (the delivery task skips sent ones: idempotent)."""

    class Kind(models.TextChoices):
        REMINDER_REPORT = "reminder_report", _("Erinnerung: Bericht fällig")
        REMINDER_MILESTONE = "reminder_milestone", _("Erinnerung: Meilenstein überfällig")
        REPORT_SUBMITTED = "report_submitted", _("Bericht eingereicht")
        REPORT_ACCEPTED = "report_accepted", _("Bericht angenommen")
        REPORT_RETURNED = "report_returned", _("Bericht zurückgegeben")
        LIGHT_CHANGED = "light_changed", _("Ampel geändert")
        CONTRIBUTION = "contribution", _("Bürgerbeitrag wartet auf Moderation")
        REMINDER_PROOF = "reminder_proof", _("Erinnerung: Verwendungsnachweis fällig")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Empfänger"),
        on_delete=models.CASCADE,
        related_name="project_notifications",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("Projekt"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    cause = models.CharField(_("Anlass"), max_length=120)
    subject = models.CharField(_("Betreff"), max_length=200)
    body = models.TextField(_("Text"))
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    sent_at = models.DateTimeField(_("versandt am"), null=True, blank=True)
    via_digest = models.BooleanField(_("über Wochenübersicht"), default=False)

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "cause"], name="one_notification_per_cause"
            )
        ]

    def __str__(self):
        return self.subject


class DigestRun(models.Model):
    """One weekly digest per user and ISO week: a second run of the job sends nothing."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    week = models.CharField(_("Kalenderwoche"), max_length=10)  # e.g. "2026-W48"
    sent_at = models.DateTimeField(_("versandt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Wochenübersicht")
        verbose_name_plural = _("Wochenübersichten")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "week"], name="one_digest_per_week")
        ]

    def __str__(self):
        return f"{self.recipient} {self.week}"
