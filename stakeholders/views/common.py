"""Access helpers shared by the stakeholders views: every view starts from these, and they
ask the rules of stakeholders/rules.py."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from soest_office.access import CHANGE, VIEW, require

from ..models import Contact, Organisation
from ..rules import CONTACT, ORGANISATION, PROCESS


class StakeholdersMixin(LoginRequiredMixin):
    """Whoever the contact rule lets see contacts: the office and the partners of a
    municipality. The steering group, logins without a role and partner accounts without a
    municipality get 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not CONTACT.permits(request.user, VIEW):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OfficeMixin(LoginRequiredMixin):
    """Lists, import, merge and DSGVO actions: whoever may process contacts (the office)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not CONTACT.permits(request.user, PROCESS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def get_contact_for_user(user, pk, queryset=None, verb=VIEW) -> Contact:
    """404 outside the user's scope, 403 when visible but `verb` is not allowed; the user's
    rights on the contact ride along (`CONTACT.allows` asks no query). `queryset` (of
    Contact) says what to load with it."""
    if queryset is None:
        queryset = Contact.objects.select_related("organisation", "municipality")
    return CONTACT.get_object(user, CONTACT.annotate(queryset, user, CHANGE, PROCESS), verb, pk=pk)


def get_rw_contact_for_user(user, pk) -> Contact:
    """404 outside the scope, 403 when visible but not changeable."""
    return get_contact_for_user(user, pk, verb=CHANGE)


def get_organisation_for_user(user, pk, verb=VIEW) -> Organisation:
    queryset = ORGANISATION.annotate(
        Organisation.objects.select_related("municipality"), user, CHANGE
    )
    return ORGANISATION.get_object(user, queryset, verb, pk=pk)


def get_rw_organisation_for_user(user, pk) -> Organisation:
    return get_organisation_for_user(user, pk, verb=CHANGE)


def require_office(user):
    require(CONTACT.permits(user, PROCESS))
