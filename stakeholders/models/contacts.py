"""Organisations and the people of the contact management (with their tags): who may see
them are the rules of stakeholders/rules.py."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from soest_office.access import RuledQuerySet
from soest_office.choices import ChoiceDisplayMixin
from soest_office.locking import VersionedModel

from .legal_basis import LegalBasisRecord, latest_basis_subquery


class Tag(models.Model):
    name = models.CharField(_("Name"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("Schlagwort")
        verbose_name_plural = _("Schlagwörter")
        ordering = ["name"]

    def __str__(self):
        return self.name


class OrganisationQuerySet(RuledQuerySet):
    """Scoped by the organisation rule (stakeholders/rules.py)."""


class Organisation(VersionedModel):
    class Kind(models.TextChoices):
        ADMINISTRATION = "administration", _("Verwaltung")
        POLITICS = "politics", _("Politik")
        BUSINESS = "business", _("Wirtschaft")
        SCIENCE = "science", _("Wissenschaft")
        EDUCATION = "education", _("Bildung")
        HEALTH = "health", _("Gesundheit")
        CIVIL_SOCIETY = "civil_society", _("Zivilgesellschaft")
        PRESS = "press", _("Presse")
        ASSOCIATION = "association", _("Verband")
        OTHER = "other", _("Sonstige")

    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    municipality = models.ForeignKey(
        "soest_office.Municipality",
        verbose_name=_("Kommune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postal_code = models.CharField(_("PLZ"), max_length=10, blank=True)
    city = models.CharField(_("Ort"), max_length=100, blank=True)
    country = models.CharField(
        _("Land"), max_length=100, blank=True, help_text=_("Leer lassen für Deutschland.")
    )
    website = models.URLField(_("Website"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    notes = models.TextField(_("Notizen"), blank=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]
        # The organisation list's order (name, pk): its deep pages read their ids from this
        # index alone (soest_office.pagination.DeepPagePaginator).
        indexes = [models.Index(fields=["name", "id"], name="organisation_name_id")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("stakeholders:organisation_detail", kwargs={"pk": self.pk})


class ContactQuerySet(RuledQuerySet):
    """Scoped by the contact rule (stakeholders/rules.py)."""

    def with_valid_email(self):
        """An address that looks like one and has not come back as undeliverable."""
        return self.exclude(email="").filter(
            email__contains="@", email_undeliverable_since__isnull=True
        )

    def undeliverable(self):
        return self.exclude(email="").filter(email_undeliverable_since__isnull=False)

    def contactable(self):
        return self.filter(do_not_contact=False)

    def with_current_basis(self, purpose: str):
        """Contacts whose latest legal basis for `purpose` is a consent or a legitimate
        interest (not withdrawn, not absent)."""
        return self.annotate(_basis=latest_basis_subquery(purpose)).filter(
            _basis__in=LegalBasisRecord.VALID_STATUSES
        )


class Contact(ChoiceDisplayMixin, VersionedModel):
    class Salutation(models.TextChoices):
        NONE = "", _("keine Angabe")
        MS = "Frau", _("Frau")
        MR = "Herr", _("Herr")

    class Category(models.TextChoices):
        """Drives the retention rules (press under legitimate interest vs. citizens)."""

        PRESS = "press", _("Presse")
        ADMINISTRATION = "administration", _("Verwaltung")
        POLITICS = "politics", _("Politik")
        BUSINESS = "business", _("Wirtschaft")
        SCIENCE = "science", _("Wissenschaft/Bildung")
        CIVIL_SOCIETY = "civil_society", _("Zivilgesellschaft")
        CITIZEN = "citizen", _("Bürgerin/Bürger")
        SUBSCRIBER = "subscriber", _("Abonnent/in")
        OTHER = "other", _("Sonstige")

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-Mail")
        PHONE = "phone", _("Telefon")
        POST = "post", _("Post")
        IN_PERSON = "in_person", _("persönlich")

    class Language(models.TextChoices):
        DE = "de", _("Deutsch")
        EN = "en", _("Englisch")

    salutation = models.CharField(
        _("Anrede"), max_length=10, choices=Salutation.choices, blank=True
    )
    title = models.CharField(_("Titel"), max_length=50, blank=True)
    first_name = models.CharField(_("Vorname"), max_length=100, blank=True)
    last_name = models.CharField(_("Nachname"), max_length=100)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
    )
    function = models.CharField(_("Funktion"), max_length=150, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    email_secondary = models.EmailField(_("weitere E-Mail-Adresse"), blank=True)
    # A hard bounce marked by the office (news.mailing.bounces): the address is skipped by
    # every mailing until it is changed (Contact.save lifts the mark for a new address).
    email_undeliverable_since = models.DateTimeField(
        _("E-Mail unzustellbar seit"), null=True, blank=True, editable=False
    )
    email_undeliverable_reason = models.CharField(
        _("Grund der Unzustellbarkeit"), max_length=300, blank=True, editable=False
    )
    email_undeliverable_address = models.EmailField(
        _("unzustellbare Adresse"), blank=True, editable=False
    )
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    mobile = models.CharField(_("Mobil"), max_length=40, blank=True)
    # The postal address (business, as Outlook calls it): for letters and the vCard's ADR.
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postal_code = models.CharField(_("PLZ"), max_length=10, blank=True)
    city = models.CharField(_("Ort"), max_length=100, blank=True)
    country = models.CharField(
        _("Land"), max_length=100, blank=True, help_text=_("Leer lassen für Deutschland.")
    )
    municipality = models.ForeignKey(
        "soest_office.Municipality",
        verbose_name=_("Kommune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
    )
    category = models.CharField(
        _("Kategorie"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("Schlagwörter"), blank=True)
    notes = models.TextField(_("Notizen"), blank=True)
    preferred_language = models.CharField(
        _("bevorzugte Sprache"), max_length=5, choices=Language.choices, default=Language.DE
    )
    preferred_channel = models.CharField(
        _("bevorzugter Kanal"), max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    do_not_contact = models.BooleanField(
        _("nicht kontaktieren"),
        default=False,
        help_text=_("Sperrt den Kontakt für alle Verteiler; Importe heben das nie auf."),
    )
    retention_flagged_at = models.DateTimeField(
        _("zur Prüfung markiert am"), null=True, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("angelegt von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["retention_flagged_at"])
    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("Kontakt")
        verbose_name_plural = _("Kontakte")
        ordering = ["last_name", "first_name", "pk"]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["email"]),
            # The retention cases waiting for a decision (the office's inbox count, after
            # every write): a few rows of many, never a scan of every contact.
            models.Index(
                fields=["id"],
                condition=models.Q(retention_flagged_at__isnull=False),
                name="contact_retention_flagged_idx",
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        lifted = self.lift_undeliverable_for_new_address()
        update_fields = kwargs.get("update_fields")
        if lifted and update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *lifted}
        super().save(*args, **kwargs)

    UNDELIVERABLE_FIELDS = (
        "email_undeliverable_since",
        "email_undeliverable_reason",
        "email_undeliverable_address",
    )

    def lift_undeliverable_for_new_address(self) -> tuple[str, ...]:
        """A new address lifts the undeliverable mark (the edit form's save and the import's
        bulk write both ask here). Returns the fields changed, () when none."""
        if not self.email_undeliverable_since or (
            self.email.strip().lower() == self.email_undeliverable_address.strip().lower()
        ):
            return ()
        self.email_undeliverable_since = None
        self.email_undeliverable_reason = ""
        self.email_undeliverable_address = ""
        return self.UNDELIVERABLE_FIELDS

    def mark_undeliverable(self, *, reason: str, when) -> None:
        """Mark the current address undeliverable (a hard bounce); saved by the caller."""
        self.email_undeliverable_since = when
        self.email_undeliverable_reason = reason[:300]
        self.email_undeliverable_address = self.email

    def get_absolute_url(self):
        return reverse("stakeholders:contact_detail", kwargs={"pk": self.pk})

    @property
    def has_address(self) -> bool:
        return bool(self.street or self.postal_code or self.city)

    @property
    def full_name(self):
        return " ".join(p for p in (self.title, self.first_name, self.last_name) if p)
