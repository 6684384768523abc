"""Fixtures of the search tests: projects with realistic German texts."""

import pytest

from projects.models import FieldOfAction, Project
from soest_office.models import Municipality


@pytest.fixture
def make_project(db, index_now):
    """`make_project(title, lead="soest", ...)` creates a project and indexes it, as the
    task queued after the commit does."""
    counter = {"n": 0}

    def make(title, *, lead="soest", participants=(), field="e-government", **extra):
        counter["n"] += 1
        project = Project.objects.create(
            title=title,
            slug=extra.pop("slug", f"projekt-{counter['n']}"),
            field_of_action=FieldOfAction.objects.get(slug=field),
            lead_municipality=Municipality.objects.get(slug=lead),
            **extra,
        )
        if participants:
            project.participating_municipalities.set(
                Municipality.objects.filter(slug__in=participants)
            )
        index_now()
        return project

    return make
