"""Access helpers shared by the stakeholders views: every view starts from these."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from soest_office import access

from ..models import Contact, Organisation


class StakeholdersMixin(LoginRequiredMixin):
    """Office and partners only; the steering group and users without a role get 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not access.can_access_stakeholders(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OfficeMixin(LoginRequiredMixin):
    """Lists, import, merge and DSGVO actions: the office only."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not access.can_manage_stakeholders(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def get_contact_for_user(user, pk, queryset=None) -> Contact:
    """404 outside the user's scope; `queryset` (of Contact) says what to load with it."""
    if queryset is None:
        queryset = Contact.objects.select_related("organisation", "municipality")
    return get_object_or_404(queryset.visible_to(user), pk=pk)


def get_rw_contact_for_user(user, pk) -> Contact:
    """404 outside the scope, 403 when visible but not changeable."""
    contact = get_contact_for_user(user, pk)
    if not access.can_edit_contact(user, contact):
        raise PermissionDenied
    return contact


def get_organisation_for_user(user, pk) -> Organisation:
    return get_object_or_404(
        Organisation.objects.visible_to(user).select_related("municipality"), pk=pk
    )


def get_rw_organisation_for_user(user, pk) -> Organisation:
    organisation = get_organisation_for_user(user, pk)
    if not access.can_edit_contact(user, organisation):
        raise PermissionDenied
    return organisation


def require_office(user):
    if not access.can_manage_stakeholders(user):
        raise PermissionDenied


__all__ = ["Http404"]
