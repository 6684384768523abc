"""Who may see the kernel's own records: the security log, accessibility feedback (the
office) and files made in the background (the person who asked for them)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import access
from .access import EVERYTHING, VIEW, Role, Rule, where
from .plugins import RULES

OFFICE, PARTNER, STEERING = Role.OFFICE, Role.PARTNER, Role.STEERING


def _requested_by_user(user) -> Q | None:
    user_id = access.user_id_of(user)
    return None if user_id is None else Q(requested_by_id=user_id)


OWN_REQUESTS = where(_("selbst angeforderte"), _requested_by_user)

AUDIT_EVENT = RULES.register(
    Rule(
        model="soest_office.AuditEvent",
        label=_("Sicherheitsprotokoll"),
        position=90,
        grants={VIEW: {OFFICE: EVERYTHING}},
    )
)

ACCESSIBILITY_FEEDBACK = RULES.register(
    Rule(
        model="soest_office.AccessibilityFeedback",
        label=_("Rückmeldungen zur Barrierefreiheit"),
        position=91,
        grants={VIEW: {OFFICE: EVERYTHING}},
    )
)

EXPORT_JOB = RULES.register(
    Rule(
        model="soest_office.ExportJob",
        label=_("Exporte im Hintergrund"),
        position=92,
        grants={VIEW: {OFFICE: OWN_REQUESTS, PARTNER: OWN_REQUESTS, STEERING: OWN_REQUESTS}},
        note=_(
            "Zusätzlich prüft jeder Export beim Start, Erstellen und Herunterladen seine Regel."
        ),
    )
)
