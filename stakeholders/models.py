"""Contacts of the project office: organisations, people, their legal basis per purpose,
project involvements, the contact history and distribution lists.

The legal basis is an append-only log (`LegalBasisRecord`): only the latest record per
contact and purpose counts, older ones stay as history. A withdrawal and "do not contact"
survive every import and merge (see services.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from soest_office import access
from soest_office.choices import ChoiceDisplayMixin


class Purpose(models.TextChoices):
    """What a contact may be contacted for; each needs its own legal basis."""

    PRESS = "press", _("Presseverteiler")
    NEWSLETTER = "newsletter", _("Newsletter")
    PROJECT_INFO = "project_info", _("Projektinfo")
    EVENTS = "events", _("Veranstaltungen")


class Tag(models.Model):
    name = models.CharField(_("Name"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("Schlagwort")
        verbose_name_plural = _("Schlagwörter")
        ordering = ["name"]

    def __str__(self):
        return self.name


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Organisations carry a municipality like contacts do, so the contact rule applies.
        if not access.can_access_stakeholders(user):
            return self.none()
        return access.scope_contacts(self, user)


class Organisation(models.Model):
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
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("stakeholders:organisation_detail", kwargs={"pk": self.pk})


def latest_basis_subquery(purpose: str, contact_ref: str = "pk") -> Subquery:
    """The status of the newest legal-basis record of a contact for one purpose."""
    return Subquery(
        LegalBasisRecord.objects.filter(contact=OuterRef(contact_ref), purpose=purpose)
        .order_by("-effective_at", "-pk")
        .values("status")[:1]
    )


class ContactQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not access.can_access_stakeholders(user):
            return self.none()
        return access.scope_contacts(self, user)

    def with_valid_email(self):
        return self.exclude(email="").filter(email__contains="@")

    def contactable(self):
        return self.filter(do_not_contact=False)

    def with_current_basis(self, purpose: str):
        """Contacts whose latest legal basis for `purpose` is a consent or a legitimate
        interest (not withdrawn, not absent)."""
        return self.annotate(_basis=latest_basis_subquery(purpose)).filter(
            _basis__in=LegalBasisRecord.VALID_STATUSES
        )


class Contact(ChoiceDisplayMixin, models.Model):
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
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    mobile = models.CharField(_("Mobil"), max_length=40, blank=True)
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
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("stakeholders:contact_detail", kwargs={"pk": self.pk})

    @property
    def full_name(self):
        return " ".join(p for p in (self.title, self.first_name, self.last_name) if p)


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
        Contact,
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


class InvolvementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Involvements whose contact or organisation the user may see (access.scope_contacts:
        office all, partners their municipality's, everyone else none)."""
        if not access.can_access_stakeholders(user):
            return self.none()
        if access.is_office(user):
            return self
        municipality_id = access.municipality_id_of(user)
        return self.filter(
            models.Q(contact__municipality_id=municipality_id)
            | models.Q(organisation__municipality_id=municipality_id)
        )


class Involvement(ChoiceDisplayMixin, models.Model):
    """A contact or an organisation taking part in a project with a role."""

    class Role(models.TextChoices):
        CONTACT_PERSON = "contact_person", _("Ansprechpartner/in")
        PARTNER = "partner", _("Partner")
        SERVICE_PROVIDER = "service_provider", _("Dienstleister")
        FUNDER = "funder", _("Förderer")
        MULTIPLIER = "multiplier", _("Multiplikator")
        EXPERT = "expert", _("Fachexpertise")
        OTHER = "other", _("Sonstige")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("Projekt"),
        on_delete=models.CASCADE,
        related_name="involvements",
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("Kontakt"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="involvements",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="involvements",
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)
    note = models.CharField(_("Bemerkung"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    objects = InvolvementQuerySet.as_manager()

    class Meta:
        verbose_name = _("Beteiligung")
        verbose_name_plural = _("Beteiligungen")
        ordering = ["project__title", "role"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(contact__isnull=False) & Q(organisation__isnull=True))
                | (Q(contact__isnull=True) & Q(organisation__isnull=False)),
                name="involvement_contact_xor_organisation",
                violation_error_message=_(
                    "Eine Beteiligung gehört entweder zu einem Kontakt oder zu einer Organisation."
                ),
            ),
            models.UniqueConstraint(
                fields=["project", "contact", "role"],
                condition=Q(contact__isnull=False),
                name="involvement_unique_contact_role",
            ),
            models.UniqueConstraint(
                fields=["project", "organisation", "role"],
                condition=Q(organisation__isnull=False),
                name="involvement_unique_organisation_role",
            ),
        ]

    def __str__(self):
        who = self.contact or self.organisation
        return f"{who} – {self.project} ({self.get_role_display()})"


