import pytest

from soest_office import access
from soest_office.access import Role
from soest_office.tests.factories import UserFactory, municipality


def test_role_of_each_fixture_user(office, partner_soest, steering, no_role_user):
    assert access.role_of(office) is Role.OFFICE
    assert access.role_of(partner_soest) is Role.PARTNER
    assert access.role_of(steering) is Role.STEERING
    assert access.role_of(no_role_user) is None


def test_anonymous_and_inactive_users_have_no_role(db, office):
    from django.contrib.auth.models import AnonymousUser

    assert access.role_of(AnonymousUser()) is None
    office.is_active = False
    assert access.role_of(office) is None


def test_superuser_counts_as_office(db):
    admin = UserFactory(is_superuser=True)
    assert access.role_of(admin) is Role.OFFICE


def test_widest_role_wins_for_users_in_several_groups(db):
    user = UserFactory(role=Role.STEERING)
    user.groups.add(*UserFactory(role=Role.OFFICE).groups.all())
    assert access.role_of(user) is Role.OFFICE


def test_role_is_looked_up_once_per_user_object(office, django_assert_num_queries):
    with django_assert_num_queries(1):
        access.role_of(office)
        access.role_of(office)


def test_partner_municipality_is_the_users(partner_soest, office):
    assert access.municipality_id_of(partner_soest) == municipality("soest").pk
    # Only partners act for a municipality, even if an office user has one set.
    office.municipality = municipality("iserlohn")
    assert access.municipality_id_of(office) is None


# The capability columns of DESIGN.md's role table, role by role.
CAPABILITIES = {
    "can_read_intranet": {"office": True, "partner": True, "steering": True, "none": False},
    "can_manage_projects": {"office": True, "partner": False, "steering": False, "none": False},
    "can_access_stakeholders": {
        "office": True,
        "partner": True,
        "steering": False,
        "none": False,
    },
    "can_manage_stakeholders": {
        "office": True,
        "partner": False,
        "steering": False,
        "none": False,
    },
    "can_write_press": {"office": True, "partner": True, "steering": False, "none": False},
    "can_publish_press": {"office": True, "partner": False, "steering": False, "none": False},
}


@pytest.mark.parametrize("capability", sorted(CAPABILITIES))
def test_capabilities_follow_the_role_table(
    capability, office, partner_soest, steering, no_role_user
):
    from django.contrib.auth.models import AnonymousUser

    users = {
        "office": office,
        "partner": partner_soest,
        "steering": steering,
        "none": no_role_user,
    }
    check = getattr(access, capability)
    for who, expected in CAPABILITIES[capability].items():
        assert check(users[who]) is expected, f"{capability} for {who}"
    assert check(AnonymousUser()) is False


def test_partner_without_municipality_owns_nothing(db):
    homeless = UserFactory(role=Role.PARTNER)
    assert access.can_read_intranet(homeless)
    assert access.municipality_id_of(homeless) is None
    from soest_office.models import User

    assert list(access.scope_contacts(User.objects.all(), homeless)) == []
    assert list(User.objects.filter(access.own_projects_q(homeless))) == []


def test_contact_scope_limits_partner_to_own_municipality(
    office, partner_soest, partner_lippstadt, steering
):
    from soest_office.models import User

    # Users carry a municipality too, which lets the contact scope be checked before the
    # stakeholders app exists: the scope filters any model by its municipality field.
    qs = User.objects.all()
    assert set(access.scope_contacts(qs, office)) == set(qs)
    assert set(access.scope_contacts(qs, partner_soest)) == {partner_soest}
    assert set(access.scope_contacts(qs, partner_lippstadt)) == {partner_lippstadt}
    assert list(access.scope_contacts(qs, steering)) == []
