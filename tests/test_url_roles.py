"""Every URL pattern, every role: the status DESIGN.md's role table demands (tests/url_roles.py).

* A pattern without a row in tests/url_roles.py fails the suite, and the message prints the
  line to add (with the statuses observed, to be checked against DESIGN.md).
* For each role (anonymous, office, partner of the sample's municipality, partner of another
  municipality, steering group, login without role) every GET answers as the table says.
* Horizontal access: the partner of Lippstadt POSTs to every URL that changes a Soest
  object (with the office's own form, filled in and altered, as the body) and gets the
  table's status, and no row of the project's tables changes.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.test import Client

from tests.url_roles import (
    LOGIN,
    NAMESPACE_RULES,
    NOT_SCOPED,
    POSITIONAL_ROLES,
    POST_DATA,
    ROLE_FIXTURES,
    ROLES,
    SECTIONS,
    TABLE,
    VARIANTS,
    Expect,
    RoleWorld,
    expected_for,
)
from tests.url_samples import PUBLIC_URLS, MissingSample
from tests.urlwalk import all_routes, declared_methods

ROUTES = all_routes()
ROUTES_BY_KEY = {route.key: route for route in ROUTES}
LOGIN_PATHS = ("/konto/anmelden/", "/admin/login/")
PROJECT_APPS = ("soest_office", "projects", "stakeholders", "news", "subscriptions")


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """The sample documents and images land in a temporary directory."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture
def users(request, db):
    return {
        role: request.getfixturevalue(fixture) if fixture else None
        for role, fixture in ROLE_FIXTURES.items()
    }


@pytest.fixture
def world(users):
    return RoleWorld({ROLE_FIXTURES[role]: user for role, user in users.items() if user})


