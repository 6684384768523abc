import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.test import Client

from soest_office.access import Role
from soest_office.audit import audit_record
from soest_office.models import AuditEvent, Municipality
from soest_office.tests.factories import TEST_PASSWORD, UserFactory

Kind = AuditEvent.Kind


def kinds():
    return list(AuditEvent.objects.order_by("pk").values_list("kind", flat=True))


def login(client, username, password, ip="10.1.1.1"):
    return client.post(
        "/konto/anmelden/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


@pytest.fixture
def clean_log(db):
    """Fixtures put users into groups, which is logged as a role change; start empty."""
    AuditEvent.objects.all().delete()


def test_login_logout_and_failed_login_are_recorded_with_ip(client, office, clean_log):
    login(client, "buero", "falsch", ip="10.1.1.9")
    login(client, "buero", TEST_PASSWORD, ip="10.1.1.9")
    client.post("/konto/abmelden/", REMOTE_ADDR="10.1.1.9")
    assert kinds() == [Kind.LOGIN_FAILED, Kind.LOGIN, Kind.LOGOUT]
    failed, ok, _out = AuditEvent.objects.order_by("pk")
    assert failed.actor is None
    assert failed.target == "buero"
    assert failed.ip_address == "10.1.1.9"
    assert "falsch" not in str(failed.details)
    assert ok.actor == office
    assert ok.actor_name == "buero"


def test_lockout_is_recorded(client, office, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "buero", "falsch")
    assert Kind.LOCKED_OUT in kinds()


def test_password_change_and_reset_are_recorded(client_for, office):
    client = client_for(office)
    client.post(
        "/konto/passwort/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Ganz-neues-Passwort-1",
            "new_password2": "Ganz-neues-Passwort-1",
        },
    )
    event = AuditEvent.objects.get(kind=Kind.PASSWORD_CHANGE)
    assert event.actor == office
    assert event.target == "buero"


def test_password_reset_through_the_link_is_recorded_as_reset(client, office, clean_log):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(office.pk))
    token = default_token_generator.make_token(office)
    form_url = client.get(f"/konto/passwort-neu/{uid}/{token}/", follow=True).redirect_chain[-1][0]
    client.post(
        form_url, {"new_password1": "Neu-und-lang-2026", "new_password2": "Neu-und-lang-2026"}
    )
    assert kinds() == [Kind.PASSWORD_RESET]


def test_role_and_municipality_changes_are_recorded_with_the_acting_admin(client, db):
    admin = UserFactory(username="chefin", is_staff=True, is_superuser=True)
    user = UserFactory(username="neu", role=Role.STEERING)
    client.force_login(admin)
    AuditEvent.objects.all().delete()
    response = client.post(
        f"/admin/soest_office/user/{user.pk}/change/",
        {
            "username": "neu",
            "email": "neu@example.org",
            "first_name": "Erika",
            "last_name": "Neu",
            "is_active": "on",
            "groups": [Group.objects.get(name=Role.PARTNER).pk],
            "municipality": Municipality.objects.get(slug="lippstadt").pk,
            "date_joined_0": "01.01.2026",
            "date_joined_1": "10:00:00",
            "initial-date_joined_0": "01.01.2026",
            "initial-date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    events = {e.kind: e for e in AuditEvent.objects.all()}
    assert set(events) == {Kind.ROLE_CHANGE, Kind.MUNICIPALITY_CHANGE}
    municipality_change = events[Kind.MUNICIPALITY_CHANGE]
    assert municipality_change.actor == admin
    assert municipality_change.target == "neu"
    assert municipality_change.details == {"vorher": "–", "nachher": "Stadt Lippstadt"}
    role_changes = AuditEvent.objects.filter(kind=Kind.ROLE_CHANGE)
    assert sorted(str(e.details) for e in role_changes) == [
        "{'entfernt': ['Lenkungskreis']}",
        "{'hinzugefügt': ['Kommune']}",
    ]


def test_group_added_from_the_group_side_is_recorded(db):
    user = UserFactory(username="x1")
    Group.objects.get(name=Role.OFFICE).user_set.add(user)
    event = AuditEvent.objects.get(kind=Kind.ROLE_CHANGE)
    assert event.target == "x1"
    assert event.details == {"hinzugefügt": ["Projektbüro"]}


def test_audit_record_strips_secrets_from_details(rf, office):
    request = rf.post("/", REMOTE_ADDR="192.0.2.5")
    request.user = office
    event = audit_record(
        kind=Kind.EXPORT,
        request=request,
        target="Kontakte (CSV)",
        details={"rows": 12, "password": "geheim", "filter": {"api_token": "x", "ort": "Soest"}},
    )
    assert event.actor == office
    assert event.ip_address == "192.0.2.5"
    assert event.details == {
        "rows": 12,
        "password": "[entfernt]",
        "filter": {"api_token": "[entfernt]", "ort": "Soest"},
    }


# --- The office's page -----------------------------------------------------------------------


def make_events(n, **kwargs):
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(kind=Kind.LOGIN, actor_name=f"nutzer{i}", target="x", **kwargs)
            for i in range(n)
        ]
    )


