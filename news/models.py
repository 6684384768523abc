import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from soest_office.access import RuledQuerySet
from soest_office.choices import ChoiceDisplayMixin
from soest_office.locking import VersionedModel
from soest_office.uploads import UploadTo

from .markdown import render_markdown

# Path segments under /presse/ that are not release slugs.
RESERVED_SLUGS = {"redaktion", "feed", "abo", "abmelden", "sitemap-xml", "stichwort"}


class Tag(models.Model):
    """A Stichwort of press releases (also the key of the per-Stichwort feeds)."""

    name = models.CharField(_("Stichwort"), max_length=60, unique=True)
    slug = models.SlugField(_("Kürzel"), max_length=70, unique=True)

    class Meta:
        verbose_name = _("Stichwort")
        verbose_name_plural = _("Stichwörter")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Section(models.Model):
    """A Rubrik of press releases (e.g. Politik, Bildung, Mobilität); each release carries
    at most one. The office manages the list; subscribers choose their topics from it."""

    name = models.CharField(_("Rubrik"), max_length=60, unique=True)
    slug = models.SlugField(_("Kürzel"), max_length=70, unique=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Rubrik")
        verbose_name_plural = _("Rubriken")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('news:public_list')}?rubrik={self.slug}"


class PressReleaseQuerySet(RuledQuerySet):
    """Scoped by news/rules.py: `visible_to(user)` (public and steering: published only)."""

    def published(self):
        """What the public sees: published, and not in the future."""
        return self.filter(status=PressRelease.Status.PUBLISHED, published_at__lte=timezone.now())

    def overdue(self, *, grace_seconds: int | None = None):
        """Scheduled releases whose time passed more than the grace period ago (beat down?)."""
        if grace_seconds is None:
            grace_seconds = settings.NEWS_OVERDUE_GRACE_SECONDS
        limit = timezone.now() - timezone.timedelta(seconds=grace_seconds)
        return self.filter(status=PressRelease.Status.SCHEDULED, publish_at__lt=limit)


