"""Decisions (numbered per body and year) and action items."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects import services as project_services
from projects.models import Project
from soest_office import access
from soest_office.access import CHANGE, CREATE
from soest_office.audit import audit_record
from soest_office.models import AuditEvent
from soest_office.plugins import reference_token

from ..models import ActionItem, Decision, DecisionCounter
from ..rules import ACTION_ITEM, DECISION, MEETING, UPDATE_STATUS

# The key of decisions in the kernel's references (meetings/references.py resolves it).
DECISION_REFERENCE = "meetings.decision"


def next_decision_number(body, year: int) -> int:
    """Draw the next number of `body` in `year`. Must run inside a transaction: the counter
    row stays locked until it commits, so a concurrent writer waits and draws the next."""
    counter, _created = DecisionCounter.objects.select_for_update(of=("self",)).get_or_create(
        body=body, year=year
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _visible_projects(user, projects) -> list:
    projects = list(projects or [])
    if not projects:
        return []
    visible = set(
        Project.objects.visible_to(user)
        .filter(pk__in=[p.pk for p in projects])
        .values_list("pk", flat=True)
    )
    hidden = [p for p in projects if p.pk not in visible]
    if hidden:
        raise ValidationError(_("Das Projekt „%(p)s“ ist nicht zugänglich.") % {"p": hidden[0]})
    return projects


@transaction.atomic
def decision_create(
    user,
    meeting,
    *,
    text,
    vote,
    agenda_item=None,
    votes=(0, 0, 0),
    projects=(),
    effect_project=None,
    effect_status="",
):
    """Record a decision with the next number of its body and year. Atomic: with an effect
    (`effect_project` gets `effect_status`, e.g. cancelled for "Projekt wird gestoppt") the
    project's status changes through the projects app's service in the same transaction,
    or nothing is recorded at all."""
    access.require(MEETING.allows(user, meeting, CHANGE) and DECISION.permits(user, CREATE))
    if meeting.minutes_frozen:
        raise ValidationError(_("Das Protokoll ist genehmigt; Beschlüsse sind eingefroren."))
    if not text.strip():
        raise ValidationError(_("Bitte den Beschlusstext eingeben."))
    if (effect_project is None) != (not effect_status):
        raise ValidationError(
            _("Für eine Wirkung auf ein Projekt bitte das Projekt und den neuen Status wählen.")
        )
    projects = _visible_projects(user, projects)
    if effect_project is not None:
        _visible_projects(user, [effect_project])
        if effect_project.pk not in {p.pk for p in projects}:
            projects.append(effect_project)
    year = timezone.localtime(meeting.starts_at).year
    try:
        with transaction.atomic():
            decision = Decision.objects.create(
                body=meeting.body,
                meeting=meeting,
                agenda_item=agenda_item,
                year=year,
                number=next_decision_number(meeting.body, year),
                text=text.strip(),
                vote=vote,
                votes_for=votes[0],
                votes_against=votes[1],
                votes_abstain=votes[2],
            )
    except IntegrityError as error:  # a number set by hand elsewhere: refuse, change nothing
        raise ValidationError(_("Diese Beschlussnummer ist bereits vergeben.")) from error
    decision.projects.set(projects)
    audit_record(
        kind=AuditEvent.Kind.MEETING_DECISION,
        user=user,
        target=decision.reference,
        area="meetings",
    )
    if effect_project is not None:
        decision = decision_apply_effect(
            user, decision, project=effect_project, status=effect_status
        )
    return decision


@transaction.atomic
def decision_apply_effect(user, decision, *, project, status):
    """Change `project`'s status as the decision says, through projects' own service (which
    asks the projects rules: the office only), with the decision as the cause in the
    project's history, and audit it. Applied once: a second call is refused."""
    access.require(DECISION.permits(user, CREATE))
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.effect_applied_at is not None:
        raise ValidationError(_("Die Wirkung dieses Beschlusses ist bereits umgesetzt."))
    project, previous = project_services.project_set_status(
        actor=user,
        project_id=project.pk,
        status=status,
        source=reference_token(DECISION_REFERENCE, decision.pk),
    )
    decision.effect_project = project
    decision.effect_status = status
    decision.effect_previous_status = previous
    decision.effect_applied_at = timezone.now()
    decision.save(
        update_fields=[
            "effect_project",
            "effect_status",
            "effect_previous_status",
            "effect_applied_at",
        ]
    )
    audit_record(
        kind=AuditEvent.Kind.MEETING_DECISION_EFFECT,
        user=user,
        target=decision.reference,
        area="meetings",
        details={"projekt": project.slug, "vorher": previous, "nachher": status},
    )
    return decision


@transaction.atomic
def action_item_create(
    user,
    meeting,
    *,
    title,
    due,
    owner_user=None,
    owner_municipality=None,
    project=None,
    decision=None,
    description="",
):
    access.require(MEETING.allows(user, meeting, CHANGE) and ACTION_ITEM.permits(user, CREATE))
    if (owner_user is None) == (owner_municipality is None):
        raise ValidationError(_("Eine Aufgabe gehört entweder einer Person oder einer Kommune."))
    if project is not None:
        _visible_projects(user, [project])
    return ActionItem.objects.create(
        body=meeting.body,
        meeting=meeting,
        decision=decision,
        title=title,
        description=description,
        owner_user=owner_user,
        owner_municipality=owner_municipality,
        due=due,
        project=project,
    )


@transaction.atomic
def action_item_set_status(user, item, status):
    """The owner (person or partner of the owning municipality) or the office sets it."""
    ACTION_ITEM.get_object(user, None, UPDATE_STATUS, pk=item.pk)
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if status not in ActionItem.Status.values:
        raise ValidationError(_("Unbekannter Status."))
    item.status = status
    item.save(update_fields=["status", "updated_at"])
    audit_record(
        kind=AuditEvent.Kind.MEETING_ACTION_STATUS,
        user=user,
        target=str(item.pk),
        area="meetings",
        details={"status": status},
    )
    return item
