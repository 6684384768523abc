from django.contrib.auth.models import Group

from projects.models import FieldOfAction
from soest_office.access import Role
from soest_office.models import Municipality


def test_migrations_create_the_four_municipalities(db):
    assert set(Municipality.objects.values_list("slug", flat=True)) >= {
        "soest",
        "lippstadt",
        "iserlohn",
        "kreis-soest",
    }


def test_migrations_create_the_six_fields_of_action_in_order(db):
    slugs = list(FieldOfAction.objects.values_list("slug", flat=True))
    assert slugs[:6] == [
        "e-government",
        "bildung",
        "infrastruktur",
        "innenstadt",
        "mobilitaet",
        "gesundheit",
    ]


def test_role_groups_exist_with_admin_permissions(db):
    office = Group.objects.get(name=Role.OFFICE)
    partner = Group.objects.get(name=Role.PARTNER)
    steering = Group.objects.get(name=Role.STEERING)
    office_perms = set(office.permissions.values_list("codename", flat=True))
    assert {"add_fieldofaction", "change_fieldofaction", "view_municipality"} <= office_perms
    assert "view_fieldofaction" in set(partner.permissions.values_list("codename", flat=True))
    steering_perms = set(steering.permissions.values_list("codename", flat=True))
    assert "view_fieldofaction" in steering_perms
    assert not any(c.startswith(("add_", "change_", "delete_")) for c in steering_perms)