class PressRelease(ChoiceDisplayMixin, VersionedModel):
    """A Pressemitteilung of the project office. Changes go through news.services."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        SUBMITTED = "submitted", _("zur Freigabe")
        APPROVED = "approved", _("freigegeben")
        SCHEDULED = "scheduled", _("geplant")
        PUBLISHED = "published", _("veröffentlicht")
        ARCHIVED = "archived", _("archiviert")

    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Adresse"), max_length=220, unique=True)
    dateline = models.CharField(
        _("Ortsmarke"),
        max_length=80,
        blank=True,
        help_text=_("Ort der Meldung, z. B. „Soest“; das Datum wird ergänzt."),
    )
    teaser = models.TextField(_("Vorspann"), max_length=600)
    body = models.TextField(
        _("Text"), help_text=_("Markdown: **fett**, *kursiv*, Listen, Links, Zwischentitel (##).")
    )
    # Stored under a generated name (presse/<year>/<uuid>.<ext>): the uploader's file name
    # never reaches the storage (ASVS V5).
    image = models.ImageField(_("Bild"), upload_to=UploadTo("presse"), blank=True)
    image_alt = models.CharField(_("Alternativtext des Bildes"), max_length=250, blank=True)
    image_credit = models.CharField(_("Bildquelle"), max_length=200, blank=True)
    image_license = models.CharField(_("Bildlizenz"), max_length=200, blank=True)
    image_rights_until = models.DateField(
        _("Bildrechte bis"),
        null=True,
        blank=True,
        help_text=_("Nach diesem Tag wird das Bild nicht mehr gezeigt."),
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("Rubrik"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="releases",
    )
    tags = models.ManyToManyField(
        Tag, verbose_name=_("Stichwörter"), blank=True, related_name="releases"
    )
    municipalities = models.ManyToManyField(
        "soest_office.Municipality",
        verbose_name=_("betroffene Kommunen"),
        blank=True,
        related_name="press_releases",
    )
    projects = models.ManyToManyField(
        "projects.Project",
        verbose_name=_("zugehörige Projekte"),
        blank=True,
        related_name="press_releases",
    )
    press_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Pressekontakt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    press_contact_phone = models.CharField(_("Telefon Pressekontakt"), max_length=40, blank=True)
    embargo_note = models.CharField(
        _("Sperrfrist"),
        max_length=200,
        blank=True,
        help_text=_("Steht im Versand ganz oben, z. B. „Sperrfrist: 26.11.2026, 10:00 Uhr“."),
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(_("geplante Veröffentlichung"), null=True, blank=True)
    published_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Autor/in"),
        on_delete=models.PROTECT,
        related_name="press_releases",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("freigegeben von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Four eyes: everyone but the author who changed the text. None of them approves it.
    revisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("geändert von"), blank=True, related_name="+"
    )
    # A published release changes only as a correction: the proposed text waits here
    # ({"fields": {...}, "note": ..., "by": user id, "by_name": ..., "at": iso}) until a
    # second person approves it; approved corrections are listed, dated, on the public page.
    # Timed sending: the lists that receive the release when it is published (beat or the
    # button), exactly once (`publication_sent_at` is set by a conditional UPDATE).
    publication_lists = models.ManyToManyField(
        "stakeholders.DistributionList",
        verbose_name=_("Versand bei Veröffentlichung"),
        blank=True,
        related_name="+",
    )
    publication_sent_at = models.DateTimeField(
        _("bei Veröffentlichung versandt am"), null=True, blank=True
    )
    correction_draft = models.JSONField(_("Korrekturvorschlag"), default=dict, blank=True)
    corrections = models.JSONField(_("Korrekturen"), default=list, blank=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    # updated_at is recorded too (the history page leaves it out of its diffs): a field left
    # out of the history makes django-simple-history read the release again for every
    # many-to-many field on every save, three queries per workflow step for nothing.
    history = HistoricalRecords(m2m_fields=[tags, municipalities, projects])
    objects = PressReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("Pressemitteilung")
        verbose_name_plural = _("Pressemitteilungen")
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["status", "-published_at"], name="news_status_pub_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="scheduled") | models.Q(publish_at__isnull=False),
                name="news_scheduled_has_time",
                violation_error_message=_("Eine geplante Meldung braucht einen Zeitpunkt."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["published", "archived"])
                | models.Q(published_at__isnull=False),
                name="news_published_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(image="") | ~models.Q(image_alt=""),
                name="news_image_has_alt",
                violation_error_message=_("Ein Bild braucht einen Alternativtext."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:public_detail", kwargs={"slug": self.slug})

    def get_editorial_url(self):
        return reverse("news:editorial_detail", kwargs={"pk": self.pk})

    def body_html(self) -> str:
        """The body as sanitised HTML (Markdown rendered, then cleaned by nh3)."""
        return render_markdown(self.body)

    @property
    def is_public(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def correction_list(self) -> list[dict]:
        """The approved corrections, oldest first, with their time as a datetime."""
        return [
            {"at": datetime.datetime.fromisoformat(c["at"]), "note": c["note"]}
            for c in self.corrections
        ]

    @property
    def image_usable(self) -> bool:
        """An image is shown only while its rights last."""
        if not self.image:
            return False
        return self.image_rights_until is None or self.image_rights_until >= timezone.localdate()

    @property
    def image_rights_expire_soon(self) -> bool:
        """Publishing warns when the rights end within 30 days (or already ended)."""
        if not self.image or self.image_rights_until is None:
            return False
        return self.image_rights_until <= timezone.localdate() + timezone.timedelta(days=30)


class Distribution(models.Model):
    """The mailing of one release. One per release: sending again (more lists, a second
    click) only adds recipients who have no delivery yet."""

    release = models.OneToOneField(
        PressRelease,
        verbose_name=_("Pressemitteilung"),
        on_delete=models.PROTECT,
        related_name="distribution",
    )
    lists = models.ManyToManyField(
        "stakeholders.DistributionList", verbose_name=_("Verteiler"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("versandt von"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    last_dispatched_at = models.DateTimeField(_("zuletzt angestoßen"), null=True, blank=True)

    objects = RuledQuerySet.as_manager()

    class Meta:
        verbose_name = _("Versand")
        verbose_name_plural = _("Versände")
        ordering = ["-created_at"]

    def __str__(self):
        return str(self.release)


class DeliveryQuerySet(RuledQuerySet):
    def due(self, now=None):
        """Queued and not waiting for a retry."""
        now = now or timezone.now()
        return self.filter(status=Delivery.Status.QUEUED).filter(
            models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now)
        )


class Delivery(ChoiceDisplayMixin, models.Model):
    """One mail of a distribution to one recipient; claimed by a conditional UPDATE before
    sending, so no two workers send it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("wartet")
        SENDING = "sending", _("wird gesendet")
        SENT = "sent", _("gesendet")
        FAILED = "failed", _("fehlgeschlagen")
        SKIPPED = "skipped", _("übersprungen")
        BOUNCED = "bounced", _("unzustellbar")

    distribution = models.ForeignKey(
        Distribution, on_delete=models.CASCADE, related_name="deliveries"
    )
    contact = models.ForeignKey(
        "stakeholders.Contact",
        verbose_name=_("Kontakt"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="press_deliveries",
    )
    purpose = models.CharField(_("Zweck"), max_length=20)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    name = models.CharField(_("Name"), max_length=250, blank=True)
    salutation = models.CharField(_("Anrede"), max_length=300, blank=True)
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    error = models.CharField(_("Grund"), max_length=500, blank=True)
    # Sent before publication: "Sperrfrist: <date, time>" in subject and body.
    embargo_until = models.DateTimeField(_("Sperrfrist bis"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("gesendet am"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("Zustellung")
        verbose_name_plural = _("Zustellungen")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["distribution", "contact"], name="news_delivery_one_per_recipient"
            )
        ]
        indexes = [
            models.Index(fields=["distribution", "status"], name="news_delivery_status_idx"),
            models.Index(fields=["status", "claimed_at"], name="news_delivery_claim_idx"),
        ]

    def __str__(self):
        return f"{self.email} ({self.get_status_display()})"


class NewsSettings(models.Model):
    """The office's own settings of the press work (one row). The one-person office lets the
    only active office member approve their own releases: turned on knowingly, audited."""

    one_person_office = models.BooleanField(_("Ein-Personen-Büro"), default=False)
    changed_at = models.DateTimeField(_("geändert am"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geändert von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Einstellungen der Pressearbeit")
        verbose_name_plural = _("Einstellungen der Pressearbeit")

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "NewsSettings":
        return cls.objects.select_related("changed_by").filter(pk=1).first() or cls(pk=1)
