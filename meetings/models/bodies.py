from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from soest_office.access import RuledQuerySet


class Body(models.Model):
    """A Gremium: the Lenkungskreis, the Projektteam or a working group."""

    class Kind(models.TextChoices):
        STEERING = "steering", _("Lenkungskreis")
        PROJECT_TEAM = "project_team", _("Projektteam")
        WORKING_GROUP = "working_group", _("Arbeitsgruppe")

    name = models.CharField(_("Name"), max_length=150, unique=True)
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=80, unique=True)
    code = models.CharField(
        _("Kürzel für Beschlussnummern"),
        max_length=10,
        unique=True,
        help_text=_("z. B. „LK“ für die Nummern LK-2026-07"),
    )
    kind = models.CharField(
        _("Art"), max_length=20, choices=Kind.choices, default=Kind.WORKING_GROUP
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        verbose_name=_("Mitglieder"),
        related_name="meeting_bodies",
        blank=True,
    )

    objects = RuledQuerySet.as_manager()

    class Meta:
        verbose_name = _("Gremium")
        verbose_name_plural = _("Gremien")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("meetings:body_detail", kwargs={"slug": self.slug})


class Membership(models.Model):
    """A user (of any role) who is a member of a body."""

    class Function(models.TextChoices):
        CHAIR = "chair", _("Vorsitz")
        MEMBER = "member", _("Mitglied")
        DEPUTY = "deputy", _("Stellvertretung")

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="meeting_memberships",
    )
    function = models.CharField(
        _("Funktion"), max_length=10, choices=Function.choices, default=Function.MEMBER
    )

    objects = RuledQuerySet.as_manager()

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        constraints = [
            models.UniqueConstraint(fields=["body", "user"], name="meetings_membership_once")
        ]

    def __str__(self):
        return f"{self.user} ({self.body})"


class BodyGuest(models.Model):
    """A contact of the stakeholders app who takes part as a guest."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="guests")
    contact = models.ForeignKey(
        "stakeholders.Contact",
        verbose_name=_("Kontakt"),
        on_delete=models.CASCADE,
        related_name="meeting_guest_roles",
    )
    note = models.CharField(_("Hinweis"), max_length=200, blank=True)

    objects = RuledQuerySet.as_manager()

    class Meta:
        verbose_name = _("Gast")
        verbose_name_plural = _("Gäste")
        constraints = [
            models.UniqueConstraint(fields=["body", "contact"], name="meetings_guest_once")
        ]

    def __str__(self):
        return f"{self.contact} ({self.body})"
