"""The writes of issue 20 as scenarios: real POSTs through the views as the role that makes
them, timed (median, p95) and query-counted.

Each write acts on a fixed object of the generated data (the busiest project, its newest
report, the contact with the longest history ...). Before every repetition, outside the
timed part, the rows the write changes are put back to their state before the benchmark
(plain UPDATEs, no signals) and then set to where the write starts (report → draft or
submitted, milestone → open, release → approved); forms are fetched anew (GET of the edit
page, parsed as a browser submits it, `bench.forms`), so each repetition makes the same
change from the same state. After the last repetition the rows are put back and saved once
through the ORM, so the dataset (and what its signals derive, e.g. the search index) is as
before.

What the request hands to Celery is queued, not run (`queued_tasks`), as in production where
the POST only passes the task to Redis; callbacks registered with `transaction.on_commit`
run inside the counted request (also in the tests, which run inside a transaction). Mail goes
to Django's in-memory backend.
"""

import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.urls import reverse

from .forms import form_data
from .measure import percentile

DRAFT, SUBMITTED = "draft", "submitted"


class Rows:
    """The original values of some rows; `restore()` writes them back with UPDATE."""

    def __init__(self):
        self.saved = []

    def keep(self, model, pk):
        values = model._base_manager.filter(pk=pk).values().get()
        values.pop("id", None)
        self.saved.append((model, pk, values))

    def restore(self):
        for model, pk, values in self.saved:
            model._base_manager.filter(pk=pk).update(**values)

    def save_through_orm(self):
        """One ordinary save of each kept row (signals: search index, caches)."""
        for model, pk, _ in self.saved:
            model._base_manager.get(pk=pk).save()


@dataclass
class Write:
    name: str
    label: str
    role: str
    url: str
    # Before each repetition (outside the timing): reset the state, return the POST data.
    before: Callable[[object, int], dict]
    # After the POST: did the write take effect? (checked on the counted request)
    applied: Callable[[], bool]
    rows: Rows = field(default_factory=Rows)
    expect_status: int = 302
    restore_extra: Callable[[], None] | None = None  # after the last repetition

    def post(self, client, data):
        """The POST the user waits for, with on_commit callbacks run inside it."""
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            return client.post(self.url, data)

    def teardown(self):
        self.rows.restore()
        if self.restore_extra is not None:
            self.restore_extra()
        self.rows.save_through_orm()


@contextmanager
def queued_tasks():
    """Celery tasks started meanwhile are recorded by name instead of run (in production the
    request only hands them to the broker)."""
    from unittest import mock

    from celery.app.task import Task

    names: list[str] = []

    def apply_async(self, args=None, kwargs=None, **options):
        names.append(self.name.rsplit(".", 1)[-1])

    with mock.patch.object(Task, "apply_async", apply_async):
        yield names


@contextmanager
def write_environment():
    from django.test import override_settings

    with (
        queued_tasks() as names,
        override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
    ):
        yield names


def _edit_form(client, url, field_name):
    response = client.get(url)
    if response.status_code != 200:
        raise LookupError(f"Formular {url}: HTTP {response.status_code}")
    return form_data(response.content.decode(), field_name)


