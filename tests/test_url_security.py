"""Every URL pattern of the project, walked: public, or login required; per-role statuses of
the foundation's pages; POST-only actions refuse GET.

New patterns are picked up automatically. A new public page must be added to
tests/url_samples.PUBLIC_URLS; a new pattern with parameters needs a sample there.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from tests.url_samples import PUBLIC_URLS, SampleWorld
from tests.urlwalk import all_routes, declared_methods

ROUTES = all_routes()
LOGIN_PATH = "/konto/anmelden/"


def _resolve(route, world=None):
    return route.url((world or SampleWorld()).kwargs_for(route))


def test_the_walk_finds_the_foundation_and_the_admin():
    keys = {route.key for route in ROUTES}
    assert {"soest_office:home", "soest_office:login", "soest_office:audit_log"} <= keys
    assert "admin:index" in keys
    assert len(ROUTES) > 30


def test_public_list_names_only_existing_patterns():
    keys = {route.key for route in ROUTES}
    assert set(PUBLIC_URLS) - keys == set()


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.key)
def test_anonymous_get_is_public_or_sent_to_the_login(route, db):
    if route.name is None:
        # The admin's catch-all (unnamed): any path below /admin/ it does not know.
        assert route.namespace == "admin", f"Muster ohne Namen: {route.route}"
        path = "/admin/gibt-es-nicht/"
    else:
        path = _resolve(route)
    response = Client().get(path)
    if route.key in PUBLIC_URLS:
        assert response.status_code in PUBLIC_URLS[route.key], (route.key, response.status_code)
        if response.status_code == 302:
            assert urlsplit(response["Location"]).path == LOGIN_PATH
        return
    assert response.status_code == 302, (
        f"{route.key} ({path}) antwortet anonym mit {response.status_code}: entweder "
        "Anmeldung verlangen oder in tests/url_samples.PUBLIC_URLS aufnehmen"
    )
    location = urlsplit(response["Location"])
    if route.namespace == "admin":
        # The admin sends to its login, which forwards to ours (tested below).
        assert location.path in ("/admin/login/", LOGIN_PATH)
    else:
        assert location.path == LOGIN_PATH
        assert parse_qs(location.query)["next"] == [path]


def test_admin_login_forwards_to_our_login_with_second_factor(client, db):
    response = client.get("/admin/login/?next=/admin/soest_office/user/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == LOGIN_PATH
    assert parse_qs(location.query)["next"] == ["/admin/soest_office/user/"]


def test_a_parameterised_pattern_without_sample_fails_clearly():
    from tests.url_samples import MissingSample
    from tests.urlwalk import Route

    route = Route(key="neu:seite", name="neu:seite", route="neu/<int:pk>/", params=("pk",))
    with pytest.raises(MissingSample, match=r"@sample\('neu:seite'\)"):
        SampleWorld().kwargs_for(route)


# --- Per role: the foundation's pages (DESIGN.md role table) ---------------------------------

ROLES = ["office", "partner_soest", "steering", "no_role_user"]
ALL_200 = dict.fromkeys(ROLES, 200)
OFFICE_ONLY = {"office": 200, "partner_soest": 404, "steering": 404, "no_role_user": 404}

# GET status per logged-in role for every pattern of the soest_office namespace.
ROLE_STATUS = {
    "soest_office:home": ALL_200,
    "soest_office:healthz": ALL_200,
    # A logged-in user at the login page is sent home.
    "soest_office:login": dict.fromkeys(ROLES, 302),
    "soest_office:logout": dict.fromkeys(ROLES, 405),
    "soest_office:password_change": ALL_200,
    "soest_office:password_change_done": ALL_200,
    "soest_office:password_reset": ALL_200,
    "soest_office:password_reset_done": ALL_200,
    "soest_office:password_reset_confirm": ALL_200,
    "soest_office:password_reset_complete": ALL_200,
    "soest_office:impressum": ALL_200,
    "soest_office:datenschutz": ALL_200,
    "soest_office:barrierefreiheit": ALL_200,
    "soest_office:feedback": ALL_200,
    "soest_office:feedback_thanks": ALL_200,
    "soest_office:feedback_list": OFFICE_ONLY,
    "soest_office:leichte_sprache": ALL_200,
    "soest_office:audit_log": OFFICE_ONLY,
    "soest_office:two_factor": OFFICE_ONLY,
    "soest_office:otp_verify": dict.fromkeys(ROLES, 302),
    "soest_office:admin_login": dict.fromkeys(ROLES, 302),
    # Search covers what each role may see; a login without a role may see nothing.
    "soest_office:search": {**ALL_200, "no_role_user": 403},
    "soest_office:search_suggest": {**ALL_200, "no_role_user": 403},
    # The sample is the role's own finished funder report (soest_office.exports); another
    # user's job is 404 (soest_office/tests/test_export_jobs.py). Without a role: no right.
    "soest_office:export_job": {**ALL_200, "no_role_user": 403},
    "soest_office:export_download": {**ALL_200, "no_role_user": 403},
}


def test_every_foundation_pattern_has_expected_statuses():
    office_keys = {r.key for r in ROUTES if r.namespace == "soest_office"}
    assert office_keys == set(ROLE_STATUS)


@pytest.mark.parametrize("role", ROLES)
def test_role_gets_the_expected_status_on_every_foundation_page(role, request, db, client):
    user = request.getfixturevalue(role)
    client.force_login(user)
    world = SampleWorld({role: user})
    got = {}
    for route in ROUTES:
        if route.key in ROLE_STATUS:
            got[route.key] = client.get(_resolve(route, world)).status_code
    expected = {key: statuses[role] for key, statuses in ROLE_STATUS.items()}
    assert got == expected


@pytest.mark.parametrize("role", ["office", "partner_soest", "steering"])
def test_no_page_answers_500_for_any_role(role, request, db, client):
    """Whatever a role may or may not do, no page crashes (apps' pages included)."""
    user = request.getfixturevalue(role)
    client.force_login(user)
    world = SampleWorld({role: user})
    failures = []
    for route in ROUTES:
        if route.name is None or route.namespace == "admin":
            continue
        path = _resolve(route, world)
        status = client.get(path).status_code
        if status >= 500:
            failures.append((route.key, path, status))
    assert failures == []


# --- State changes never over GET ------------------------------------------------------------

POST_ONLY = [
    r for r in ROUTES if (m := declared_methods(r.callback)) is not None and "GET" not in m
]


def test_the_walk_recognises_post_only_views():
    assert "soest_office:logout" in {r.key for r in POST_ONLY}


@pytest.mark.parametrize("route", POST_ONLY, ids=lambda r: r.key)
def test_post_only_action_refuses_get(route, office, client):
    client.force_login(office)
    response = client.get(_resolve(route))
    assert response.status_code == 405
