from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    """One of the partner bodies of the model region (created by a data migration)."""

    name = models.CharField(_("Name"), max_length=100, unique=True)
    slug = models.SlugField(_("Kürzel"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("Kommune")
        verbose_name_plural = _("Kommunen")
        ordering = ["name"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A login of the intranet. Users sign in with their username; e-mail is unique
    because password reset and notifications go there."""

    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("Kommune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Pflicht für Mitarbeitende der Partnerkommunen (Gruppe Kommune)."),
    )

    class Meta:
        verbose_name = _("Benutzer")
        verbose_name_plural = _("Benutzer")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username

    def get_absolute_url(self):
        return reverse("soest_office:home")


# The search index lives in its own package; imported here so Django registers the model.
from .search.models import SearchEntry  # noqa: E402, F401