def build(ctx, users) -> list[Write]:
    """The writes of issue 20, on the objects of the generated data."""
    from news.models import PressRelease
    from projects.models import Milestone, Notification, ProgressReport, Project
    from projects.rules import COMPLETE, CONTRIBUTE
    from soest_office.models import Municipality
    from stakeholders.models import Contact, Tag

    partner = users.users["partner"]
    writes = []

    # 1. Master data of the busiest project (most reports), saved by the office: the title
    #    changes (the case of the issue: re-indexing and history in the request).
    project = Project.objects.get(slug=ctx.project_most_reports()["slug"])
    edit_url = reverse("projects:edit", kwargs={"slug": project.slug})
    w = Write(
        "project_save",
        "Projekt-Stammdaten speichern (Titel)",
        "office",
        edit_url,
        before=None,
        applied=lambda p=project: Project.objects.get(pk=p.pk).title.endswith("(geändert)"),
    )
    w.rows.keep(Project, project.pk)
    original_partners = list(project.participating_municipalities.all())
    w.restore_extra = lambda p=project, m=original_partners: p.participating_municipalities.set(m)
    # One participating municipality at every size (the form reads the chosen ones back:
    # one query more when there are any), not the lead itself.
    partner_town = Municipality.objects.exclude(pk=project.lead_municipality_id).order_by("pk")[0]

    def before_project(client, rep, w=w, project=project, edit_url=edit_url):
        w.rows.restore()
        project.participating_municipalities.set([partner_town])
        data = _edit_form(client, edit_url, "title")
        data["title"] = f"{project.title} (geändert)"
        return data

    w.before = before_project
    writes.append(w)

    # Reports: the newest report of the busiest project the partner may report on (submit),
    # and of the busiest project (accept and return, by the office).
    own = (
        Project.objects.permitted(partner, CONTRIBUTE)
        .annotate(n=Count("reports"))
        .order_by("-n", "pk")
        .first()
    )
    if own is None:
        raise LookupError("das Kommune-Konto hat kein eigenes Projekt")
    own_report = ProgressReport.objects.filter(project=own).order_by("-reporting_date", "-pk")[0]
    w = Write(
        "report_submit",
        "Bericht einreichen (Kommune)",
        "partner",
        reverse("projects:report_submit", kwargs={"slug": own.slug, "pk": own_report.pk}),
        before=None,
        applied=lambda r=own_report: ProgressReport.objects.get(pk=r.pk).status == SUBMITTED,
    )
    w.rows.keep(ProgressReport, own_report.pk)

    def before_submit(client, rep, w=w, report=own_report):
        w.rows.restore()
        ProgressReport._base_manager.filter(pk=report.pk).update(
            status=DRAFT, author_id=partner.pk, submitted_at=None
        )
        return {}

    w.before = before_submit
    writes.append(w)

    newest = ProgressReport.objects.filter(project=project).order_by("-reporting_date", "-pk")[0]
    for name, label, url_name, data, status in (
        (
            "report_accept",
            "Bericht annehmen (Projektbüro)",
            "projects:report_accept",
            {},
            "accepted",
        ),
        (
            "report_return",
            "Bericht zurückgeben (Projektbüro)",
            "projects:report_return",
            {"comment": "Bitte die Ausgaben bis Ende des Quartals ergänzen."},
            "returned",
        ),
    ):
        w = Write(
            name,
            label,
            "office",
            reverse(url_name, kwargs={"slug": project.slug, "pk": newest.pk}),
            before=None,
            applied=lambda r=newest, s=status: ProgressReport.objects.get(pk=r.pk).status == s,
        )
        w.rows.keep(ProgressReport, newest.pk)
        w.rows.keep(Project, project.pk)

        def before_review(client, rep, w=w, report=newest, data=data):
            w.rows.restore()
            # The newest report: accepting it carries its light and figures into the project.
            # Its light differs from the project's, so that every repetition (and every data
            # size) takes the same path: the light changes and its watchers are notified.
            light = Project._base_manager.filter(pk=report.project_id).values_list(
                "traffic_light", flat=True
            )[0]
            ProgressReport._base_manager.filter(pk=report.pk).update(
                status=SUBMITTED,
                traffic_light="red" if light != "red" else "yellow",
                traffic_light_reason="Verzug beim Ausschreibungsverfahren",
            )
            return dict(data)

        w.before = before_review
        writes.append(w)

    # A milestone of the partner's busiest project, ticked by the partner.
    milestone = (
        Milestone.objects.permitted(partner, COMPLETE)
        .filter(project=own)
        .order_by("due_date", "pk")
        .first()
    ) or Milestone.objects.permitted(partner, COMPLETE).order_by("pk").first()
    if milestone is None:
        raise LookupError("kein Meilenstein, den das Kommune-Konto abhaken darf")
    w = Write(
        "milestone_done",
        "Meilenstein abhaken (Kommune)",
        "partner",
        reverse(
            "projects:milestone_done", kwargs={"slug": milestone.project.slug, "pk": milestone.pk}
        ),
        before=None,
        applied=lambda m=milestone: Milestone.objects.get(pk=m.pk).done_date is not None,
    )
    w.rows.keep(Milestone, milestone.pk)

    def before_milestone(client, rep, w=w, milestone=milestone):
        w.rows.restore()
        Milestone._base_manager.filter(pk=milestone.pk).update(done_date=None)
        return {"done": "1"}

    w.before = before_milestone
    writes.append(w)

    # The contact with the longest history, edited by the office (function changed).
    contact = Contact.objects.get(pk=ctx.contact_most_history()["contact_id"])
    contact_url = reverse("stakeholders:contact_update", kwargs={"pk": contact.pk})
    w = Write(
        "contact_save",
        "Kontakt bearbeiten (Funktion)",
        "office",
        contact_url,
        before=None,
        applied=lambda c=contact: Contact.objects.get(pk=c.pk).function == "Leitung Bench",
    )
    w.rows.keep(Contact, contact.pk)
    original_tags = list(contact.tags.all())
    w.restore_extra = lambda contact=contact, tags=original_tags: contact.tags.set(tags)

    tags = list(Tag.objects.order_by("pk")[:1])

    def before_contact(client, rep, w=w, url=contact_url, contact=contact, tags=tags):
        w.rows.restore()
        # One tag at every size: the form looks each tag up by name (get_or_create, one
        # query per tag; django-zeal calls two of them an N+1), so the count would follow
        # the chosen contact's tags.
        contact.tags.set(tags)
        data = _edit_form(client, url, "function")
        data["function"] = "Leitung Bench"
        return data

    w.before = before_contact
    writes.append(w)

    # A release the editors approved (or the oldest one), published by the office.
    release = (
        PressRelease.objects.filter(status=PressRelease.Status.APPROVED).order_by("pk").first()
        or PressRelease.objects.order_by("pk").first()
    )
    if release is None:
        raise LookupError("keine Pressemitteilung")
    w = Write(
        "release_publish",
        "Pressemitteilung veröffentlichen",
        "office",
        reverse("news:editorial_action", kwargs={"pk": release.pk, "action": "veroeffentlichen"}),
        before=None,
        applied=lambda r=release: PressRelease.objects.get(pk=r.pk).status == "published",
    )
    w.rows.keep(PressRelease, release.pk)

    def before_release(client, rep, w=w, release=release):
        w.rows.restore()
        PressRelease._base_manager.filter(pk=release.pk).update(
            status=PressRelease.Status.APPROVED, published_at=None, publish_at=None
        )
        return {}

    w.before = before_release
    writes.append(w)

    # Notifications are unique per recipient and cause; the cause of a submission holds its
    # second. Without this a repetition would meet the previous one's notifications and take
    # the "already notified" path (or not, by the clock): every repetition starts without the
    # notifications the benchmark's writes made.
    newest_notification = Notification.objects.aggregate(m=Max("pk"))["m"] or 0

    def forget_notifications():
        Notification.objects.filter(pk__gt=newest_notification).delete()

    for w in writes:
        w.before = _after(forget_notifications, w.before)
        w.restore_extra = _after(forget_notifications, w.restore_extra)
    return writes


