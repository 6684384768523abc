"""Distribution lists: members, and the purpose whose legal basis the recipients need."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from soest_office.access import RuledQuerySet
from soest_office.choices import ChoiceDisplayMixin

from .contacts import Contact
from .legal_basis import Purpose


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

    objects = RuledQuerySet.as_manager()

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
