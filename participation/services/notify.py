"""Moderation notices to the office: one message per waiting contribution, through the
projects app's notifications, so each office member gets it at once or in the weekly digest
as set in their notification settings (projects.ProjectUserSettings.mail_mode)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from projects import notifications
from projects.models import Notification
from soest_office.access import Role


def _office_users():
    users = get_user_model().objects.filter(is_active=True, groups__name=Role.OFFICE.value)
    return list(users.distinct())


def notify_office(contribution) -> None:
    project = contribution.participation.project
    path = reverse("participation:office_detail", kwargs={"pk": contribution.pk})
    url = f"{settings.SITE_URL}{path}"
    notifications.notify(
        recipients=_office_users(),
        project=project,
        kind=Notification.Kind.CONTRIBUTION,
        cause=f"participation:{contribution.pk}",
        subject=_("Neuer Bürgerbeitrag zu »%(project)s« wartet auf Moderation")
        % {"project": project.title},
        body=_(
            "Ein neuer Beitrag zur Beteiligung an »%(project)s« wartet auf Ihre Moderation. "
            "Vor der Freigabe ist er nicht öffentlich.\n\n%(url)s"
        )
        % {"project": project.title, "url": url},
    )
