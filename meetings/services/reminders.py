"""Reminders of overdue action items through the projects' notification settings: an item
about a project becomes a project Notification (at once or in the weekly digest, as each
user chose); one without a project is mailed at once. One reminder per item and recipient
(the notification's unique cause; `reminded_at` for the mails)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.notifications import notify
from soest_office.access import Role

from ..models import ActionItem
from ..rules import ACTION_ITEM

KIND = "reminder_action"


def recipients_of(item) -> list:
    if item.owner_user_id:
        return [item.owner_user] if item.owner_user.is_active else []
    return list(
        get_user_model().objects.filter(
            is_active=True,
            municipality_id=item.owner_municipality_id,
            groups__name=Role.PARTNER.value,
        )
    )


def _text(item) -> tuple[str, str]:
    subject = _("Aufgabe überfällig: %(t)s") % {"t": item.title}
    body = _(
        "Die Aufgabe „%(t)s“ aus dem Gremium %(b)s war am %(d)s fällig und ist noch offen.\n\n"
        "Status pflegen: %(url)s"
    ) % {
        "t": item.title,
        "b": item.body.name,
        "d": f"{item.due:%d.%m.%Y}",
        "url": settings.SITE_URL + item.get_absolute_url(),
    }
    return subject, body


def remind_overdue(today=None) -> int:
    count = 0
    items = (
        ActionItem.objects.overdue(today)
        .filter(reminded_at__isnull=True)
        .select_related("body", "owner_user", "project")
    )
    for item in items:
        recipients = [u for u in recipients_of(item) if u.email and ACTION_ITEM.allows(u, item)]
        subject, body = _text(item)
        if item.project_id:
            notify(
                recipients=recipients,
                project=item.project,
                kind=KIND,
                cause=f"action-overdue:{item.pk}",
                subject=subject,
                body=body,
            )
        elif recipients:
            send_mail(subject, body, None, [u.email for u in recipients])
        ActionItem.objects.filter(pk=item.pk).update(reminded_at=timezone.now())
        count += 1
    return count
