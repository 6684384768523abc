"""Shared helpers of the meeting views: every object comes through its rule."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect

from soest_office import access
from soest_office.access import VIEW

from ..rules import MEETING


def require_role(request) -> None:
    """The meeting pages are the intranet's: a login without a role gets 403."""
    if not access.has_role(request.user):
        raise PermissionDenied


def get_meeting(request, pk, verb=VIEW, queryset=None):
    require_role(request)
    if queryset is None:
        from ..models import Meeting

        queryset = Meeting.objects.select_related("body")
    return MEETING.get_object(request.user, queryset, verb, pk=pk)


def refused(request, error: ValidationError, url):
    for message in error.messages:
        messages.error(request, message)
    return redirect(url)
