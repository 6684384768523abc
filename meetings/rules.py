"""Who may see and change bodies, meetings, minutes, decisions and action items.

- The office manages everything.
- Every role holder sees the bodies and the meetings that are not confidential; a
  confidential meeting (and a confidential paper) is for the members of its body only.
- Members of a body answer the invitations of its meetings (`RESPOND`).
- Action items: the owner (a person, or a partner of the owning municipality) updates their
  status (`UPDATE_STATUS`).
- Nothing is public (OParl, role PUBLIC) unless the meeting is marked public.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from soest_office import access
from soest_office.access import CHANGE, CREATE, EVERYTHING, PUBLIC, VIEW, Role, Rule, Verb, where
from soest_office.plugins import RULES

OFFICE, PARTNER, STEERING = Role.OFFICE, Role.PARTNER, Role.STEERING
INTRANET = {OFFICE: EVERYTHING, PARTNER: EVERYTHING, STEERING: EVERYTHING}
OFFICE_ONLY = {OFFICE: EVERYTHING}

RESPOND = Verb("respond", _("Einladungen beantworten"))
UPDATE_STATUS = Verb("update_status", _("Status pflegen"))


def member_body_ids(user):
    """The ids of the bodies the user is a member of (a subquery), or None."""
    from .models import Membership

    user_id = access.user_id_of(user)
    if user_id is None:
        return None
    return Membership.objects.filter(user_id=user_id).values("body_id")


def _prefix(path: str) -> str:
    return f"{path}__" if path else ""


def meeting_visible(user, path: str = "") -> Q | None:
    """Meetings (at `path`) a role holder other than the office sees: those of the own
    bodies and every meeting that is not confidential."""
    ids = member_body_ids(user)
    if ids is None:
        return None
    p = _prefix(path)
    return Q(**{f"{p}body_id__in": ids}) | Q(**{f"{p}confidential": False})


def meeting_public(path: str = "") -> Q:
    p = _prefix(path)
    return Q(**{f"{p}is_public": True, f"{p}confidential": False})


def _meetings(path=""):
    return where(
        _("nicht vertrauliche und die des eigenen Gremiums"),
        lambda user: meeting_visible(user, path),
    )


def _public(path=""):
    return where(_("öffentliche Sitzungen"), lambda user: meeting_public(path))


def _member_of(path=""):
    def build(user):
        ids = member_body_ids(user)
        return None if ids is None else Q(**{f"{_prefix(path)}body_id__in": ids})

    return where(_("als Mitglied des Gremiums"), build)


def _member_grants(path=""):
    scope = _member_of(path)
    return {OFFICE: EVERYTHING, PARTNER: scope, STEERING: scope}


def _read(path=""):
    scope = _meetings(path)
    return {OFFICE: EVERYTHING, PARTNER: scope, STEERING: scope, PUBLIC: _public(path)}


BODY = RULES.register(
    Rule(
        model="meetings.Body",
        label=_("Gremien"),
        position=60,
        grants={VIEW: INTRANET, CREATE: OFFICE_ONLY, CHANGE: OFFICE_ONLY},
    )
)

MEMBERSHIP = RULES.register(
    Rule(
        model="meetings.Membership",
        label=_("Mitgliedschaften in Gremien"),
        position=61,
        grants={VIEW: INTRANET, CHANGE: OFFICE_ONLY},
    )
)

GUEST = RULES.register(
    Rule(
        model="meetings.BodyGuest",
        label=_("Gäste von Gremien"),
        position=62,
        grants={VIEW: OFFICE_ONLY, CHANGE: OFFICE_ONLY},
        note=_("Gäste sind Kontakte; deren Daten sieht nur das Projektbüro."),
    )
)

MEETING = RULES.register(
    Rule(
        model="meetings.Meeting",
        label=_("Sitzungen"),
        position=63,
        grants={
            VIEW: _read(),
            RESPOND: _member_grants(),
            CREATE: OFFICE_ONLY,
            CHANGE: OFFICE_ONLY,
        },
        note=_(
            "Vertrauliche Sitzungen sehen nur das Projektbüro und die Mitglieder des "
            "Gremiums; öffentlich (auch über OParl) ist nur, was als öffentlich markiert ist."
        ),
    )
)

AGENDA_ITEM = RULES.register(
    Rule(
        model="meetings.AgendaItem",
        label=_("Tagesordnungspunkte und Protokoll"),
        position=64,
        grants={VIEW: _read("meeting"), CHANGE: OFFICE_ONLY},
    )
)

MINUTES_CORRECTION = RULES.register(
    Rule(
        model="meetings.MinutesCorrection",
        label=_("Protokollberichtigungen"),
        position=65,
        grants={VIEW: _read("agenda_item__meeting"), CREATE: OFFICE_ONLY},
    )
)


def _papers(user):
    ids = member_body_ids(user)
    if ids is None:
        return None
    return Q(agenda_item__meeting__body_id__in=ids) | Q(
        agenda_item__meeting__confidential=False, confidential=False
    )


PAPER = RULES.register(
    Rule(
        model="meetings.Paper",
        label=_("Vorlagen"),
        position=66,
        grants={
            VIEW: {
                OFFICE: EVERYTHING,
                PARTNER: where(_("nicht vertrauliche und die des eigenen Gremiums"), _papers),
                STEERING: where(_("nicht vertrauliche und die des eigenen Gremiums"), _papers),
                PUBLIC: where(
                    _("nicht vertrauliche öffentlicher Sitzungen"),
                    lambda user: meeting_public("agenda_item__meeting") & Q(confidential=False),
                ),
            },
            CHANGE: OFFICE_ONLY,
        },
    )
)

ATTENDANCE = RULES.register(
    Rule(
        model="meetings.Attendance",
        label=_("Teilnahme"),
        position=67,
        grants={
            VIEW: {k: v for k, v in _read("meeting").items() if k is not PUBLIC},
            CHANGE: OFFICE_ONLY,
        },
    )
)

DECISION = RULES.register(
    Rule(
        model="meetings.Decision",
        label=_("Beschlüsse"),
        position=68,
        grants={VIEW: _read("meeting"), CREATE: OFFICE_ONLY},
    )
)


def _action_items_seen(user):
    visible = meeting_visible(user, "meeting")
    if visible is None:
        return None
    q = visible | Q(meeting__isnull=True) | Q(owner_user_id=user.pk)
    municipality_id = access.municipality_id_of(user)
    if municipality_id is not None:
        q |= Q(owner_municipality_id=municipality_id)
    return q


def _own_action_items(user):
    user_id = access.user_id_of(user)
    if user_id is None:
        return None
    q = Q(owner_user_id=user_id)
    municipality_id = access.municipality_id_of(user)
    if municipality_id is not None:
        q |= Q(owner_municipality_id=municipality_id)
    return q


_SEEN = where(_("nicht vertrauliche, eigene und die des eigenen Gremiums"), _action_items_seen)
_OWN = where(_("eigene und die der eigenen Kommune"), _own_action_items)

ACTION_ITEM = RULES.register(
    Rule(
        model="meetings.ActionItem",
        label=_("Aufgaben aus Sitzungen"),
        position=69,
        grants={
            VIEW: {OFFICE: EVERYTHING, PARTNER: _SEEN, STEERING: _SEEN},
            UPDATE_STATUS: {OFFICE: EVERYTHING, PARTNER: _OWN, STEERING: _OWN},
            CREATE: OFFICE_ONLY,
            CHANGE: OFFICE_ONLY,
        },
    )
)

INVITATION = RULES.register(
    Rule(
        model="meetings.Invitation",
        label=_("Einladungen"),
        position=70,
        grants={
            VIEW: {
                OFFICE: EVERYTHING,
                PARTNER: where(_("eigene"), lambda u: Q(user_id=u.pk)),
                STEERING: where(_("eigene"), lambda u: Q(user_id=u.pk)),
            },
            CHANGE: OFFICE_ONLY,
        },
    )
)

SERIES = RULES.register(
    Rule(
        model="meetings.MeetingSeries",
        label=_("Sitzungsreihen"),
        position=71,
        grants={VIEW: INTRANET, CREATE: OFFICE_ONLY, CHANGE: OFFICE_ONLY},
    )
)

OCCURRENCE = RULES.register(
    Rule(
        model="meetings.SeriesOccurrence",
        label=_("Termine von Sitzungsreihen"),
        position=72,
        grants={VIEW: INTRANET, CHANGE: OFFICE_ONLY},
    )
)
