"""Citizens' contributions on public projects (online participation).

The office switches participation on per public project (`Participation`: question, period,
categories). A `Contribution` is an idea or a remark; with an address it waits for the
double opt-in (`unconfirmed`), then for moderation (`pending`); only `accepted` ones are
ever public. A `Support` is one confirmed address backing one accepted idea; after the
confirmation only a keyed hash of the address is kept (enough to refuse a second support).
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soest_office.access import RuledQuerySet


def new_key() -> str:
    return secrets.token_urlsafe(16)


class ConsentText(models.Model):
    """A version of the privacy/consent text on the contribution form; never edited once
    used (a new wording is a new version, stored with each contribution)."""

    version = models.CharField(_("Version"), max_length=20, unique=True)
    text = models.TextField(_("Einwilligungstext"))
    valid_from = models.DateTimeField(_("gültig ab"))

    class Meta:
        verbose_name = _("Einwilligungstext (Beteiligung)")
        verbose_name_plural = _("Einwilligungstexte (Beteiligung)")
        ordering = ["-valid_from", "-pk"]

    def __str__(self):
        return f"Version {self.version}"


class Participation(models.Model):
    """The participation settings of one project."""

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("Projekt"),
        on_delete=models.CASCADE,
        related_name="participation",
    )
    enabled = models.BooleanField(_("Beteiligung eingeschaltet"), default=False)
    question = models.CharField(_("Frage an die Bürgerinnen und Bürger"), max_length=300)
    starts_on = models.DateField(_("Beginn"))
    ends_on = models.DateField(_("Ende"))
    categories = models.TextField(
        _("Kategorien"), blank=True, help_text=_("Eine Kategorie je Zeile (freiwillig).")
    )
    addresses_removed_at = models.DateTimeField(
        _("Adressen entfernt am"), null=True, blank=True, editable=False
    )

    objects = RuledQuerySet.as_manager()

    class Meta:
        verbose_name = _("Beteiligung")
        verbose_name_plural = _("Beteiligungen")
        ordering = ["-starts_on", "pk"]

    def __str__(self):
        return str(self.project)

    def get_absolute_url(self):
        return reverse("participation:public_list", kwargs={"slug": self.project.slug})

    @property
    def category_list(self) -> list[str]:
        return [line.strip() for line in self.categories.splitlines() if line.strip()]

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.enabled and self.starts_on <= today <= self.ends_on


class Contribution(models.Model):
    class Kind(models.TextChoices):
        IDEA = "idea", _("Idee")
        REMARK = "remark", _("Hinweis")

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("E-Mail nicht bestätigt")
        PENDING = "pending", _("wartet auf Moderation")
        ACCEPTED = "accepted", _("veröffentlicht")
        REJECTED = "rejected", _("abgelehnt")
        MERGED = "merged", _("zusammengeführt")
        WITHDRAWN = "withdrawn", _("zurückgezogen")

    class Answer(models.TextChoices):
        NONE = "", _("noch keine Antwort")
        REVIEWING = "reviewing", _("wird geprüft")
        IMPLEMENTING = "implementing", _("wird umgesetzt")
        NOT_FEASIBLE = "not_feasible", _("nicht umsetzbar")

    participation = models.ForeignKey(
        Participation,
        verbose_name=_("Beteiligung"),
        on_delete=models.CASCADE,
        related_name="contributions",
    )
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices, default=Kind.IDEA)
    title = models.CharField(_("Titel"), max_length=120)
    text = models.TextField(_("Text"))
    category = models.CharField(_("Kategorie"), max_length=80, blank=True)
    author_name = models.CharField(_("Name"), max_length=80, blank=True)
    show_name = models.BooleanField(_("Name öffentlich zeigen"), default=False)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    contact_consent = models.BooleanField(
        _("Einverstanden mit Zuordnung zum Kontakt"), default=False
    )
    contact = models.ForeignKey(
        "stakeholders.Contact",
        verbose_name=_("Kontakt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
    )
    consent_text = models.ForeignKey(
        ConsentText, verbose_name=_("Einwilligungstext"), on_delete=models.PROTECT
    )
    status = models.CharField(
        _("Status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    key = models.CharField(max_length=40, default=new_key, editable=False)
    created_at = models.DateTimeField(_("eingereicht am"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    moderated_at = models.DateTimeField(_("moderiert am"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderiert von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reject_reason = models.TextField(_("Grund der Ablehnung"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("zusammengeführt mit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
    )
    answer_status = models.CharField(
        _("Stand"), max_length=14, choices=Answer.choices, default=Answer.NONE, blank=True
    )
    answer_text = models.TextField(_("Antwort des Projektbüros"), blank=True)
    answered_at = models.DateTimeField(_("beantwortet am"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("zurückgezogen am"), null=True, blank=True)
    address_removed_at = models.DateTimeField(_("Adresse entfernt am"), null=True, blank=True)
    # The author's mails already sent ("confirm", "accepted", "answered:<time>", ...): a task
    # that runs twice sends nothing twice.
    mails_sent = models.JSONField(default=list, blank=True, editable=False)

    objects = RuledQuerySet.as_manager()

    class Meta:
        verbose_name = _("Bürgerbeitrag")
        verbose_name_plural = _("Bürgerbeiträge")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["participation", "status"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("participation:office_detail", kwargs={"pk": self.pk})

    @property
    def public_name(self) -> str:
        return self.author_name if (self.show_name and self.author_name) else ""


class Support(models.Model):
    """One address backing one accepted idea. Until confirmed the address is kept for the
    confirmation mail; on confirmation it is replaced by a keyed hash."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="supports"
    )
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    email_hash = models.CharField(max_length=64)
    key = models.CharField(max_length=40, default=new_key, editable=False)
    requested_at = models.DateTimeField(_("angefordert am"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Unterstützung")
        verbose_name_plural = _("Unterstützungen")
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "email_hash"],
                condition=models.Q(confirmed_at__isnull=False),
                name="participation_one_support_per_address",
            )
        ]

    def __str__(self):
        return f"{self.contribution_id}/{self.pk}"