def _after(first, then):
    def both(*args):
        first()
        return then(*args) if then is not None else None

    return both


def is_transaction_control(sql: str) -> bool:
    """Transaction bookkeeping: inside a test's transaction every atomic block becomes a
    SAVEPOINT / RELEASE pair; outside one (`make bench`) the outermost block is BEGIN and
    COMMIT, which psycopg logs on PostgreSQL. Neither reads or writes data, and which of the
    two a write sends depends on where it runs, not on the write. The write budget (15)
    counts the statements that read or write data; the bookkeeping is reported beside it
    (`savepoints`)."""
    head = sql.lstrip().upper()
    return head.startswith(
        ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN", "COMMIT", "ROLLBACK")
    )


def count(w: Write, client) -> tuple[int, int, list[str], bool, int]:
    """One write, as the query-count test and the runner make it: status, queries (without
    savepoint statements), queued tasks, applied, savepoint statements. The state is reset
    before (and a warm-up write made first)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with write_environment() as tasks:
        w.post(client, w.before(client, 0))  # warm-up: per-process caches
        data = w.before(client, 1)
        del tasks[:]
        with CaptureQueriesContext(connection) as captured:
            response = w.post(client, data)
        statements = [q["sql"] for q in captured.captured_queries]
        savepoints = sum(1 for sql in statements if is_transaction_control(sql))
        return (
            response.status_code,
            len(statements) - savepoints,
            list(tasks),
            w.applied(),
            savepoints,
        )


def measure_write(w: Write, users, *, reps: int, warmup: int = 2) -> dict:
    client = users.client(w.role)
    try:
        with write_environment():
            for rep in range(warmup):
                response = w.post(client, w.before(client, rep))
            if response.status_code != w.expect_status:
                return {"status": response.status_code, "error": f"HTTP {response.status_code}"}
            times = []
            for rep in range(reps):
                data = w.before(client, rep)
                started = time.perf_counter()
                w.post(client, data)
                times.append((time.perf_counter() - started) * 1000)
        status, queries, tasks, applied, savepoints = count(w, client)
    finally:
        w.teardown()
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "queries": queries,
        "savepoints": savepoints,
        "status": status,
        "applied": applied,
        "tasks_queued": tasks,
        "requests": reps,
        "role": w.role,
        "url": w.url,
    }


def run_all(ctx, users, *, reps: int, only=frozenset()) -> dict:
    import json

    results = {}
    try:
        writes = build(ctx, users)
    except LookupError as exc:
        return {"_missing": str(exc)}
    for w in writes:
        if only and w.name not in only and "writes" not in only:
            continue
        r = measure_write(w, users, reps=reps)
        r["label"] = w.label
        results[w.name] = r
        shown = {k: r.get(k) for k in ("median_ms", "p95_ms", "queries", "status", "applied")}
        print(f"  Schreiben {w.name:<24} {json.dumps(shown)}", flush=True)
    return results
