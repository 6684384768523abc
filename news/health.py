"""The overdue check of scheduled publishing, for /healthz (registered with the kernel) and
the office's warning."""

from django.utils.translation import gettext as _

from soest_office.health import HealthCheck
from soest_office.plugins import HEALTH_CHECKS


def check_scheduled_publishing():
    """Fails when a scheduled release is overdue: beat (or the worker) is not running."""
    from .models import PressRelease

    overdue = PressRelease.objects.overdue().count()
    if overdue:
        return False, _("%(n)d geplante Pressemitteilung(en) überfällig") % {"n": overdue}
    return True, _("keine überfällige Veröffentlichung")


HEALTH_CHECKS.register(HealthCheck(key="press_schedule", check=check_scheduled_publishing))
