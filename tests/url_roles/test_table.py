"""The role table covers every URL pattern, once, and agrees with the list of public pages.

A pattern without a row fails the suite, and the message prints the line to add (with the
statuses observed, to be checked against DESIGN.md).
"""

from __future__ import annotations

import pytest

from tests.url_roles import (
    LOGIN,
    POSITIONAL_ROLES,
    POST_DATA,
    ROLES,
    SECTIONS,
    TABLE,
    VARIANTS,
    Expect,
    expected_for,
)
from tests.url_roles.probe import (
    ROUTES,
    ROUTES_BY_KEY,
    answer,
    client_as,
    forged_body,
    is_state_changing,
    path_of,
    snapshot,
)
from tests.url_samples import PUBLIC_URLS, MissingSample


def test_every_url_pattern_has_a_row_in_the_role_table(users, world):
    missing = [route for route in ROUTES if expected_for(route.key) is None]
    if not missing:
        return
    lines = []
    for route in missing:
        section = SECTIONS.get(route.namespace)
        where = (
            f"Abschnitt {route.namespace.upper()}"
            if section is not None
            else f"neuer Abschnitt {route.namespace.upper() or '(ohne Namensraum)'} in SECTIONS"
        )
        try:
            observed = observe_row(route, users, world)
        except MissingSample as exc:
            lines.append(f"  # {route.key}: {exc}")
            continue
        lines.append(f"  # {where}, {route.route}\n  {observed.line(route.key)}")
    pytest.fail(
        "Für diese URL-Muster fehlt die Zeile in tests/url_roles/<app>.py. Die Werte unten sind "
        "BEOBACHTET, nicht erwartet: bitte gegen die Rollentabelle in DESIGN.md prüfen, "
        "dann einfügen:\n" + "\n".join(lines),
        pytrace=False,
    )


def observe_row(route, users, world) -> Expect:
    path = path_of(route, world)
    statuses = [answer(client_as(users[role]).get(path)) for role in ROLES]
    post_other = None
    if is_state_changing(route):
        body = forged_body(route.key, path, users, world)
        client = client_as(users["other"])
        before = snapshot()
        post_other = answer(client.post(path, body))
        if snapshot() != before:
            post_other = f"{post_other}  # ACHTUNG: der POST hat Daten geändert"
    observed = dict(zip(ROLES, statuses, strict=True))
    return Expect(
        *(observed[role] for role in POSITIONAL_ROLES),
        post_other=post_other,
        no_municipality=observed["no_municipality"],
        deactivated=observed["deactivated"],
    )


def test_the_table_names_only_existing_patterns():
    keys = set(ROUTES_BY_KEY)
    assert set(TABLE) - keys == set(), "Zeilen ohne URL-Muster in tests/url_roles/"
    assert {v.key for v in VARIANTS} - keys == set()
    assert set(POST_DATA) - keys == set()


def test_no_pattern_has_two_rows():
    seen: dict[str, str] = {}
    doubled = []
    for section_name, section in SECTIONS.items():
        for key in section:
            if key in seen:
                doubled.append(f"{key} in {seen[key]} und {section_name}")
            seen[key] = section_name
    assert doubled == []


def test_every_url_that_changes_an_object_states_the_other_municipalitys_post():
    missing = [
        route.key
        for route in ROUTES
        if route.key in TABLE and is_state_changing(route) and TABLE[route.key].post_other is None
    ]
    assert missing == [], (
        "Diese URLs ändern ein Objekt (POST mit Parametern), ihre Zeile in "
        "tests/url_roles/ nennt aber kein post_other=… (Status für die Kommune, der das "
        f"Objekt nicht gehört, oder NOT_SCOPED): {missing}"
    )


def test_public_pages_agree_with_the_anonymous_column():
    """tests/url_samples.PUBLIC_URLS is the explicit list of public pages; the table's
    anonymous column must say the same."""
    disagreements = []
    for key, row in TABLE.items():
        if key in PUBLIC_URLS:
            status = 302 if row.anonymous == LOGIN else row.anonymous
            if status not in PUBLIC_URLS[key]:
                disagreements.append((key, row.anonymous, PUBLIC_URLS[key]))
        elif row.anonymous != LOGIN:
            disagreements.append((key, row.anonymous, "nicht in PUBLIC_URLS"))
    assert disagreements == []
