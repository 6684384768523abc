from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from soest_office.access import CREATE

from ..models import Body, Meeting, MeetingSeries, Membership
from ..rules import BODY, SERIES
from .base import require_view


@require_safe
def body_list(request):
    require_view(request, BODY)
    bodies = Body.objects.visible_to(request.user).order_by("kind", "name")
    return render(request, "meetings/body_list.html", {"bodies": bodies})


@require_safe
def body_detail(request, slug):
    require_view(request, BODY)
    body = BODY.get_object(request.user, None, slug=slug)
    members = (
        Membership.objects.visible_to(request.user)
        .filter(body=body)
        .select_related("user__municipality")
        .order_by("user__last_name", "user__first_name")
    )
    meetings = Meeting.objects.visible_to(request.user).filter(body=body).select_related("body")
    now = timezone.now()
    return render(
        request,
        "meetings/body_detail.html",
        {
            "body": body,
            "members": members,
            "upcoming": meetings.filter(starts_at__gte=now).order_by("starts_at")[:10],
            "past": meetings.filter(starts_at__lt=now).order_by("-starts_at")[:10],
            "can_create_series": SERIES.permits(request.user, CREATE),
            "series": SERIES.scope(MeetingSeries.objects.filter(body=body), request.user).order_by(
                "title", "pk"
            ),
        },
    )
