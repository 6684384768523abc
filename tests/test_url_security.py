"""Every URL pattern of the project, walked: public, or login required; POST-only actions
refuse GET. The expected status per role and pattern: tests/url_roles/.

New patterns are picked up automatically. A new public page must be added to
tests/url_samples.PUBLIC_URLS; a new pattern with parameters needs a sample there, and every
new pattern a row in tests/url_roles/.
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


# Per role, every pattern: tests/url_roles/test_get.py against the table in tests/url_roles/
# (it replaced the foundation-only table and the "no 500 for any role" walk that stood here).


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
