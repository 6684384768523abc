"""How apps plug into the kernel: one registry shape, filled from one module per concern.

The kernel imports no feature app. An app takes part in a concern with a module of its own
that the kernel imports at start-up, the way Django's admin finds `admin.py`:

| module in the app  | registry          | entries                                            |
|--------------------|-------------------|----------------------------------------------------|
| `rules.py`         | `RULES`           | `access.Rule`: who may see and change which rows   |
| `search.py`        | `SEARCH_SOURCES`  | `search.registry.Source`: what is found, for whom  |
|                    | `SEARCH_FACETS`   | `search.registry.CategoryFacet`: a filter          |
| `personal_data.py` | `PERSONAL_DATA`   | `PersonalData`: Auskunft, erasure, merge of people |
| `health.py`        | `HEALTH_CHECKS`   | `health.HealthCheck`: a line of /healthz           |
| `exports.py`       | `EXPORT_KINDS`    | `exports.ExportKind`: a file made in the background|
| `mail_links.py`    | `MAIL_LINKS`      | `MailLinks`: personal links in mails of a purpose  |
| `panels.py`        | `PANELS`          | `Panel`: a section on another app's page           |
| `inbox.py`         | `INBOX`           | `inbox.InboxSource`: what waits for a user (/aufgaben/) |
| `retention.py`     | `RETENTION`       | `RetentionPolicy`: personal data that expires      |
| `api.py`           | `OPEN_DATA`       | `opendata.ApiSection`: routes of /api/v1/          |
| `references.py`    | `REFERENCES`      | `Reference`: a link to an app's object, for whom   |
| `sitemaps.py`      | `SITEMAPS`        | `SitemapSection`: public pages in /sitemap.xml     |

A module registers at import time, e.g. in `news/health.py`:

    HEALTH_CHECKS.register(HealthCheck(key="press_schedule", check=check_scheduled_publishing))

Each entry has a unique `key`; registering a second, different entry under a key that is
taken is a configuration error (two apps answering one question). Entries are listed by
`position`, then key. `autodiscover()` runs from `SoestOfficeConfig.ready`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules

T = TypeVar("T")


class Registry(Generic[T]):
    """Entries of one concern, keyed by `entry.key`, ordered by `entry.position`."""

    def __init__(self, name: str, module: str):
        self.name = name
        self.module = module  # the module of each app that fills this registry
        self._entries: dict[str, T] = {}

    def register(self, entry: T) -> T:
        key = entry.key
        existing = self._entries.get(key)
        if existing is not None and existing != entry:
            raise ImproperlyConfigured(
                f"{self.name}: the key {key!r} is registered twice "
                f"({_origin(existing)} and {_origin(entry)})."
            )
        self._entries[key] = entry
        return entry

    def get(self, key: str, default: T | None = None) -> T | None:
        return self._entries.get(key, default)

    def __getitem__(self, key: str) -> T:
        return self._entries[key]

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[T]:
        return iter(
            sorted(self._entries.values(), key=lambda e: (getattr(e, "position", 100), e.key))
        )

    def __len__(self) -> int:
        return len(self._entries)

    def keys(self) -> list[str]:
        return [entry.key for entry in self]

    @contextlib.contextmanager
    def replaced(self, *entries: T, only: bool = False):
        """For tests: these entries in place of those with the same keys (`only`: instead
        of all others), restored afterwards."""
        saved = dict(self._entries)
        if only:
            self._entries.clear()
        self._entries.update({entry.key: entry for entry in entries})
        try:
            yield self
        finally:
            self._entries.clear()
            self._entries.update(saved)


def _origin(entry) -> str:
    return getattr(entry, "__module__", type(entry).__module__)


# --- Entries defined here (the other entry types live with their machinery) ----------------


@dataclass(frozen=True)
class PersonalData:
    """An app's share of the data protection duties towards one person.

    The person is a contact of the stakeholders app (the intranet's one register of
    people); the stakeholders app calls these functions from its Auskunft, erasure and
    merge services, inside their transactions.
    - `auskunft(person) -> list[dict[str, object]]`: the rows of the section `label` of
      the Auskunft (Art. 15 DSGVO); an empty list leaves the section out.
    - `erase(person) -> None`: remove or anonymise every row of the app about the person,
      before the person is deleted (Art. 17).
    - `merge(keep, merge) -> None`: move the app's rows from `merge` to `keep`, before
      `merge` is deleted.
    """

    key: str
    label: str = ""
    auskunft: Callable[[Any], list[dict]] | None = None
    erase: Callable[[Any], None] | None = None
    merge: Callable[[Any, Any], None] | None = None
    position: int = 100


@dataclass(frozen=True)
class MailLinks:
    """Personal links for the mails of one sending purpose (`key`, e.g. "newsletter"):
    `links(deliveries) -> {delivery.pk: {"manage_url": ..., "unsubscribe_url": ...}}`,
    one call per batch of deliveries."""

    key: str
    links: Callable[[list], dict[int, dict]]
    position: int = 100


@dataclass(frozen=True)
class Panel:
    """A section one app adds to another app's page (`slot`, e.g. "project_detail").

    `context(request, obj) -> dict | None` gives the template's context, None to leave the
    panel out; it must ask the app's own rules for what the user may see. The page renders
    its slot with `{% panels "project_detail" project %}` (soest_office_tags).
    `generations`: the cache generations (soest_office.caching) whose writes may change
    what the panel shows a user with the same role, municipality and account; a page that
    caches its content with the panel inside keys it by them too. None (not declared):
    the page is rendered anew each time.
    """

    key: str
    slot: str
    template_name: str
    context: Callable[[Any, Any], dict | None]
    position: int = 100
    generations: tuple[str, ...] | None = None


@dataclass(frozen=True)
class RetentionPolicy:
    """One data set of personal data that does not outlive its purpose (Art. 5(1)(e) DSGVO).

    - `setting`: the name of the period's setting in days (settings.py, "Aufbewahrung"
      block: every period is set there, in one place, with its default).
    - `queryset_due(now) -> QuerySet`: the rows the next run changes (counted for the office
      on /protokoll/aufbewahrung/); rows already handled are not in it.
    - `apply(now) -> int`: remove or anonymise exactly those rows; returns how many.
      Must be idempotent (a second run changes nothing) and atomic.
    - `action`: what happens to a due row, in German ("IP-Adresse entfernt, Eintrag bleibt").
    The legal reason of each period is documented in docs/aufbewahrung.md.
    """

    key: str
    label: str
    setting: str
    queryset_due: Callable[[Any], Any]
    apply: Callable[[Any], int]
    action: str = ""
    position: int = 100

    @property
    def days(self) -> int:
        from django.conf import settings

        return int(getattr(settings, self.setting))


@dataclass(frozen=True)
class Reference:
    """A pointer from one app's record to another app's object, resolved for a user.

    An app stores `reference_token(key, pk)` (e.g. in a history record's change reason:
    "the status changed because of decision 12") without knowing the other app. Shown to a
    user, `links(user, pks) -> {pk: (label, url)}` gives the label and URL of each object the
    user may see under the owning app's rules; an object left out is shown as nothing at all,
    so neither its text nor its existence leaks.
    """

    key: str
    links: Callable[[Any, list[int]], dict[int, tuple[str, str]]]
    position: int = 100


REFERENCE_PREFIX = "ref:"


def reference_token(key: str, pk: int) -> str:
    return f"{REFERENCE_PREFIX}{key}:{pk}"


def parse_reference(token: str | None) -> tuple[str, int] | None:
    """(key, pk) of a token made by reference_token, else None."""
    if not token or not token.startswith(REFERENCE_PREFIX):
        return None
    key, _sep, pk = token.removeprefix(REFERENCE_PREFIX).rpartition(":")
    return (key, int(pk)) if key and pk.isdigit() else None


def resolve_references(user, tokens) -> dict[str, tuple[str, str]]:
    """{token: (label, url)} for the tokens whose object the user may see: one call of each
    app's resolver, whatever the number of tokens."""
    wanted: dict[str, set[int]] = {}
    for token in tokens:
        parsed = parse_reference(token)
        if parsed is not None:
            wanted.setdefault(parsed[0], set()).add(parsed[1])
    resolved = {}
    for key, pks in wanted.items():
        entry = REFERENCES.get(key)
        if entry is None:
            continue
        for pk, link in entry.links(user, sorted(pks)).items():
            resolved[reference_token(key, pk)] = link
    return resolved


