"""Bodies (Gremien), their meetings with agenda, papers and minutes, the decisions taken and
the action items that follow them up (docs/sitzungen.md)."""

from .bodies import Body, BodyGuest, Membership
from .meetings import AgendaItem, Attendance, Meeting, MinutesCorrection, Paper
from .outcomes import ActionItem, Decision, DecisionCounter, Invitation
from .series import MeetingSeries, SeriesOccurrence

__all__ = [
    "ActionItem",
    "AgendaItem",
    "Attendance",
    "Body",
    "BodyGuest",
    "Decision",
    "DecisionCounter",
    "Invitation",
    "Meeting",
    "MeetingSeries",
    "Membership",
    "MinutesCorrection",
    "Paper",
    "SeriesOccurrence",
]
