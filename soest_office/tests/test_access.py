import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from soest_office import access
from soest_office.access import Role
from soest_office.models import User
from soest_office.plugins import RULES
from soest_office.tests.factories import UserFactory, municipality


def test_role_of_each_fixture_user(office, partner_soest, steering, no_role_user):
    assert access.role_of(office) is Role.OFFICE
    assert access.role_of(partner_soest) is Role.PARTNER
    assert access.role_of(steering) is Role.STEERING
    assert access.role_of(no_role_user) is None


def test_anonymous_and_inactive_users_have_no_role(db, office):
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


# --- The rule machinery, on the kernel's own model (users carry a municipality too) ----------

OWN = access.where("der eigenen Kommune", lambda user: _own(user))
SEE = access.Verb("view", "sehen")


def _own(user):
    municipality_id = access.municipality_id_of(user)
    return None if municipality_id is None else Q(municipality_id=municipality_id)


@pytest.fixture
def user_rule():
    rule = access.Rule(
        model="soest_office.User",
        label="Konten",
        grants={
            access.VIEW: {Role.OFFICE: access.EVERYTHING, Role.PARTNER: OWN},
            access.CHANGE: {Role.OFFICE: access.EVERYTHING},
        },
    )
    with RULES.replaced(rule):
        yield rule


def test_scope_object_check_and_annotation_agree_for_every_user(
    user_rule, office, partner_soest, partner_lippstadt, steering, no_role_user
):
    homeless = UserFactory(role=Role.PARTNER)
    inactive = UserFactory(role=Role.OFFICE, is_active=False)
    everyone = [office, partner_soest, partner_lippstadt, steering, no_role_user, homeless]
    for user in [*everyone, inactive, AnonymousUser()]:
        for verb in (access.VIEW, access.CHANGE):
            scoped = set(user_rule.scope(User.objects.all(), user, verb))
            annotated = {
                u.pk: u.may_change if verb is access.CHANGE else u.may_view
                for u in user_rule.annotate(User.objects.all(), user, access.VIEW, access.CHANGE)
            }
            for target in everyone:
                in_scope = target in scoped
                assert user_rule.allows(user, User.objects.get(pk=target.pk), verb) is in_scope
                assert annotated[target.pk] is in_scope
    assert set(user_rule.scope(User.objects.all(), partner_soest)) == {partner_soest}
    assert set(User.objects.filter(pk__in=[u.pk for u in everyone])) <= set(
        user_rule.scope(User.objects.all(), office)
    )


def test_partner_without_municipality_owns_nothing(user_rule, db):
    homeless = UserFactory(role=Role.PARTNER)
    assert access.has_role(homeless)
    assert access.municipality_id_of(homeless) is None
    # Users without a municipality exist; a rule built from "the own municipality" must not
    # match them for a partner who has none.
    UserFactory(role=Role.STEERING)
    assert list(user_rule.scope(User.objects.all(), homeless)) == []
    assert user_rule.permits(homeless) is False


def test_get_object_answers_404_outside_and_403_inside_the_view_scope(
    user_rule, partner_soest, partner_lippstadt
):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    assert user_rule.get_object(partner_soest, pk=partner_soest.pk) == partner_soest
    with pytest.raises(PermissionDenied):
        user_rule.get_object(partner_soest, verb=access.CHANGE, pk=partner_soest.pk)
    with pytest.raises(Http404):
        user_rule.get_object(partner_soest, pk=partner_lippstadt.pk)
    with pytest.raises(Http404):
        user_rule.get_object(partner_soest, verb=access.CHANGE, pk=partner_lippstadt.pk)


def test_the_role_table_cell_names_each_verb_and_scope(user_rule):
    assert user_rule.describe(Role.OFFICE) == "sehen: alle; ändern: alle"
    assert user_rule.describe(Role.PARTNER) == "sehen: der eigenen Kommune"
    assert user_rule.describe(access.PUBLIC) == "–"


def test_a_rule_for_an_unknown_grantee_is_refused():
    with pytest.raises(ImproperlyConfigured):
        access.Rule(
            model="soest_office.User", label="x", grants={SEE: {"Gäste": access.EVERYTHING}}
        )


def test_a_model_without_rule_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="No access rule"):
        access.rule_for("soest_office.Municipality")


def test_two_apps_cannot_register_one_key(user_rule):
    other = access.Rule(model="soest_office.User", label="noch einmal", grants={})
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        RULES.register(other)


def test_roles_of_many_users_come_from_one_query(
    office, partner_soest, steering, no_role_user, django_assert_num_queries
):
    users = [User.objects.get(pk=u.pk) for u in (office, partner_soest, steering, no_role_user)]
    with django_assert_num_queries(1):
        access.prime_roles(users)
        roles = [access.role_of(user) for user in users]
    assert roles == [Role.OFFICE, Role.PARTNER, Role.STEERING, None]
