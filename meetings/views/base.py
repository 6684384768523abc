"""Shared helpers of the meeting views: every object comes through its rule."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from soest_office import access
from soest_office.access import VIEW

from ..rules import MEETING


def require_view(request, rule=MEETING) -> None:
    """The meeting pages are the intranet's: 403 for a login that `rule` grants no view at
    all (no role, deactivated). The public reads public meetings through OParl, not here."""
    access.require(request.user.is_authenticated and rule.permits(request.user, VIEW))


def get_meeting(request, pk, verb=VIEW, queryset=None):
    require_view(request)
    if queryset is None:
        from ..models import Meeting

        queryset = Meeting.objects.select_related("body")
    return MEETING.get_object(request.user, queryset, verb, pk=pk)


def refused(request, error: ValidationError, url):
    for message in error.messages:
        messages.error(request, message)
    return redirect(url)
