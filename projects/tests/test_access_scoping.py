"""The project rows of the role table, checked on real Project rows."""

import pytest

from projects.models import FieldOfAction, Project
from soest_office.models import Municipality


@pytest.fixture
def projects(db):
    def make(slug, lead, participants=(), **extra):
        project = Project.objects.create(
            title=slug,
            slug=slug,
            field_of_action=FieldOfAction.objects.get(slug="bildung"),
            lead_municipality=Municipality.objects.get(slug=lead),
            **extra,
        )
        project.participating_municipalities.set(Municipality.objects.filter(slug__in=participants))
        return project

    return {
        "soest_led": make("soest-led", "soest"),
        "soest_joins": make("soest-joins", "lippstadt", ["soest", "iserlohn"]),
        "iserlohn_only": make("iserlohn-only", "iserlohn", is_public=True),
    }


def slugs(qs):
    return sorted(qs.values_list("slug", flat=True))


def test_every_role_reads_all_projects(projects, office, partner_soest, steering):
    for user in (office, partner_soest, steering):
        assert slugs(Project.objects.visible_to(user)) == sorted(p.slug for p in projects.values())


def test_public_sees_only_public_projects(projects):
    from django.contrib.auth.models import AnonymousUser

    assert slugs(Project.objects.visible_to(AnonymousUser())) == ["iserlohn-only"]


def test_partner_edits_projects_it_leads_or_joins(projects, partner_soest, partner_lippstadt):
    assert slugs(Project.objects.editable_by(partner_soest)) == ["soest-joins", "soest-led"]
    assert slugs(Project.objects.editable_by(partner_lippstadt)) == ["soest-joins"]


def test_office_edits_all_and_steering_none(projects, office, steering):
    assert Project.objects.editable_by(office).count() == 3
    assert Project.objects.editable_by(steering).count() == 0


def test_edit_predicate_matches_the_queryset(projects, partner_soest, partner_iserlohn):
    from projects.rules import CONTRIBUTE, PROJECT

    for project in projects.values():
        for user in (partner_soest, partner_iserlohn):
            in_scope = Project.objects.editable_by(user).filter(pk=project.pk).exists()
            assert PROJECT.allows(user, project, CONTRIBUTE) is in_scope


def test_yellow_light_without_reason_is_refused_by_the_database(db):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Project.objects.create(
            title="x",
            slug="x",
            field_of_action=FieldOfAction.objects.get(slug="bildung"),
            lead_municipality=Municipality.objects.get(slug="soest"),
            traffic_light=Project.TrafficLight.YELLOW,
        )
