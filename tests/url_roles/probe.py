"""Asking a URL pattern as a role: its path with the sample objects, the answer as the table
writes it, a snapshot of the project's tables, and the body an attacker would POST (the
office's own form on that page, its free text changed)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.apps import apps
from django.test import Client

from tests.url_roles import LOGIN, POST_DATA
from tests.urlwalk import all_routes, declared_methods

ROUTES = all_routes()
ROUTES_BY_KEY = {route.key: route for route in ROUTES}
LOGIN_PATHS = ("/konto/anmelden/", "/admin/login/")
PROJECT_APPS = ("soest_office", "projects", "stakeholders", "news", "subscriptions", "meetings")


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
