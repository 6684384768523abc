"""The scenarios of issue 6: which page, as which role, with which parameters.

Each scenario names the URL (by name, so a page that does not exist yet is reported as
"missing" rather than measured against something else) and how to pick its object from the
generated data. `bench.run` measures them; tests/test_bench_query_counts.py pins the query
counts of the same pages at two data sizes.

Background exports (the funder report and the Auskunft as PDF, soest_office.exports) are
measured as the user meets them: the timed request is the POST that starts the job, with the
job only queued as a worker would receive it (`fetch`); `run_jobs` then renders the queued
jobs in-process and reports the job's own runtime, queries and memory separately.
"""

import datetime as dt
import statistics
import time
import tracemalloc
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import NoReverseMatch, reverse


def _new_dashboard_generation():
    from projects.dashboard import invalidate_dashboard

    invalidate_dashboard()


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
    # A background export: POST `data` starts a job (answer: redirect to the job's page).
    job: bool = False
    data: dict = field(default_factory=dict)
    # Called before every request, outside the timed part (e.g. drop a cached panel).
    before: object = None
    # Filled in by resolve(): the concrete URL, or the reason it is missing.
    url: str | None = None
    missing: str | None = None
    note: str = ""
    form: dict = field(default_factory=dict)
    queued: list = field(default_factory=list)

    def prepare(self) -> None:
        """Before each request (outside the timed part)."""
        if self.before is not None:
            self.before()

    @property
    def expect_status(self) -> int:
        return 302 if self.job else 200

    def resolve(self, ctx: "Context") -> None:
        self.url, self.missing = None, None
        try:
            kwargs = {k: (v(ctx) if callable(v) else v) for k, v in self.kwargs.items()}
            query = {k: (v(ctx) if callable(v) else v) for k, v in self.query.items()}
            query = {k: v for k, v in query.items() if v is not None}  # None: leave it out
            self.form = {k: (v(ctx) if callable(v) else v) for k, v in self.data.items()}
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

    def fetch(self, client):
        """The request the user waits for: GET the page, or POST the form that starts a
        background export, with its job queued (not rendered) as in production."""
        if not self.job:
            return client.get(self.url)
        with queued_jobs() as ids:
            response = client.post(self.url, self.form)
        self.queued.extend(ids)
        return response

    def run_jobs(self, *, reps: int) -> dict:
        """Render up to `reps` of the jobs the measured POSTs queued, as the worker would
        (timed), one more under tracemalloc and CaptureQueriesContext; then delete them all."""
        from django.db import connection, transaction
        from django.test.utils import CaptureQueriesContext

        from soest_office import exports
        from soest_office.models import ExportJob

        ids, self.queued = self.queued, []
        times, outcomes = [], set()
        for job_id in ids[:reps]:
            started = time.perf_counter()
            outcomes.add(exports.export_job_run(job_id=job_id))
            times.append((time.perf_counter() - started) * 1000)
        result: dict = {"runs": len(times)}
        if times:
            ordered = sorted(times)
            result["median_ms"] = round(statistics.median(times), 1)
            result["max_ms"] = round(ordered[-1], 1)
        if len(ids) > reps:
            tracemalloc.start()
            with CaptureQueriesContext(connection) as captured:
                outcomes.add(exports.export_job_run(job_id=ids[reps]))
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            result["queries"] = len(captured.captured_queries)
            result["peak_alloc_mb"] = round(peak / 2**20, 1)
        done = ExportJob.objects.filter(pk__in=ids, status=ExportJob.Status.DONE)
        sizes = list(done.values_list("size", flat=True))
        if sizes:
            result["bytes"] = max(sizes)
        result["outcomes"] = sorted(outcomes)
        with transaction.atomic():
            exports.export_jobs_delete(ExportJob.objects.filter(pk__in=ids))
        return result


@contextmanager
def queued_jobs():
    """Collect the ids of export jobs queued meanwhile instead of running them (the
    benchmark runs tasks in-process; in production the POST only hands the id to Redis)."""
    from unittest import mock

    from soest_office import tasks

    ids: list[int] = []
    with mock.patch.object(tasks.export_job_run, "delay", side_effect=ids.append):
        yield ids


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

    def deep_report_cursor(self, page=500):
        """The keyset cursor (`nach`) of page `page` of the report list as the office sees
        it (every report), or of its last page when there are fewer; None for page 1."""
        from projects.models import ProgressReport
        from projects.views.reports import REPORTS_PER_PAGE, report_paginator

        def find():
            total = ProgressReport.objects.count()
            last_start = max(0, (total - 1) // REPORTS_PER_PAGE * REPORTS_PER_PAGE)
            offset = min((page - 1) * REPORTS_PER_PAGE, last_start)
            return report_paginator(ProgressReport.objects.all()).cursor_at(offset)

        return self._get(("report_cursor", page), find)

    def deep_contact_cursor(self):
        """The keyset cursor (`nach`) of contact list page 500 (or the last page of a small
        dataset) as the office sees it, in the view's order."""
        from soest_office.pagination import KeysetPaginator
        from stakeholders.models import Contact
        from stakeholders.views.contacts import CONTACT_ORDERING

        def find():
            paginator = KeysetPaginator(Contact.objects.all(), ordering=CONTACT_ORDERING)
            return paginator.cursor_at((self.deep_contact_page() - 1) * paginator.per_page)

        return self._get("contact_cursor", find)


def build(ctx: Context) -> list[Scenario]:
    today = dt.date(2026, 6, 1)
    scenarios = [
        Scenario("dashboard_office", "Dashboard (Projektbüro)", "soest_office:home", "office"),
        Scenario("dashboard_partner", "Dashboard (Kommune)", "soest_office:home", "partner"),
        # The same after a change to the projects: the cached panel is made anew each time.
        Scenario(
            "dashboard_office_fresh",
            "Dashboard nach Änderung (Projektbüro)",
            "soest_office:home",
            "office",
            before=_new_dashboard_generation,
        ),
        Scenario(
            "dashboard_partner_fresh",
            "Dashboard nach Änderung (Kommune)",
            "soest_office:home",
            "partner",
            before=_new_dashboard_generation,
        ),
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
            # Keyset pagination: the cursor of the page starting at row 499 * 50.
            query={"nach": lambda c: c.deep_contact_cursor()},
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
            # Keyset pagination: the cursor of the page that starts at row 499 * 50.
            query={"nach": lambda c: c.deep_report_cursor(500)},
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
            "Förderbericht PDF (50 Projekte) anfordern",
            "projects:funder_report",
            "office",
            "export",
            data={
                "date_from": (today - dt.timedelta(days=365)).isoformat(),
                "date_to": today.isoformat(),
                "output": "pdf",
                "projects": lambda c: c.funder_projects(),
            },
            job=True,
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
            "Auskunft PDF anfordern (längste Historie)",
            "stakeholders:auskunft_pdf",
            "office",
            "export",
            kwargs={"pk": lambda c: c.contact_most_history()["contact_id"]},
            job=True,
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
