"""Who may see and change participation (DESIGN.md: the office moderates everything).

- The office sees every contribution (with its address) and moderates, answers, exports.
- Everybody else (the public, and partners and steering group alike) sees only accepted
  contributions of public projects whose participation is switched on: nothing unaccepted,
  no address, ever. Partners and the steering group read them on the public pages; the
  intranet pages of participation (moderation, export, summary) are the office's.
- Authors confirm, withdraw and supporters confirm through signed links: the link is the
  credential, not a role.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from projects.rules import public_project_q
from soest_office.access import CHANGE, EVERYTHING, PUBLIC, VIEW, Role, Rule, Verb, where
from soest_office.plugins import RULES

MODERATE = Verb("moderate", _("moderieren, beantworten, exportieren"))

_OPEN = where(
    _("eingeschaltete zu öffentlichen Projekten"),
    lambda user: Q(enabled=True) & public_project_q("project"),
)

PARTICIPATION = RULES.register(
    Rule(
        model="participation.Participation",
        label=_("Beteiligungen"),
        position=70,
        grants={
            VIEW: {
                Role.OFFICE: EVERYTHING,
                Role.PARTNER: _OPEN,
                Role.STEERING: _OPEN,
                PUBLIC: _OPEN,
            },
            CHANGE: {Role.OFFICE: EVERYTHING},
        },
    )
)


def published_q() -> Q:
    """Accepted contributions of public projects (what the project rule shows the public:
    marked public, not archived) with participation switched on."""
    return Q(status="accepted", participation__enabled=True) & public_project_q(
        "participation__project"
    )


_PUBLISHED = where(_("veröffentlichte"), lambda user: published_q())

CONTRIBUTION = RULES.register(
    Rule(
        model="participation.Contribution",
        label=_("Bürgerbeiträge"),
        position=71,
        grants={
            VIEW: {
                Role.OFFICE: EVERYTHING,
                Role.PARTNER: _PUBLISHED,
                Role.STEERING: _PUBLISHED,
                PUBLIC: _PUBLISHED,
            },
            MODERATE: {Role.OFFICE: EVERYTHING},
        },
        note=_(
            "Öffentlich sind nur angenommene Beiträge öffentlicher Projekte mit "
            "eingeschalteter Beteiligung, nie eine E-Mail-Adresse; Verfasserinnen und "
            "Verfasser bestätigen und ziehen zurück über den signierten Link."
        ),
    )
)
