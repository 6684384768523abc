"""Writes of milestones: ticking one off."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from soest_office import access

from ..models import Milestone


def milestone_set_done(*, actor, milestone: Milestone, done: bool, today=None) -> Milestone:
    """Tick (or untick) a milestone. Partners may do so for their own projects."""
    if not access.can_edit_project_content(actor, milestone.project):
        raise PermissionDenied
    with transaction.atomic():
        milestone.done_date = (today or timezone.localdate()) if done else None
        milestone.save(update_fields=["done_date"])
    return milestone