@dataclass(frozen=True)
class SitemapSection:
    """A section of the site's sitemap (/sitemap.xml, soest_office/sitemaps.py).

    - `sitemap`: a `django.contrib.sitemaps.Sitemap` whose items are only what the public may
      see, asked through the app's rules as the anonymous visitor (never a second, own
      filter), with `lastmod` from the data.
    - `latest() -> datetime | None`: the newest change of the section's pages (one query);
      the kernel dates its open-data entry points by the newest of all sections.
    """

    key: str
    sitemap: Any
    latest: Callable[[], Any] | None = None
    position: int = 100


# --- The registries ------------------------------------------------------------------------

RULES: Registry = Registry("access rules", module="rules")
SEARCH_SOURCES: Registry = Registry("search sources", module="search")
SEARCH_FACETS: Registry = Registry("search facets", module="search")
PERSONAL_DATA: Registry[PersonalData] = Registry("personal data", module="personal_data")
HEALTH_CHECKS: Registry = Registry("health checks", module="health")
EXPORT_KINDS: Registry = Registry("export kinds", module="exports")
MAIL_LINKS: Registry[MailLinks] = Registry("mail links", module="mail_links")
PANELS: Registry[Panel] = Registry("panels", module="panels")
INBOX: Registry = Registry("inbox sources", module="inbox")
RETENTION: Registry[RetentionPolicy] = Registry("retention policies", module="retention")
OPEN_DATA: Registry = Registry("open data", module="api")
REFERENCES: Registry[Reference] = Registry("references", module="references")
SITEMAPS: Registry[SitemapSection] = Registry("sitemaps", module="sitemaps")

REGISTRIES = (
    RULES,
    SEARCH_SOURCES,
    SEARCH_FACETS,
    PERSONAL_DATA,
    HEALTH_CHECKS,
    EXPORT_KINDS,
    MAIL_LINKS,
    PANELS,
    INBOX,
    RETENTION,
    OPEN_DATA,
    REFERENCES,
    SITEMAPS,
)


def autodiscover() -> None:
    """Import every installed app's plug-in modules (in INSTALLED_APPS order)."""
    autodiscover_modules(*dict.fromkeys(registry.module for registry in REGISTRIES))


def panels_for(slot: str) -> list[Panel]:
    return [panel for panel in PANELS if panel.slot == slot]


def panel_generations(slot: str) -> tuple[str, ...] | None:
    """The cache generations of every panel of `slot`, None when one of them declares none
    (a page whose content holds the slot is then not cached)."""
    names: dict[str, None] = {}
    for panel in panels_for(slot):
        if panel.generations is None:
            return None
        names.update(dict.fromkeys(panel.generations))
    return tuple(names)
