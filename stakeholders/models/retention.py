"""How long contacts may be kept without activity (the retention review's rules)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .contacts import Contact


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
