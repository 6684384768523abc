"""Decisions as the cause of a change elsewhere (found by the kernel, see
soest_office.plugins.REFERENCES): the project history links a status change to the decision
that made it, for the users who may see that decision under meetings/rules.py. A
confidential decision is left out for everyone else: neither its number nor its text."""

from django.utils.translation import gettext as _

from soest_office.access import VIEW
from soest_office.plugins import REFERENCES, Reference

from .models import Decision
from .rules import DECISION
from .services.decisions import DECISION_REFERENCE


def decision_links(user, pks) -> dict[int, tuple[str, str]]:
    decisions = DECISION.scope(Decision.objects.filter(pk__in=pks), user, VIEW).select_related(
        "body", "meeting"
    )
    return {
        d.pk: (_("Beschluss %(ref)s") % {"ref": d.reference}, d.get_absolute_url())
        for d in decisions
    }


REFERENCES.register(Reference(key=DECISION_REFERENCE, links=decision_links))
