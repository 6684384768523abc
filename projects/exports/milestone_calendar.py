"""The iCalendar feed of the milestones of the projects a user works on."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ..models import Milestone, Project


def calendar_milestones(user):
    """Milestones of the projects the user works on: partners their municipality's,
    office and steering group every active project; each as far as the milestone rule lets
    the user see it."""
    from soest_office import access

    projects = Project.objects.visible_to(user).active()
    if access.is_partner(user):
        projects = projects.editable_by(user)
    return (
        Milestone.objects.visible_to(user)
        .filter(project__in=projects.values("pk"))
        .select_related("project")
    )


def render_calendar(milestones, *, name: str) -> bytes:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Projektbüro Digitale Modellregion Soest//Meilensteine//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("x-published-ttl", "PT6H")
    stamp = timezone.now()
    for milestone in milestones:
        event = Event()
        event.add("uid", f"meilenstein-{milestone.pk}@modellregion-soest.de")
        event.add("dtstamp", stamp)
        event.add("dtstart", milestone.due_date)
        event.add("dtend", milestone.due_date + datetime.timedelta(days=1))
        prefix = "✓ " if milestone.done_date else ""
        event.add("summary", f"{prefix}{milestone.project.title}: {milestone.title}")
        description = milestone.note
        if milestone.done_date:
            description = _("erledigt am %(d)s") % {
                "d": formats.date_format(milestone.done_date, "d.m.Y")
            } + (f"\n{description}" if description else "")
        if description:
            event.add("description", description)
        event.add("url", f"{settings.SITE_URL}{milestone.project.get_absolute_url()}")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