def test_office_reads_the_log_newest_first(client_for, office):
    make_events(3)
    audit_record(kind=Kind.ERASURE, user=office, target="Kontakt Max Mustermann")
    html = client_for(office).get("/protokoll/").content.decode()
    assert html.index("Löschung (Art. 17 DSGVO)") < html.index("nutzer0")
    assert "Kontakt Max Mustermann" in html


@pytest.mark.parametrize("role", ["partner_soest", "steering", "no_role_user"])
def test_others_get_404_on_the_log(role, request, db, client_for):
    assert client_for(request.getfixturevalue(role)).get("/protokoll/").status_code == 404


def test_log_filters_by_kind_person_and_date(client_for, office):
    make_events(2)
    audit_record(kind=Kind.EXPORT, user=office, target="Projektliste")
    client = client_for(office)
    html = client.get("/protokoll/", {"kind": "export"}).content.decode()
    assert "Projektliste" in html
    assert "nutzer1" not in html
    html = client.get("/protokoll/", {"person": "nutzer1"}).content.decode()
    assert "nutzer1" in html
    assert "nutzer0" not in html
    html = client.get("/protokoll/", {"since": "2999-01-01"}).content.decode()
    assert "Keine Einträge" in html


def test_bad_filter_input_is_a_german_error_not_a_500(client_for, office):
    response = client_for(office).get("/protokoll/", {"kind": "unsinn", "since": "gestern"})
    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen" in response.content.decode()


def test_log_paginates_50_per_page(client_for, office):
    make_events(60)
    client = client_for(office)
    first = client.get("/protokoll/").content.decode()
    assert "Seite 1 von 2" in first
    assert client.get("/protokoll/", {"page": 2}).status_code == 200
    assert client.get("/protokoll/", {"page": 9}).status_code == 404


@pytest.mark.parametrize("size", [3, 40])
def test_log_query_count_does_not_grow(client_for, office, django_assert_num_queries, size):
    client = client_for(office)
    client.get("/")  # session warm-up
    make_events(size)
    # the user with its role (one query), count, page, the sliding session's save (3 with
    # savepoint), and the session read unless the cached_db engine (production
    # configuration) serves it
    with django_assert_num_queries(6 + session_read_queries()):
        assert client.get("/protokoll/").status_code == 200


def test_log_is_read_only_for_get_and_head(client_for, office):
    assert client_for(office).post("/protokoll/").status_code == 405


def test_anonymous_are_sent_to_the_login(db):
    response = Client().get("/protokoll/")
    assert response["Location"] == "/konto/anmelden/?next=/protokoll/"


def session_read_queries() -> int:
    return 0 if django_settings.SESSION_ENGINE.endswith("cached_db") else 1
