from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from projects.models import Project
from soest_office.access import CHANGE, CREATE, VIEW
from soest_office.pdf import render_pdf

from ..forms import MeetingForm, RespondForm
from ..models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    Invitation,
    Meeting,
    Membership,
    MinutesCorrection,
    Paper,
)
from ..rules import ACTION_ITEM, MEETING, RESPOND, UPDATE_STATUS
from ..services import agenda, invitations, minutes
from .actions import ACTION_TABLE_COLUMNS
from .base import get_meeting, refused, require_view


@require_safe
def meeting_list(request):
    require_view(request)
    meetings = Meeting.objects.visible_to(request.user).select_related("body")
    now = timezone.now()
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "upcoming": meetings.filter(starts_at__gte=now).order_by("starts_at")[:50],
            "past": meetings.filter(starts_at__lt=now).order_by("-starts_at")[:50],
            "can_create": MEETING.permits(request.user, CREATE),
        },
    )


def meeting_context(user, meeting) -> dict:
    """What the meeting page and the minutes PDF show, each part asked of its rule."""
    items = list(
        AgendaItem.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("presenter")
        .prefetch_related(
            Prefetch("projects", queryset=Project.objects.visible_to(user).order_by("title")),
            Prefetch("papers", queryset=Paper.objects.visible_to(user).order_by("pk")),
            Prefetch(
                "corrections",
                queryset=MinutesCorrection.objects.visible_to(user).select_related("author"),
            ),
        )
        .order_by("position", "pk")
    )
    rows, planned_end = agenda.schedule(meeting, items)
    decisions = (
        Decision.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("body", "agenda_item", "effect_project")
        .prefetch_related(Prefetch("projects", queryset=Project.objects.visible_to(user)))
        .order_by("number")
    )
    action_items = (
        ACTION_ITEM.annotate(ActionItem.objects.visible_to(user), user, UPDATE_STATUS)
        .filter(meeting=meeting)
        .select_related("owner_user", "owner_municipality", "project")
        .only(*ACTION_TABLE_COLUMNS)
        .order_by("due", "pk")
    )
    attendances = (
        Attendance.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    attendances = list(attendances)
    return {
        "meeting": meeting,
        "present_ids": {a.user_id for a in attendances if a.attended},
        "rows": rows,
        "planned_end": planned_end,
        "decisions": decisions,
        "action_items": action_items,
        "attendances": attendances,
    }


@require_http_methods(["GET", "HEAD", "POST"])
def meeting_detail(request, pk):
    meeting = get_meeting(request, pk)
    user = request.user
    can_respond = MEETING.allows(user, meeting, RESPOND)
    if request.method == "POST":  # the member's answer to the invitation
        if not can_respond:  # only members of the body answer invitations
            raise PermissionDenied
        form = RespondForm(request.POST)
        if form.is_valid():
            try:
                minutes.attendance_respond(user, meeting, form.cleaned_data["response"])
            except ValidationError as error:
                return refused(request, error, meeting.get_absolute_url())
            messages.success(request, _("Ihre Antwort ist gespeichert."))
            return redirect(meeting.get_absolute_url())
    context = meeting_context(user, meeting)
    can_change = MEETING.allows(user, meeting, CHANGE)
    mine = next((a for a in context["attendances"] if a.user_id == user.pk), None)
    context.update(
        can_change=can_change,
        can_respond=can_respond,
        my_attendance=mine,
        respond_form=RespondForm(initial={"response": mine.response if mine else None}),
        previous=agenda.previous_meeting(meeting) if can_change else None,
        members=(
            Membership.objects.filter(body_id=meeting.body_id)
            .select_related("user")
            .order_by("user__last_name")
            if can_change
            else []
        ),
        invitations=(
            Invitation.objects.filter(meeting=meeting).select_related("user").order_by("pk")
            if can_change
            else []
        ),
    )
    return render(request, "meetings/meeting_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def meeting_form(request, pk=None):
    require_view(request)
    if pk is None:
        from soest_office import access

        access.require(MEETING.permits(request.user, CREATE))
        meeting = None
    else:
        meeting = get_meeting(request, pk, CHANGE)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        saved = invitations.meeting_save(request.user, form)
        messages.success(request, _("Die Sitzung ist gespeichert."))
        return redirect(saved.get_absolute_url())
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "title": _("Sitzung bearbeiten") if meeting else _("Neue Sitzung"),
            "cancel_url": meeting.get_absolute_url() if meeting else reverse("meetings:list"),
            "meeting": meeting,
        },
    )


ACTIONS = {
    "tagesordnung-vorschlagen": "propose",
    "durchgefuehrt": "held",
    "protokoll-genehmigen": "approve",
    "einladen": "invite",
    "absagen": "cancel",
}


@require_POST
def meeting_action(request, pk, action):
    meeting = get_meeting(request, pk, CHANGE)
    user = request.user
    url = meeting.get_absolute_url()
    name = ACTIONS.get(action)
    try:
        if name == "propose":
            agenda.agenda_propose(user, meeting)
            messages.success(request, _("Die Tagesordnung ist vorgeschlagen."))
        elif name == "held":
            minutes.meeting_mark_held(user, meeting)
            messages.success(request, _("Die Sitzung ist als durchgeführt markiert."))
        elif name == "approve":
            previous = agenda.previous_meeting(meeting)
            if previous is None:
                raise ValidationError(_("Es gibt keine frühere Sitzung dieses Gremiums."))
            minutes.minutes_approve(user, previous, approved_in=meeting)
            messages.success(request, _("Das Protokoll der letzten Sitzung ist genehmigt."))
        elif name == "invite":
            result = invitations.meeting_invite(user, meeting)
            messages.success(request, result.message())
            for warning in result.warnings():
                messages.warning(request, warning)
        elif name == "cancel":
            invitations.meeting_cancel(user, meeting)
            messages.success(request, _("Die Sitzung ist abgesagt; die Absage wird versandt."))
        else:
            raise ValidationError(_("Unbekannte Aktion."))
    except ValidationError as error:
        return refused(request, error, url)
    return redirect(url)


@require_safe
def minutes_pdf(request, pk):
    meeting = get_meeting(request, pk, VIEW)
    context = meeting_context(request.user, meeting)
    pdf = render_pdf("meetings/minutes_pdf.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="protokoll-{meeting.pk}.pdf"'
    return response
