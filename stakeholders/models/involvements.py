"""Contacts and organisations taking part in projects, each with a role."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from soest_office.access import RuledQuerySet
from soest_office.choices import ChoiceDisplayMixin

from .contacts import Contact, Organisation


class InvolvementQuerySet(RuledQuerySet):
    """Scoped by the involvement rule (stakeholders/rules.py): whose contact or organisation
    the user may see; nothing for a partner account without a municipality."""


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
