from datetime import timedelta

from django.core import mail
from django.utils import timezone

from meetings.models import ActionItem
from meetings.services.reminders import remind_overdue
from projects.models import Notification, ProjectUserSettings
from projects.tests.factories import ProjectFactory
from soest_office.tests.factories import municipality

from .factories import ActionItemFactory


def test_overdue_items_are_reminded_once_through_the_project_settings(
    partner_soest, steering, django_capture_on_commit_callbacks
):
    ProjectUserSettings.objects.update_or_create(
        user=partner_soest, defaults={"mail_mode": "immediate"}
    )
    project = ProjectFactory()
    overdue = ActionItemFactory(
        owner_municipality=municipality("soest"),
        project=project,
        due=timezone.localdate() - timedelta(days=2),
    )
    ActionItemFactory(owner_municipality=municipality("soest"), due=timezone.localdate())
    ActionItemFactory(
        owner_user=steering,
        due=timezone.localdate() - timedelta(days=5),
        status=ActionItem.Status.DONE,
    )
    no_project = ActionItemFactory(
        owner_user=steering, due=timezone.localdate() - timedelta(days=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert remind_overdue() == 2
    notification = Notification.objects.get(recipient=partner_soest)
    assert overdue.title in notification.subject
    subjects = sorted(m.subject for m in mail.outbox)
    assert any(no_project.title in s for s in subjects)
    assert any(overdue.title in s for s in subjects)

    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_overdue() == 0
    assert len(mail.outbox) == sent