def client_as(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def path_of(route, world, kwargs=None) -> str:
    if route.name is None:
        # Unnamed admin patterns (its object redirects and the catch-all) cannot be reversed.
        assert route.namespace == "admin", f"Muster ohne Namen: {route.route}"
        if "(?P<url>" in route.route:
            return "/admin/gibt-es-nicht/"
        return "/" + re.sub(r"<(?:\w+:)?\w+>", "1", route.route)
    if kwargs is None:
        return route.url(world.kwargs_for(route))
    return route.url({name: value for name, value in kwargs.items() if name in route.params})


def answer(response) -> int | str:
    """The status as the table writes it: LOGIN for a redirect to a login page."""
    if response.status_code == 302 and urlsplit(response["Location"]).path in LOGIN_PATHS:
        return LOGIN
    return response.status_code


def is_state_changing(route) -> bool:
    methods = declared_methods(route.callback)
    return bool(route.params) and (methods is None or "POST" in methods)


# --- The table covers every pattern ------------------------------------------------------------


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
        "Für diese URL-Muster fehlt die Zeile in tests/url_roles.py. Die Werte unten sind "
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
    assert set(TABLE) - keys == set(), "Zeilen ohne URL-Muster in tests/url_roles.py"
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
        "tests/url_roles.py nennt aber kein post_other=… (Status für die Kommune, der das "
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


# --- GET: every role, every pattern --------------------------------------------------------------


def all_cases(world):
    """(id, path, expected row) for every pattern and variant; paths resolved up front, so
    that which sample objects exist does not depend on the walk's order."""
    cases = []
    for route in ROUTES:
        expect = expected_for(route.key)
        if expect is not None:
            cases.append((route.key, path_of(route, world), expect))
    for variant in VARIANTS:
        route = ROUTES_BY_KEY[variant.key]
        cases.append((variant.id, path_of(route, world, variant.kwargs(world)), variant.expect))
    return cases


# Roles that may read nothing of Soest's contacts and drafts (DESIGN.md: stakeholders of the
# own municipality only, none for the steering group; drafts stay with their authors).
OUTSIDERS = ("anonymous", "other", "steering", "no_role", "no_municipality", "deactivated")
# Pages opened by a signed link from a mailbox show that recipient's own data to whoever
# holds the link.
TOKEN_PAGES = {key for key, row in TABLE.items() if row.post_other == NOT_SCOPED}


@pytest.mark.parametrize("role", ROLES)
def test_role_gets_the_expected_status_on_every_page(role, users, world):
    world.prepare()
    cases = all_cases(world)
    secrets = world.soest_only_texts() if role in OUTSIDERS else []
    if role != "office":
        secrets = [*secrets, *world.office_only_texts()]
    if role in ("anonymous", "no_role", "deactivated"):
        secrets = [*secrets, *world.intranet_only_texts()]
    client = client_as(users[role])
    wrong = []
    for case_id, path, expect in cases:
        response = client.get(path)
        got = answer(response)
        if got != expect.expected(role):
            wrong.append(f"{case_id} ({path}): erwartet {expect.expected(role)}, bekommen {got}")
        elif got == 200 and secrets and case_id not in TOKEN_PAGES:
            body = b"".join(response) if response.streaming else response.content
            text = body.decode("utf-8", errors="ignore")
            wrong.extend(
                f"{case_id} ({path}): zeigt »{secret}« (nur Projektbüro und Soest)"
                for secret in secrets
                if secret in text
            )
    assert wrong == [], f"{role}: {len(wrong)} Abweichungen von tests/url_roles.py:\n" + (
        "\n".join(wrong)
    )


def test_the_walk_covers_admin_and_apps(world, users):
    keys = {case_id for case_id, _path, _expect in all_cases(world)}
    assert "admin:index" in keys
    assert {"projects:detail", "stakeholders:contact_detail", "news:editorial_update"} <= keys
    assert NAMESPACE_RULES["admin"].office == LOGIN


# --- POST by the other municipality: refused, nothing changed ----------------------------------

HORIZONTAL = [
    (key, None, row.post_other)
    for key, row in TABLE.items()
    if row.post_other not in (None, NOT_SCOPED)
] + [
    (variant.key, variant, variant.expect.post_other)
    for variant in VARIANTS
    if variant.expect.post_other not in (None, NOT_SCOPED)
]


def snapshot() -> dict:
    """Every row of the project's own tables (history and audit rows included)."""
    state = {}
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            state[model._meta.label] = list(model._base_manager.order_by("pk").values_list())
    return state


class _FormReader(HTMLParser):
    """The fields of the page's POST forms, as a browser would submit them unchanged."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, list[tuple[str, str, str]]]] = []
        self._fields = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self._fields = []
                self.forms.append((a.get("action", ""), self._fields))
            return
        if self._fields is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("file", "image", "reset", "button"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind == "submit" and any(f[0] == name for f in self._fields):
                return
            self._fields.append((name, a.get("value", ""), kind))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = {"name": name, "first": None, "chosen": []}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["chosen"].append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if self._fields is None:
            return
        if tag == "textarea" and self._textarea:
            self._fields.append((self._textarea[0], self._textarea[1], "textarea"))
            self._textarea = None
        elif tag == "select" and self._select:
            values = self._select["chosen"] or [self._select["first"] or ""]
            self._fields.extend((self._select["name"], v, "select") for v in values)
            self._select = None
        elif tag == "form":
            self._fields = None


def forged_body(key, path, users, world) -> dict:
    """What an attacker sends: the body the view expects. From POST_DATA, else the office's
    own form on that page, every text changed; else nothing."""
    if key in POST_DATA:
        return POST_DATA[key](world)
    return form_body(client_as(users["office"]), path, change_text=True)


def form_body(client, path, *, change_text=False) -> dict[str, list[str]]:
    """The body of the page's own POST form as a browser submits it (free text changed on
    request); empty when the page has none."""
    response = client.get(path)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return {}
    reader = _FormReader()
    reader.feed(response.content.decode())
    own_forms = [fields for action, fields in reader.forms if action in ("", path)]
    if not own_forms:
        return {}
    body: dict[str, list[str]] = {}
    for name, value, kind in own_forms[0]:
        if name == "csrfmiddlewaretoken":
            continue
        # Change free text only, so the body stays valid for the form.
        if change_text and (kind == "textarea" or (kind == "text" and name in FREE_TEXT)):
            value = f"{value.strip()} (von außen geändert)".strip()
        body.setdefault(name, []).append(value)
    return body


FREE_TEXT = {"title", "name", "first_name", "last_name", "summary", "function", "subtitle"}


@pytest.mark.parametrize(
    ("key", "variant", "expected"), HORIZONTAL, ids=[v.id if v else k for k, v, _ in HORIZONTAL]
)
def test_other_municipality_cannot_change_the_object(key, variant, expected, users, world):
    route = ROUTES_BY_KEY[key]
    path = path_of(route, world, variant.kwargs(world) if variant else None)
    body = forged_body(key, path, users, world)
    client = client_as(users["other"])  # logging in writes an audit event: before the snapshot
    before = snapshot()
    response = client.post(path, body)
    assert answer(response) == expected, f"POST {path} als Kommune Lippstadt"
    assert snapshot() == before, f"POST {path} als Kommune Lippstadt hat Daten geändert"


@pytest.mark.parametrize(
    ("key", "model_label"),
    [
        ("projects:edit", "projects.Project"),
        ("stakeholders:contact_update", "stakeholders.Contact"),
    ],
)
def test_the_forged_body_is_a_real_change_when_the_owner_sends_it(key, model_label, users, world):
    """The horizontal check above means something: the same body, sent by someone who may,
    changes the object."""
    route = ROUTES_BY_KEY[key]
    path = path_of(route, world)
    body = forged_body(key, path, users, world)
    model = apps.get_model(model_label)
    before = list(model.objects.order_by("pk").values_list())
    response = client_as(users["own" if key.startswith("stakeholders") else "office"]).post(
        path, body
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(model.objects.order_by("pk").values_list()) != before


def test_the_leak_check_looks_for_text_the_owners_do_see(users, world):
    """The outsiders' pages are searched for text that really is on the owners' pages."""
    world.prepare()
    office, own = client_as(users["office"]), client_as(users["own"])
    project_page = own.get(world.project.get_absolute_url()).content.decode()
    assert world.contact.last_name in project_page  # through the involvement
    contact_page = own.get(world.contact.get_absolute_url()).content.decode()
    assert world.contact.email in contact_page
    assert "Sparkasse SoestWerl" in contact_page
    report = ROUTES_BY_KEY["projects:report_detail"].url(
        {"slug": world.project.slug, "pk": world.draft_report.pk}
    )
    assert world.soest_only_texts()[3] in own.get(report).content.decode()
    draft = ROUTES_BY_KEY["news:editorial_detail"].url({"pk": world.partner_draft.pk})
    assert world.soest_only_texts()[4] in office.get(draft).content.decode()


@pytest.mark.parametrize(
    ("key", "model_label", "body"),
    [
        (
            "stakeholders:contact_create",
            "stakeholders.Contact",
            {"first_name": "Fremd", "last_name": "Angelegt", "category": "other"},
        ),
        ("stakeholders:organisation_create", "stakeholders.Organisation", {"name": "Fremd AG"}),
    ],
)
def test_other_municipality_cannot_create_records_for_soest(key, model_label, body, users, world):
    """A partner names Soest in the body of a create form: refused, nothing lands in Soest."""
    from soest_office.tests.factories import municipality

    soest = municipality("soest")
    model = apps.get_model(model_label)
    client = client_as(users["other"])
    path = ROUTES_BY_KEY[key].url()
    body = {**form_body(client, path), **body}
    response = client.post(path, {**body, "municipality": soest.pk})
    assert response.status_code in (200, 400)  # the form again, with the error
    assert not model.objects.filter(municipality=soest).exists()
    # The same body for the partner's own municipality is a valid record.
    own = users["other"].municipality
    response = client.post(path, {**body, "municipality": own.pk})
    assert response.status_code == 302
    assert model.objects.filter(municipality=own).exists()
