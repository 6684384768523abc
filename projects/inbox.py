"""The projects app's entries of the one inbox (soest_office.inbox): reports to review,
returned reports to revise, overdue milestones of the user's own projects."""

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from soest_office import access
from soest_office.inbox import INBOX, InboxItem, InboxSource

from .models import Milestone, ProgressReport
from .rules import COMPLETE, MILESTONE, REPORT, REVIEW


def _reports_to_review(user):
    if not REPORT.permits(user, REVIEW):
        return None
    return (
        ProgressReport.objects.permitted(user, REVIEW)
        .filter(status=ProgressReport.Status.SUBMITTED)
        .select_related("project", "municipality")
        .order_by("submitted_at", "pk")
    )


def _returned_reports(user):
    """Returned reports of the user's municipality, for every partner of it (a colleague
    may take over): the reports the rule lets the user see, reported by the own
    municipality. The office's view reaches them too, but the revision is not its duty."""
    municipality_id = access.municipality_id_of(user)
    if municipality_id is None:
        return None
    return (
        ProgressReport.objects.visible_to(user)
        .filter(status=ProgressReport.Status.RETURNED, municipality_id=municipality_id)
        .select_related("project", "municipality")
        .order_by("reviewed_at", "pk")
    )


def _report_item(report) -> InboxItem:
    return InboxItem(
        title=f"{report.project.title}: {report}",
        url=report.get_absolute_url(),
        detail=str(report.municipality or ""),
    )


def _returned_item(report) -> InboxItem:
    return InboxItem(
        title=f"{report.project.title}: {report}",
        url=report.get_absolute_url(),
        detail=(report.review_comment or "")[:160],
    )


def _overdue_milestones(user):
    """Own projects: for partners those of the own municipality (the rule's COMPLETE scope),
    for the office those it is responsible for."""
    if not MILESTONE.permits(user, COMPLETE):
        return None
    queryset = (
        Milestone.objects.permitted(user, COMPLETE)
        .overdue()
        .filter(project__archived_at__isnull=True)
        .select_related("project")
        .order_by("due_date", "pk")
    )
    if access.municipality_id_of(user) is None:
        queryset = queryset.filter(project__responsible_id=user.pk)
    return queryset


def _milestone_item(milestone) -> InboxItem:
    return InboxItem(
        title=f"{milestone.project.title}: {milestone.title}",
        url=f"{milestone.project.get_absolute_url()}#meilensteine",
        detail=_("überfällig seit %(date)s")
        % {"date": formats.date_format(milestone.due_date, "d.m.Y")},
        due=milestone.due_date,
    )


INBOX.register(
    InboxSource(
        key="reports_to_review",
        label=_("Sachstandsberichte prüfen"),
        pending=_reports_to_review,
        item=_report_item,
        position=10,
    )
)
INBOX.register(
    InboxSource(
        key="reports_returned",
        label=_("Zurückgegebene Sachstandsberichte überarbeiten"),
        pending=_returned_reports,
        item=_returned_item,
        position=20,
    )
)
INBOX.register(
    InboxSource(
        key="milestones_overdue",
        label=_("Überfällige Meilensteine eigener Projekte"),
        pending=_overdue_milestones,
        item=_milestone_item,
        position=40,
    )
)