class Interaction(ChoiceDisplayMixin, models.Model):
    """An entry of the contact history. After an erasure the row stays without contact
    and without text: an anonymous count per date, channel and project."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Telefon")
        EMAIL = "email", _("E-Mail")
        MEETING = "meeting", _("Termin")
        EVENT = "event", _("Veranstaltung")
        MAILING = "mailing", _("Pressemitteilung")

    contact = models.ForeignKey(
        Contact,
        verbose_name=_("Kontakt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interactions",
    )
    occurred_at = models.DateTimeField(_("Datum"))
    channel = models.CharField(_("Kanal"), max_length=10, choices=Channel.choices)
    summary = models.TextField(_("Zusammenfassung"), blank=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("Projekt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interactions",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erfasst von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("erfasst am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Kontakt-Eintrag")
        verbose_name_plural = _("Kontakthistorie")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["contact", "-occurred_at"])]

    def __str__(self):
        return f"{self.get_channel_display()} am {self.occurred_at:%d.%m.%Y}"


class DistributionList(ChoiceDisplayMixin, models.Model):
    name = models.CharField(_("Name"), max_length=150, unique=True)
    purpose = models.CharField(
        _("Zweck"),
        max_length=20,
        choices=Purpose.choices,
        help_text=_("Welche Rechtsgrundlage die Empfänger brauchen."),
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    members = models.ManyToManyField(
        Contact,
        verbose_name=_("Mitglieder"),
        through="ListMembership",
        related_name="distribution_lists",
        blank=True,
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Verteiler")
        verbose_name_plural = _("Verteiler")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("stakeholders:list_detail", kwargs={"pk": self.pk})


class ListMembership(models.Model):
    distribution_list = models.ForeignKey(
        DistributionList, on_delete=models.CASCADE, related_name="memberships"
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="memberships")
    added_at = models.DateTimeField(_("hinzugefügt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Verteiler-Mitgliedschaft")
        verbose_name_plural = _("Verteiler-Mitgliedschaften")
        constraints = [
            models.UniqueConstraint(
                fields=["distribution_list", "contact"], name="membership_unique"
            )
        ]

    def __str__(self):
        return f"{self.contact_id} in {self.distribution_list_id}"


class RetentionRule(models.Model):
    """How long a contact of a category under a legal basis may be kept without interaction."""

    class Basis(models.TextChoices):
        ANY = "any", _("jede")
        CONSENT = "consent", _("Einwilligung")
        LEGITIMATE_INTEREST = "legitimate_interest", _("berechtigtes Interesse")

    category = models.CharField(
        _("Kategorie"),
        max_length=20,
        choices=Contact.Category.choices,
        blank=True,
        help_text=_("Leer: alle Kategorien."),
    )
    basis = models.CharField(
        _("Rechtsgrundlage"), max_length=20, choices=Basis.choices, default=Basis.ANY
    )
    months = models.PositiveSmallIntegerField(_("Aufbewahrung in Monaten"), default=36)

    class Meta:
        verbose_name = _("Aufbewahrungsregel")
        verbose_name_plural = _("Aufbewahrungsregeln")
        ordering = ["category", "basis"]
        constraints = [
            models.UniqueConstraint(fields=["category", "basis"], name="retention_rule_unique"),
            models.CheckConstraint(condition=Q(months__gte=1), name="retention_months_positive"),
        ]

    def __str__(self):
        return f"{self.get_category_display() or _('alle')} / {self.get_basis_display()}"


def import_upload_to(instance, filename):
    return f"stakeholders/imports/{instance.token}.upload"


class ImportJob(models.Model):
    """An upload on its way through mapping, preview and an all-or-nothing commit."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("hochgeladen")
        PREVIEWED = "previewed", _("geprüft")
        QUEUED = "queued", _("in Warteschlange")
        RUNNING = "running", _("läuft")
        DONE = "done", _("abgeschlossen")
        FAILED = "failed", _("fehlgeschlagen")

    class DuplicateMode(models.TextChoices):
        SKIP = "skip", _("überspringen")
        UPDATE = "update", _("aktualisieren")
        CREATE = "create", _("trotzdem neu anlegen")

    token = models.CharField(max_length=32, unique=True, editable=False)
    file = models.FileField(_("Datei"), upload_to=import_upload_to)
    original_name = models.CharField(_("Dateiname"), max_length=255)
    file_format = models.CharField(_("Format"), max_length=5)
    encoding = models.CharField(_("Zeichenkodierung"), max_length=20, blank=True)
    delimiter = models.CharField(_("Trennzeichen"), max_length=1, blank=True)
    headers = models.JSONField(_("Spalten"), default=list)
    mapping = models.JSONField(_("Zuordnung"), default=dict)
    duplicate_mode = models.CharField(
        _("Dubletten"), max_length=10, choices=DuplicateMode.choices, default=DuplicateMode.SKIP
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.UPLOADED
    )
    total_rows = models.PositiveIntegerField(_("Zeilen"), default=0)
    processed_rows = models.PositiveIntegerField(_("verarbeitet"), default=0)
    created_count = models.PositiveIntegerField(_("neu"), default=0)
    updated_count = models.PositiveIntegerField(_("aktualisiert"), default=0)
    skipped_count = models.PositiveIntegerField(_("übersprungen"), default=0)
    error_message = models.TextField(_("Fehler"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    finished_at = models.DateTimeField(_("fertig am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Import")
        verbose_name_plural = _("Importe")
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("stakeholders:import_preview", kwargs={"token": self.token})

    @property
    def progress_percent(self):
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))
