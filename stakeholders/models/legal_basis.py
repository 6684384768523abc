"""The legal basis of a contact per purpose: an append-only log (`LegalBasisRecord`) of which
only the newest record per contact and purpose counts; older ones stay as history."""

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from soest_office.choices import ChoiceDisplayMixin


class Purpose(models.TextChoices):
    """What a contact may be contacted for; each needs its own legal basis."""

    PRESS = "press", _("Presseverteiler")
    NEWSLETTER = "newsletter", _("Newsletter")
    PROJECT_INFO = "project_info", _("Projektinfo")
    EVENTS = "events", _("Veranstaltungen")


def latest_basis_subquery(purpose: str, contact_ref: str = "pk") -> Subquery:
    """The status of the newest legal-basis record of a contact for one purpose."""
    return Subquery(
        LegalBasisRecord.objects.filter(contact=OuterRef(contact_ref), purpose=purpose)
        .order_by("-effective_at", "-pk")
        .values("status")[:1]
    )


class LegalBasisRecord(ChoiceDisplayMixin, models.Model):
    """One change of the legal basis of a contact for a purpose. Append-only."""

    class Status(models.TextChoices):
        CONSENT = "consent", _("Einwilligung")
        LEGITIMATE_INTEREST = "legitimate_interest", _("berechtigtes Interesse")
        WITHDRAWN = "withdrawn", _("Widerruf/Widerspruch")

    class Method(models.TextChoices):
        FORM = "form", _("Formular")
        EMAIL = "email", _("E-Mail")
        IN_PERSON = "in_person", _("persönlich")
        PHONE = "phone", _("Telefon")
        IMPORT = "import", _("Import")
        UNSUBSCRIBE = "unsubscribe", _("Abmeldelink")
        MERGE = "merge", _("Zusammenführung")
        OTHER = "other", _("Sonstiges")

    VALID_STATUSES = (Status.CONSENT, Status.LEGITIMATE_INTEREST)

    contact = models.ForeignKey(
        "stakeholders.Contact",
        verbose_name=_("Kontakt"),
        on_delete=models.CASCADE,
        related_name="legal_basis_records",
    )
    purpose = models.CharField(_("Zweck"), max_length=20, choices=Purpose.choices)
    status = models.CharField(_("Rechtsgrundlage"), max_length=20, choices=Status.choices)
    method = models.CharField(
        _("Art der Erteilung"), max_length=20, choices=Method.choices, default=Method.OTHER
    )
    source = models.CharField(_("Quelle/Vermerk"), max_length=255, blank=True)
    effective_at = models.DateTimeField(_("wirksam ab"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erfasst von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("erfasst am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Rechtsgrundlage")
        verbose_name_plural = _("Rechtsgrundlagen")
        ordering = ["-effective_at", "-pk"]
        indexes = [models.Index(fields=["contact", "purpose", "-effective_at"])]

    def __str__(self):
        return f"{self.get_purpose_display()}: {self.get_status_display()}"

    @property
    def is_valid(self):
        return self.status in self.VALID_STATUSES
