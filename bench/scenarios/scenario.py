"""One scenario: its URL, role and parameters, resolved against the generated data, and how
its request is made (a background export's POST queues its job; `run_jobs` renders it)."""

import statistics
import time
import tracemalloc
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from .context import Context


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
