"""The scenarios of issue 6: which page, as which role, with which parameters.

Each scenario names the URL (by name, so a page that does not exist yet is reported as
"missing" rather than measured against something else) and how to pick its object from the
generated data. `bench.run` measures them; tests/test_bench_query_counts.py pins the query
counts of the same pages at two data sizes.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import NoReverseMatch, reverse


@dataclass
class Scenario:
    name: str
    label: str
    url_name: str
    role: str  # office | partner | anonymous | admin
    kind: str = "page"  # page | detail | list | export | feed | action | reference
    kwargs: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    heavy: bool = False  # PDF/XLSX/import: fewer repetitions
    # Filled in by resolve(): the concrete URL, or the reason it is missing.
    url: str | None = None
    missing: str | None = None
    note: str = ""

    def resolve(self, ctx: "Context") -> None:
        self.url, self.missing = None, None
        try:
            kwargs = {k: (v(ctx) if callable(v) else v) for k, v in self.kwargs.items()}
            query = {k: (v(ctx) if callable(v) else v) for k, v in self.query.items()}
            self.url = reverse(self.url_name, kwargs=kwargs)
        except NoReverseMatch:
            self.missing = f"URL-Name {self.url_name!r} existiert (noch) nicht"
            return
        except LookupError as exc:
            self.missing = str(exc)
            return
        if query:
            from urllib.parse import urlencode

            self.url += "?" + urlencode(query, doseq=True)


class Context:
    """Looks up the objects the scenarios need (once, lazily) in the generated data."""

    def __init__(self):
        self._cache = {}

    def _get(self, key, fn):
        if key not in self._cache:
            self._cache[key] = fn()
        return self._cache[key]

    def project_most_reports(self):
        from projects.models import Project

        def find():
            p = (
                Project.objects.annotate(n=Count("reports"))
                .order_by("-n", "pk")
                .values("slug", "n")
                .first()
            )
            if p is None:
                raise LookupError("keine Projekte in der Datenbank")
            return p

        return self._get("project", find)

    def contact_most_history(self):
        from stakeholders.models import Interaction

        def find():
            row = (
                Interaction.objects.filter(contact__isnull=False)
                .values("contact_id")
                .annotate(n=Count("pk"))
                .order_by("-n", "contact_id")
                .first()
            )
            if row is None:
                raise LookupError("keine Kontakthistorie in der Datenbank")
            return row

        return self._get("contact", find)

    def latest_release_slug(self):
        from news.models import PressRelease

        def find():
            r = PressRelease.objects.published().order_by("-published_at", "pk").first()
            if r is None:
                raise LookupError("keine veröffentlichte Pressemitteilung")
            return r.slug

        return self._get("release", find)

    def latest_release_title(self):
        from news.models import PressRelease

        def find():
            r = PressRelease.objects.published().order_by("-published_at", "pk").first()
            if r is None:
                raise LookupError("keine veröffentlichte Pressemitteilung")
            return r.title

        return self._get("release_title", find)

    def soest_id(self):
        from soest_office.models import Municipality

        return self._get("soest", lambda: Municipality.objects.get(slug="soest").pk)

    def funder_projects(self, n=50):
        from projects.models import Project

        return self._get(
            "funder",
            lambda: list(
                Project.objects.filter(archived_at__isnull=True)
                .order_by("title")
                .values_list("pk", flat=True)[:n]
            ),
        )

    def contact_pages(self):
        from stakeholders.models import Contact

        return self._get("contact_pages", lambda: max(1, -(-Contact.objects.count() // 50)))

    def deep_contact_page(self):
        return min(500, self.contact_pages())


def build(ctx: Context) -> list[Scenario]:
    today = dt.date(2026, 6, 1)
    scenarios = [
        Scenario("dashboard_office", "Dashboard (Projektbüro)", "soest_office:home", "office"),
        Scenario("dashboard_partner", "Dashboard (Kommune)", "soest_office:home", "partner"),
        Scenario("project_list", "Projektliste", "projects:list", "office", "list"),
        Scenario(
            "project_list_filtered",
            "Projektliste gefiltert",
            "projects:list",
            "office",
            "list",
            query={
                "municipality": lambda c: c.soest_id(),
                "status": ["in_progress", "planned"],
                "traffic_light": ["yellow", "red"],
                "q": "Digital",
            },
        ),
        Scenario(
            "project_detail_most_reports",
            "Projektseite (meiste Berichte)",
            "projects:detail",
            "office",
            "detail",
            kwargs={"slug": lambda c: c.project_most_reports()["slug"]},
        ),
        Scenario("contact_list", "Kontaktliste Seite 1", "stakeholders:contact_list", "office"),
        Scenario(
            "contact_list_page500",
            "Kontaktliste Seite 500",
            "stakeholders:contact_list",
            "office",
            "list",
            query={"page": lambda c: c.deep_contact_page()},
        ),
        Scenario(
            "contact_search",
            "Kontaktsuche (Text)",
            "stakeholders:contact_list",
            "office",
            "list",
            query={"q": "Schulz"},
        ),
        Scenario(
            "contact_detail",
            "Kontaktseite (längste Historie)",
            "stakeholders:contact_detail",
            "office",
            "detail",
            kwargs={"pk": lambda c: c.contact_most_history()["contact_id"]},
        ),
        Scenario(
            # No list of all progress reports exists yet (issue 3 has none; issue 6 names it).
            "report_list",
            "Berichtsliste Seite 1",
            "projects:report_list",
            "office",
            "list",
        ),
        Scenario(
            "report_list_page500",
            "Berichtsliste Seite 500",
            "projects:report_list",
            "office",
            "list",
            query={"page": 500},
        ),
        Scenario(
            "global_search",
            "Globale Suche",
            "soest_office:search",
            "office",
            "list",
            # Two words that occur at every data size ("Bürgerbüro Soest" matched nothing
            # in the tiny datasets of the query-count test, so it compared the no-hit path
            # with the hit path there).
            query={"q": "Förderbescheid Soest"},
        ),
        # Issue 9: the global search with a word found in many places and with a rare
        # phrase, as office and as partner (scoped to their municipality), and the
        # suggestions of the header box (prefix of the last word).
        Scenario(
            "search_common_word",
            "Globale Suche (häufiges Wort)",
            "soest_office:search",
            "office",
            "list",
            query={"q": "Förderbescheid"},
        ),
        Scenario(
            "search_rare_phrase",
            "Globale Suche (seltene Phrase)",
            "soest_office:search",
            "office",
            "list",
            # The newest release's title as a phrase: a few hits in a large index.
            query={"q": lambda c: f'"{c.latest_release_title()}"'},
        ),
        Scenario(
            "search_partner",
            "Globale Suche (Kommune)",
            "soest_office:search",
            "partner",
            "list",
            query={"q": "Förderbescheid"},
        ),
        Scenario(
            "suggest_office",
            "Suchvorschläge (Projektbüro)",
            "soest_office:search_suggest",
            "office",
            "page",
            query={"q": "Bürgerb"},
        ),
        Scenario(
            "suggest_partner",
            "Suchvorschläge (Kommune)",
            "soest_office:search_suggest",
            "partner",
            "page",
            query={"q": "Bürgerb"},
        ),
        Scenario("press_list_public", "Presse öffentlich", "news:public_list", "anonymous", "list"),
        Scenario(
            "press_list_intranet", "Presse Redaktion", "news:editorial_list", "office", "list"
        ),
        Scenario(
            "press_detail",
            "Pressemitteilung",
            "news:public_detail",
            "anonymous",
            "detail",
            kwargs={"slug": lambda c: c.latest_release_slug()},
        ),
        Scenario("rss", "RSS-Feed", "news:feed_rss", "anonymous", "feed"),
        Scenario(
            "projects_csv", "Export CSV alle Projekte", "projects:export_csv", "office", "export"
        ),
        Scenario(
            "projects_xlsx",
            "Export XLSX alle Projekte",
            "projects:export_xlsx",
            "office",
            "export",
            heavy=True,
        ),
        Scenario(
            "funder_report_pdf_50",
            "Förderbericht PDF (50 Projekte)",
            "projects:funder_report",
            "office",
            "export",
            query={
                "date_from": (today - dt.timedelta(days=365)).isoformat(),
                "date_to": today.isoformat(),
                "output": "pdf",
                "projects": lambda c: c.funder_projects(),
            },
            heavy=True,
        ),
        Scenario(
            "auskunft_json",
            "Auskunft JSON (längste Historie)",
            "stakeholders:auskunft_json",
            "office",
            "export",
            kwargs={"pk": lambda c: c.contact_most_history()["contact_id"]},
        ),
        Scenario(
            "auskunft_pdf",
            "Auskunft PDF (längste Historie)",
            "stakeholders:auskunft_pdf",
            "office",
            "export",
            kwargs={"pk": lambda c: c.contact_most_history()["contact_id"]},
            heavy=True,
        ),
    ]
    references = [
        Scenario("limit", "Referenz: Limit (1 Abfrage)", "bench_limit", "anonymous", "reference"),
        Scenario(
            "peer",
            "Referenz: Admin-Änderungsliste Projekte",
            "admin:projects_project_changelist",
            "admin",
            "reference",
        ),
    ]
    references[1].resolve(ctx)
    if references[1].url is None:
        # The projects app registers no Project admin: use the benchmark's admin site.
        references[1].url_name = "bench_admin:projects_project_changelist"
        references[1].note = "Admin-Site des Benchmarks (Project ist im Admin nicht registriert)"
    for s in scenarios + references:
        s.resolve(ctx)
    return scenarios + references
