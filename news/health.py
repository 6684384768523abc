"""The overdue check of scheduled publishing, for /healthz and the office's warning."""

from django.utils.translation import gettext as _


def check_scheduled_publishing():
    """Fails when a scheduled release is overdue: beat (or the worker) is not running."""
    from .models import PressRelease

    overdue = PressRelease.objects.overdue().count()
    if overdue:
        return False, _("%(n)d geplante Pressemitteilung(en) überfällig") % {"n": overdue}
    return True, _("keine überfällige Veröffentlichung")
