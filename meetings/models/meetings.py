import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soest_office import uploads
from soest_office.access import RuledQuerySet

from .bodies import Body


class Meeting(models.Model):
    """One meeting (Sitzung) of a body."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("geplant")
        INVITED = "invited", _("eingeladen")
        HELD = "held", _("durchgeführt")
        APPROVED = "approved", _("Protokoll genehmigt")
        CANCELLED = "cancelled", _("abgesagt")

    body = models.ForeignKey(
        Body, verbose_name=_("Gremium"), on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(_("Titel"), max_length=200)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    place = models.CharField(_("Ort"), max_length=200, blank=True)
    video_url = models.URLField(_("Videokonferenz-Link"), blank=True)
    status = models.CharField(
        _("Status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    confidential = models.BooleanField(
        _("vertraulich"), default=False, help_text=_("nur für Mitglieder des Gremiums")
    )
    is_public = models.BooleanField(
        _("öffentlich"), default=False, help_text=_("auch über die OParl-Schnittstelle")
    )
    # The calendar identity: the UID never changes, SEQUENCE rises with every update sent.
    uid = models.UUIDField(_("Kalender-UID"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("Kalender-Version"), default=0, editable=False)
    minutes_approved_at = models.DateTimeField(
        _("Protokoll genehmigt am"), null=True, blank=True, editable=False
    )
    minutes_approved_in = models.ForeignKey(
        "self",
        verbose_name=_("Protokoll genehmigt in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="approved_minutes_of",
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = RuledQuerySet.as_manager()

    class Meta:
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["body", "starts_at"], name="meetings_body_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meetings_end_after_start",
                violation_error_message=_("Das Ende liegt nicht nach dem Beginn."),
            ),
            models.CheckConstraint(
                condition=models.Q(is_public=False) | models.Q(confidential=False),
                name="meetings_public_not_confidential",
                violation_error_message=_("Eine vertrauliche Sitzung kann nicht öffentlich sein."),
            ),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.title} ({local:%d.%m.%Y})"

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", kwargs={"pk": self.pk})

    @property
    def minutes_frozen(self) -> bool:
        return self.minutes_approved_at is not None


class AgendaItem(models.Model):
    """A Tagesordnungspunkt; its minutes are written here (frozen once approved)."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Beratung")
        MINUTES_APPROVAL = "minutes_approval", _("Genehmigung des Protokolls")
        OPEN_ACTIONS = "open_actions", _("Stand der offenen Aufgaben")
        RED_PROJECT = "red_project", _("Projekt mit roter Ampel")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=1)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.REGULAR)
    title = models.CharField(_("Titel"), max_length=250)
    description = models.TextField(_("Erläuterung"), blank=True)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Vortragende Person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    duration_minutes = models.PositiveSmallIntegerField(_("geplante Dauer (Minuten)"), default=15)
    projects = models.ManyToManyField(
        "projects.Project", verbose_name=_("Projekte"), blank=True, related_name="agenda_items"
    )
    minutes = models.TextField(_("Protokoll"), blank=True)

    objects = RuledQuerySet.as_manager()

    class Meta:
        verbose_name = _("Tagesordnungspunkt")
        verbose_name_plural = _("Tagesordnungspunkte")
        ordering = ["meeting", "position", "pk"]

    def __str__(self):
        return f"TOP {self.position}: {self.title}"

    def get_absolute_url(self):
        return f"{self.meeting.get_absolute_url()}#top-{self.pk}"

    def planned_duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)


class MinutesCorrection(models.Model):
    """A correction of approved minutes: a new, visible entry; the approved text stays."""

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="corrections"
    )
    text = models.TextField(_("Berichtigung"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("eingetragen am"), auto_now_add=True)

    objects = RuledQuerySet.as_manager()

    class Meta:
        verbose_name = _("Protokollberichtigung")
        verbose_name_plural = _("Protokollberichtigungen")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.agenda_item}: {self.text[:60]}"


class Paper(models.Model):
    """A document of an agenda item (Vorlage), stored through the kernel's upload checks."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(_("Titel"), max_length=200)
    file = models.FileField(_("Datei"), upload_to=uploads.UploadTo("sitzungen"), max_length=200)
    original_name = models.CharField(_("Dateiname"), max_length=200, editable=False)
    confidential = models.BooleanField(_("vertraulich"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("hochgeladen am"), auto_now_add=True)

    objects = RuledQuerySet.as_manager()

    class Meta:
        verbose_name = _("Vorlage")
        verbose_name_plural = _("Vorlagen")
        ordering = ["agenda_item", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:paper_download", kwargs={"pk": self.pk})


class Attendance(models.Model):
    """A member's answer to the invitation and, after the meeting, whether they attended."""

    class Response(models.TextChoices):
        NONE = "", _("keine Antwort")
        ACCEPTED = "accepted", _("nimmt teil")
        TENTATIVE = "tentative", _("vielleicht")
        DECLINED = "declined", _("nimmt nicht teil")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_attendances"
    )
    response = models.CharField(
        _("Antwort"), max_length=10, choices=Response.choices, blank=True, default=""
    )
    responded_at = models.DateTimeField(_("geantwortet am"), null=True, blank=True)
    attended = models.BooleanField(_("anwesend"), null=True, blank=True)

    objects = RuledQuerySet.as_manager()

    class Meta:
        verbose_name = _("Teilnahme")
        verbose_name_plural = _("Teilnahmen")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="meetings_attendance_once")
        ]

    def __str__(self):
        return f"{self.user} – {self.meeting}"
