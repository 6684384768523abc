"""Public subscriptions to the region's news with double opt-in.

A `SubscriptionRequest` is the unconfirmed wish (deleted after a few days); only the click on
the confirmation link creates the `Subscription`, which belongs to a stakeholders Contact and
holds the consent proof (request and confirmation time, consent text version, source).
"""

import secrets

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from soest_office.access import RuledQuerySet


def new_key() -> str:
    return secrets.token_urlsafe(16)


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("jede Meldung sofort")
    WEEKLY = "weekly", _("wöchentlicher Überblick")


class ConsentText(models.Model):
    """A version of the consent text shown on the subscribe page. Never edited once used:
    a new wording is a new version (the proof names the version the person agreed to)."""

    version = models.CharField(_("Version"), max_length=20, unique=True)
    text = models.TextField(_("Einwilligungstext"))
    valid_from = models.DateTimeField(_("gültig ab"))

    class Meta:
        verbose_name = _("Einwilligungstext")
        verbose_name_plural = _("Einwilligungstexte")
        ordering = ["-valid_from", "-pk"]

    def __str__(self):
        return f"Version {self.version}"


class SubscriptionRequest(models.Model):
    """An unconfirmed subscription; its key is part of the signed confirmation link."""

    email = models.EmailField(_("E-Mail-Adresse"))
    name = models.CharField(_("Name"), max_length=100, blank=True)
    sections = models.ManyToManyField("news.Section", verbose_name=_("Rubriken"), blank=True)
    municipalities = models.ManyToManyField(
        "soest_office.Municipality", verbose_name=_("Kommunen"), blank=True
    )
    frequency = models.CharField(_("Häufigkeit"), max_length=10, choices=Frequency.choices)
    consent_text = models.ForeignKey(
        ConsentText, verbose_name=_("Einwilligungstext"), on_delete=models.PROTECT
    )
    key = models.CharField(max_length=40, unique=True, default=new_key, editable=False)
    requested_at = models.DateTimeField(_("angefordert am"))
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Abo-Anfrage")
        verbose_name_plural = _("Abo-Anfragen")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["requested_at"])]

    def __str__(self):
        return self.email


class SubscriptionQuerySet(RuledQuerySet):
    def active(self):
        return self.filter(status=Subscription.Status.ACTIVE)


class Subscription(models.Model):
    """A confirmed subscription of one contact (one per contact)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("aktiv")
        ENDED = "ended", _("abgemeldet")

    SOURCE_WEB_FORM = "Web-Formular"

    contact = models.OneToOneField(
        "stakeholders.Contact",
        verbose_name=_("Kontakt"),
        on_delete=models.CASCADE,
        related_name="subscription",
    )
    email = models.EmailField(_("E-Mail-Adresse"))
    sections = models.ManyToManyField(
        "news.Section", verbose_name=_("Rubriken"), blank=True, related_name="subscriptions"
    )
    municipalities = models.ManyToManyField(
        "soest_office.Municipality",
        verbose_name=_("Kommunen"),
        blank=True,
        related_name="subscriptions",
    )
    frequency = models.CharField(_("Häufigkeit"), max_length=10, choices=Frequency.choices)
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    # Consent proof (DSGVO Art. 7 (1)).
    consent_text = models.ForeignKey(
        ConsentText, verbose_name=_("Einwilligungstext"), on_delete=models.PROTECT
    )
    source = models.CharField(_("Quelle"), max_length=60, default=SOURCE_WEB_FORM)
    requested_at = models.DateTimeField(_("angefordert am"))
    confirmed_at = models.DateTimeField(_("bestätigt am"))
    ended_at = models.DateTimeField(_("abgemeldet am"), null=True, blank=True)
    # Part of the signed manage link; replaced to invalidate old links.
    manage_key = models.CharField(max_length=40, default=new_key, editable=False)
    digest_sent_until = models.DateTimeField(
        _("Überblick versandt bis"), null=True, blank=True, editable=False
    )
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Abonnement")
        verbose_name_plural = _("Abonnements")
        ordering = ["-confirmed_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "frequency"]),
            models.Index(fields=["confirmed_at"]),
        ]

    def __str__(self):
        return self.email

    def get_absolute_url(self):
        return reverse("subscriptions:office_subscriber", kwargs={"pk": self.pk})


class SubscriptionEvent(models.Model):
    """The proof trail of a subscription: confirmed, changed, unsubscribed."""

    class Kind(models.TextChoices):
        CONFIRMED = "confirmed", _("bestätigt (Double-Opt-in)")
        CHANGED = "changed", _("Themen/Häufigkeit geändert")
        UNSUBSCRIBED = "unsubscribed", _("abgemeldet")

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("Ereignis"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("Zeitpunkt"))
    detail = models.CharField(_("Details"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("Abo-Ereignis")
        verbose_name_plural = _("Abo-Ereignisse")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%d.%m.%Y %H:%M}"


class DigestMail(models.Model):
    """One weekly overview mail to one subscriber; claimed by a conditional UPDATE before
    it is sent, unique per subscriber and week."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("wartet")
        SENDING = "sending", _("wird gesendet")
        SENT = "sent", _("gesendet")
        FAILED = "failed", _("fehlgeschlagen")
        SKIPPED = "skipped", _("übersprungen")

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="digests")
    week_start = models.DateField(_("Woche ab"))
    period_end = models.DateTimeField(_("bis"))
    releases = models.ManyToManyField("news.PressRelease", related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Wochenüberblick")
        verbose_name_plural = _("Wochenüberblicke")
        ordering = ["-week_start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "week_start"], name="subscriptions_one_digest_per_week"
            )
        ]

    def __str__(self):
        return f"{self.subscription} {self.week_start:%d.%m.%Y}"
