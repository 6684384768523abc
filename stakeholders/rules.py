"""Who may see and change the contacts of the office: DESIGN.md's role table, once.

The office sees and changes every organisation, contact, involvement and history entry;
partner staff those of their own municipality (an involvement when its contact or its
organisation belongs to it); a partner account without a municipality, the steering group
and everyone else none. Distribution lists, imports and the DSGVO actions (Auskunft,
erasure, merge) are the office's.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from soest_office import access
from soest_office.access import CHANGE, CREATE, EVERYTHING, VIEW, Role, Rule, Verb, where
from soest_office.plugins import RULES

OFFICE, PARTNER = Role.OFFICE, Role.PARTNER

# Auskunft, erasure, merge, legal basis in bulk: the office's duties as the controller.
PROCESS = Verb("process", _("Auskunft, Löschung, Zusammenführung, Import"))


def own_municipality(*paths: str) -> access.Scope:
    """Rows whose municipality (at any of `paths`, e.g. "contact__municipality") is the
    partner's own; no rows for a partner without a municipality."""

    def build(user):
        municipality_id = access.municipality_id_of(user)
        if municipality_id is None:
            return None
        condition = Q()
        for path in paths:
            condition |= Q(**{f"{path}_id": municipality_id})
        return condition

    return where(_("der eigenen Kommune"), build)


OWN_OR_ALL = {OFFICE: EVERYTHING, PARTNER: own_municipality("municipality")}

ORGANISATION = RULES.register(
    Rule(
        model="stakeholders.Organisation",
        label=_("Organisationen"),
        position=30,
        grants={VIEW: OWN_OR_ALL, CHANGE: OWN_OR_ALL, CREATE: OWN_OR_ALL},
    )
)

CONTACT = RULES.register(
    Rule(
        model="stakeholders.Contact",
        label=_("Kontakte"),
        position=31,
        grants={
            VIEW: OWN_OR_ALL,
            CHANGE: OWN_OR_ALL,
            CREATE: OWN_OR_ALL,
            PROCESS: {OFFICE: EVERYTHING},
        },
    )
)

INVOLVEMENT = RULES.register(
    Rule(
        model="stakeholders.Involvement",
        label=_("Beteiligungen an Projekten"),
        position=32,
        grants={
            VIEW: {
                OFFICE: EVERYTHING,
                PARTNER: own_municipality("contact__municipality", "organisation__municipality"),
            }
        },
        note=_("Anlegen darf, wer den Kontakt oder die Organisation ändern darf."),
    )
)

INTERACTION = RULES.register(
    Rule(
        model="stakeholders.Interaction",
        label=_("Kontakthistorie"),
        position=33,
        grants={VIEW: {OFFICE: EVERYTHING, PARTNER: own_municipality("contact__municipality")}},
        note=_("Einträge anlegen darf, wer den Kontakt ändern darf."),
    )
)

DISTRIBUTION_LIST = RULES.register(
    Rule(
        model="stakeholders.DistributionList",
        label=_("Verteiler"),
        position=34,
        grants={VIEW: {OFFICE: EVERYTHING}, CHANGE: {OFFICE: EVERYTHING}},
    )
)
