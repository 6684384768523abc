"""Per-user settings: mail mode and the secret calendar URL; the calendar feed itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import UpdateView

from soest_office import access
from soest_office.access import VIEW

from .. import exports, services
from ..forms import UserSettingsForm
from ..models import ProjectUserSettings
from ..rules import MILESTONE, PROJECT


class UserSettingsView(LoginRequiredMixin, UpdateView):
    form_class = UserSettingsForm
    template_name = "projects/user_settings.html"

    def dispatch(self, request, *args, **kwargs):
        # The settings are those of the intranet's projects (their mails, the milestone
        # calendar): a login the project rule grants nothing (no role) gets 403.
        if request.user.is_authenticated and not PROJECT.permits(request.user, VIEW):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        return services.user_settings_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        token = self.object.calendar_token
        context["calendar_url"] = (
            self.request.build_absolute_uri(reverse("projects:calendar_feed", args=[token]))
            if token
            else ""
        )
        return context

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Ihre Einstellungen wurden gespeichert."))
        return redirect("projects:settings")


@require_POST
def calendar_token(request):
    access.require(request.user.is_authenticated and PROJECT.permits(request.user, VIEW))
    if request.POST.get("action") == "revoke":
        services.calendar_token_revoke(actor=request.user)
        messages.success(request, _("Die Kalender-Adresse wurde gesperrt."))
    else:
        services.calendar_token_renew(actor=request.user)
        messages.success(
            request,
            _("Eine neue Kalender-Adresse wurde erzeugt; eine frühere funktioniert nicht mehr."),
        )
    return redirect("projects:settings")


@require_safe
@never_cache
@login_not_required
def calendar_feed(request, token):
    """The user's milestones as iCalendar. The secret URL is the credential (calendar
    clients cannot log in); revoking or renewing it on the settings page ends access."""
    if not token:
        raise Http404
    found = ProjectUserSettings.objects.select_related("user").filter(calendar_token=token).first()
    # The feed holds the milestones the owner may see: none for an owner who lost the role
    # or was deactivated (the milestone rule grants them nothing), so no feed at all.
    if found is None or not MILESTONE.permits(found.user, VIEW):
        raise Http404
    content = exports.render_calendar(
        exports.calendar_milestones(found.user),
        name=_("Meilensteine Modellregion Soest"),
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meilensteine.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
