from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from soest_office.access import RuledQuerySet

from .bodies import Body
from .meetings import AgendaItem, Meeting


class DecisionCounter(models.Model):
    """The last decision number of a body in a year; locked (SELECT ... FOR UPDATE) while a
    number is drawn, so two concurrent writers never get the same one."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="meetings_counter_once")
        ]

    def __str__(self):
        return f"{self.body_id}/{self.year}: {self.last_number}"


class Decision(models.Model):
    """A Beschluss, numbered per body and year (e.g. LK-2026-07)."""

    class Vote(models.TextChoices):
        UNANIMOUS = "unanimous", _("einstimmig")
        COUNTED = "counted", _("mit Stimmen")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="decisions")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    year = models.PositiveSmallIntegerField(_("Jahr"), editable=False)
    number = models.PositiveIntegerField(_("Nummer"), editable=False)
    text = models.TextField(_("Beschlusstext"))
    vote = models.CharField(_("Abstimmung"), max_length=10, choices=Vote.choices)
    votes_for = models.PositiveSmallIntegerField(_("dafür"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("dagegen"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("Enthaltungen"), default=0)
    projects = models.ManyToManyField(
        "projects.Project", verbose_name=_("Projekte"), blank=True, related_name="decisions"
    )
    # A decision may change one project's status ("Projekt wird gestoppt"): applied through
    # the projects app's service when the decision is recorded (effect_applied_at).
    effect_project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("Projekt, das der Beschluss ändert"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="effect_decisions",
    )
    effect_status = models.CharField(
        _("neuer Projektstatus"), max_length=20, choices=Project.Status.choices, blank=True
    )
    effect_previous_status = models.CharField(
        _("bisheriger Projektstatus"),
        max_length=20,
        choices=Project.Status.choices,
        blank=True,
        editable=False,
    )
    effect_applied_at = models.DateTimeField(_("umgesetzt am"), null=True, blank=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    objects = RuledQuerySet.as_manager()

    class Meta:
        verbose_name = _("Beschluss")
        verbose_name_plural = _("Beschlüsse")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "number"],
                name="meetings_decision_number_once",
                violation_error_message=_("Diese Beschlussnummer ist bereits vergeben."),
            ),
            models.CheckConstraint(
                condition=models.Q(effect_project__isnull=True, effect_status="")
                | models.Q(effect_project__isnull=False) & ~models.Q(effect_status=""),
                name="meetings_decision_effect_complete",
                violation_error_message=_(
                    "Eine Wirkung auf ein Projekt braucht das Projekt und den neuen Status."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.text[:60]}"

    def get_absolute_url(self):
        return f"{self.meeting.get_absolute_url()}#beschluss-{self.pk}"

    @property
    def reference(self) -> str:
        return f"{self.body.code}-{self.year}-{self.number:02d}"


class ActionItemQuerySet(RuledQuerySet):
    def open(self):
        return self.filter(status__in=ActionItem.OPEN_STATUSES)

    def overdue(self, today=None):
        return self.open().filter(due__lt=today or timezone.localdate())


class ActionItem(models.Model):
    """An Aufgabe from a meeting: owned by a user or a municipality, with a due date."""

    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        IN_PROGRESS = "in_progress", _("in Arbeit")
        DONE = "done", _("erledigt")
        DROPPED = "dropped", _("entfallen")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    body = models.ForeignKey(
        Body, verbose_name=_("Gremium"), on_delete=models.PROTECT, related_name="action_items"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="action_items"
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    title = models.CharField(_("Aufgabe"), max_length=250)
    description = models.TextField(_("Beschreibung"), blank=True)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zuständige Person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_action_items",
    )
    owner_municipality = models.ForeignKey(
        "soest_office.Municipality",
        verbose_name=_("zuständige Kommune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_action_items",
    )
    due = models.DateField(_("fällig am"))
    status = models.CharField(
        _("Status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("Projekt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_action_items",
    )
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("Aufgabe")
        verbose_name_plural = _("Aufgaben")
        ordering = ["due", "pk"]
        indexes = [
            models.Index(fields=["status", "due"], name="meetings_action_status_due"),
            # The list's order: its page is read from this index in order (no sort of all
            # open items, and each page costs the same however many items there are).
            models.Index(fields=["due", "id"], name="meetings_action_due_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner_user__isnull=True, owner_municipality__isnull=False)
                | models.Q(owner_user__isnull=False, owner_municipality__isnull=True),
                name="meetings_action_one_owner",
                violation_error_message=_(
                    "Eine Aufgabe gehört entweder einer Person oder einer Kommune."
                ),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:action_list") + f"#aufgabe-{self.pk}"

    @property
    def owner(self):
        return self.owner_user or self.owner_municipality

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due < timezone.localdate()


class Invitation(models.Model):
    """The invitation mail of one member for one meeting: one row per (meeting, user), sent
    again (with the meeting's current SEQUENCE) when the meeting changes."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("wartet")
        SENDING = "sending", _("wird gesendet")
        SENT = "sent", _("gesendet")
        FAILED = "failed", _("fehlgeschlagen")
        NO_EMAIL = "no_email", _("keine E-Mail-Adresse")

    class Method(models.TextChoices):
        REQUEST = "REQUEST", _("Einladung")
        CANCEL = "CANCEL", _("Absage")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_invitations"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.REQUEST)
    # The SEQUENCE this row is to send, and the one the member last received.
    sequence = models.PositiveIntegerField(default=0)
    sent_sequence = models.IntegerField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    objects = RuledQuerySet.as_manager()

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="meetings_invitation_once")
        ]

    def __str__(self):
        return f"{self.user} – {self.meeting}"
