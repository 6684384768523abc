"""Enumerate every URL pattern of the project, so security and accessibility tests cover
new pages automatically (a page cannot escape by not being listed somewhere)."""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name", or "namespace:<route>" for an unnamed pattern
    name: str | None  # reversible name, None when unnamed
    route: str  # the full route as written, for messages
    params: tuple[str, ...] = field(default_factory=tuple)
    callback: object = None
    positional: int = 0  # unnamed regex groups (e.g. django-simple-history's admin URLs)

    @property
    def namespace(self) -> str:
        return self.key.split(":", 1)[0] if ":" in self.key else ""

    def url(self, kwargs: dict | None = None) -> str:
        if self.name is None:
            raise LookupError(f"{self.key}: Muster ohne Namen lässt sich nicht auflösen")
        if self.positional and not kwargs:
            # Only the admin has such patterns; it checks staff access before the arguments.
            return reverse(self.name, args=["1"] * self.positional)
        return reverse(self.name, kwargs=kwargs or None)


def _params(pattern) -> tuple[str, ...]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters:
        return tuple(converters)
    return tuple(pattern.pattern.regex.groupindex)


def iter_routes(patterns=None, prefix: str = "", namespace: str | None = None):
    """Yield a Route for every URLPattern below `patterns` (default: the root URLconf)."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            child_ns = namespace
            if entry.namespace:
                child_ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from iter_routes(entry.url_patterns, prefix + str(entry.pattern), child_ns)
            continue
        assert isinstance(entry, URLPattern)
        route = prefix + str(entry.pattern)
        outer_params = _outer_params(route)
        name = None
        if entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
        key = name or f"{namespace or ''}:<{route}>"
        yield Route(
            key=key,
            name=name,
            route=route,
            params=tuple(dict.fromkeys((*outer_params, *_params(entry)))),
            callback=entry.callback,
            positional=entry.pattern.regex.groups - len(entry.pattern.regex.groupindex),
        )


def _outer_params(route: str) -> tuple[str, ...]:
    import re

    return tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))


def all_routes() -> list[Route]:
    # First definition wins, as in URL resolution (shadowed names are reversed to the first).
    seen, routes = set(), []
    for route in iter_routes():
        if route.key not in seen:
            seen.add(route.key)
            routes.append(route)
    return routes


def declared_methods(callback) -> set[str] | None:
    """HTTP methods a view declares (CBV http_method_names and handlers, or a
    require_http_methods decorator anywhere in the wrapper chain); None if undeclared."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        allowed = {
            m.upper()
            for m in view_class.http_method_names
            if m not in ("options", "head") and hasattr(view_class, m)
        }
        return allowed
    func = callback
    while func is not None:
        closure = inspect.getclosurevars(func).nonlocals if func.__closure__ else {}
        if "request_method_list" in closure:
            return {m.upper() for m in closure["request_method_list"]} - {"HEAD", "OPTIONS"}
        func = getattr(func, "__wrapped__", None)
    return None
