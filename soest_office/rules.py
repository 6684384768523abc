"""Who may see the kernel's own records: the security log, accessibility feedback (the
office) and files made in the background (the person who asked for them)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import access
from .access import CHANGE, CREATE, EVERYTHING, VIEW, Role, Rule, where
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
        grants={VIEW: {OFFICE: EVERYTHING}, CHANGE: {OFFICE: EVERYTHING}},
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


# --- Accounts (soest_office.accounts, docs/konten.md) ---------------------------------------


def _invited_by_user(user) -> Q | None:
    user_id = access.user_id_of(user)
    return None if user_id is None else Q(invited_by_id=user_id)


def _partner_invitations(user) -> Q | None:
    """Partners invite colleagues of their own municipality with the partner role, and only
    while the office allows it (AccountSettings.partners_may_invite)."""
    municipality_id = access.municipality_id_of(user)
    if municipality_id is None:
        return None
    from .accounts.models import AccountSettings

    if not AccountSettings.kept().partners_may_invite:
        return None
    return Q(municipality_id=municipality_id, role=PARTNER.value)


ACCOUNT = RULES.register(
    Rule(
        model="soest_office.User",
        label=_("Konten"),
        position=93,
        grants={VIEW: {OFFICE: EVERYTHING}, CHANGE: {OFFICE: EVERYTHING}},
        note=_(
            "Das Projektbüro lädt ein, ändert Rolle und Kommune und deaktiviert; "
            "Passwörter sieht und setzt niemand außer der Person selbst."
        ),
    )
)

INVITATION = RULES.register(
    Rule(
        model="soest_office.Invitation",
        label=_("Einladungen"),
        position=94,
        grants={
            VIEW: {OFFICE: EVERYTHING, PARTNER: where(_("selbst versandte"), _invited_by_user)},
            CREATE: {
                OFFICE: EVERYTHING,
                PARTNER: where(
                    _("Rolle Kommune, eigene Kommune, wenn das Projektbüro es erlaubt"),
                    _partner_invitations,
                ),
            },
            CHANGE: {OFFICE: EVERYTHING},
        },
    )
)
