"""Writes of milestones: ticking one off."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from soest_office.access import require

from ..models import Milestone
from ..rules import COMPLETE, MILESTONE


def milestone_set_done(*, actor, milestone: Milestone, done: bool, today=None) -> Milestone:
    """Tick (or untick) a milestone. Partners may do so for their own projects."""
    require(MILESTONE.allows(actor, milestone, COMPLETE))
    with transaction.atomic():
        milestone.done_date = (today or timezone.localdate()) if done else None
        milestone.save(update_fields=["done_date"])
    return milestone
