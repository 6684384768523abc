"""The attendance link of the invitation mail: its signed token names meeting and member."""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..forms import RespondForm
from ..models import Meeting
from ..rules import MEETING, RESPOND
from ..services import minutes
from ..services.invitations import read_respond_token


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def respond_link(request, token):
    try:
        meeting_id, user_id = read_respond_token(token)
        member = get_user_model().objects.filter(pk=user_id, is_active=True).first()
        meeting = Meeting.objects.select_related("body").filter(pk=meeting_id).first()
        if member is None or meeting is None or not MEETING.allows(member, meeting, RESPOND):
            raise ValidationError(_("Dieser Antwort-Link gilt nicht mehr."))
    except ValidationError as error:
        return render(
            request, "meetings/respond_link.html", {"error": error.messages[0]}, status=400
        )
    initial = request.GET.get("antwort")
    form = RespondForm(request.POST or None, initial={"response": initial})
    done = None
    if request.method == "POST" and form.is_valid():
        try:
            done = minutes.attendance_respond(member, meeting, form.cleaned_data["response"])
        except ValidationError as error:
            return render(
                request, "meetings/respond_link.html", {"error": error.messages[0]}, status=400
            )
    return render(
        request,
        "meetings/respond_link.html",
        {"meeting": meeting, "member": member, "form": form, "done": done},
    )
