"""The benchmark runner (`make bench`).

    python -m bench.run [--scale 1] [--seed N] [--reps 30] [--database-url URL]
                        [--no-throughput] [--no-distribution] [--only name,name]

Migrates the benchmark database, generates the dataset if it is not there yet (cached by
scale, seed and migrations), then measures every scenario of issue 6 in-process with Django's
test client as the user of the named role: median and p95 server time over `--reps`
requests after warm-up, the SQL query count and the response size. Pages that do not exist
yet are reported as "missing". Then throughput (gunicorn + wrk), the distribution of one
release through a real Celery worker to a local SMTP sink, and memory of the exports.
Prints a table and writes bench/results.json (and bench/results-scale<S>.json).
"""

import argparse
import csv
import gc
import io
import json
import os
import platform
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

from . import database

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results.json"

TARGETS = {
    "list_max_queries": 12,
    "detail_max_queries": 15,
    "median_ms": 60,
    "suggest_median_ms": 30,  # issue 9: the header box's suggestions as one types
    "p95_ms": 150,
    "deep_page_ratio": 1.25,
    "import_10000_s": 10,
    "distribution_10000_s": 60,
    "dashboard_throughput_ratio_to_limit": 0.40,
}


def percentile(values, p):
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


class Users:
    """One logged-in test client per role (sessions live in the benchmark database)."""

    def __init__(self):
        from django.contrib.auth import get_user_model
        from django.test import Client

        from soest_office.access import Role

        User = get_user_model()
        office = User.objects.filter(groups__name=Role.OFFICE.value).order_by("pk").first()
        partner = (
            User.objects.filter(groups__name=Role.PARTNER.value, municipality__slug="soest")
            .order_by("pk")
            .first()
        )
        admin, _ = User.objects.get_or_create(
            username="bench-admin",
            defaults={
                "email": "bench-admin@modellregion-soest.de",
                "is_staff": True,
                "is_superuser": True,
            },
        )
        self.clients = {"anonymous": Client()}
        for role, user in (("office", office), ("partner", partner), ("admin", admin)):
            client = Client()
            client.force_login(user)
            self.clients[role] = client
        self.users = {"office": office, "partner": partner, "admin": admin}

    def client(self, role):
        return self.clients[role]


def measure(scenario, users, *, reps, warmup=3) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = users.client(scenario.role)
    for _ in range(warmup):
        scenario.prepare()
        response = scenario.fetch(client)
        body_of(response)
    if response.status_code != scenario.expect_status:
        return {"status": response.status_code, "error": f"HTTP {response.status_code}"}
    times = []
    for _ in range(reps):
        scenario.prepare()
        started = time.perf_counter()
        response = scenario.fetch(client)
        body = body_of(response)
        times.append((time.perf_counter() - started) * 1000)
    scenario.prepare()
    with CaptureQueriesContext(connection) as captured:
        body = body_of(scenario.fetch(client))
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "queries": len(captured.captured_queries),
        "bytes": len(body),
        "requests": reps,
        "status": response.status_code,
        "role": scenario.role,
        "url": scenario.url,
    }


def measure_memory(scenario, users) -> dict:
    """Peak Python allocation (tracemalloc) and RSS growth while serving one request."""
    client = users.client(scenario.role)
    gc.collect()
    before = rss_mb()
    tracemalloc.start()
    response = scenario.fetch(client)
    streamed = getattr(response, "streaming", False)
    size = 0
    # A streamed body is read chunk by chunk and dropped, as a WSGI server sends it, so
    # that the figure shows what the view holds, not the whole body joined here.
    for chunk in response.streaming_content if streamed else [response.content]:
        size += len(chunk)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "streamed": streamed,
        "bytes": size,
        "peak_alloc_mb": round(peak / 2**20, 1),
        "rss_growth_mb": round(rss_mb() - before, 1),
        "rss_mb": round(rss_mb(), 1),
    }


def import_csv(n: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Anrede", "Vorname", "Nachname", "E-Mail", "Organisation", "Telefon"])
    for i in range(n):
        writer.writerow(
            [
                "Frau" if i % 2 else "Herr",
                f"Vorname{i}",
                f"Importiert{i}",
                f"import{i}@import.bench.example.de",
                f"Import-Organisation {i % 200}",
                f"02921 {10000 + i}",
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def measure_import(users, *, rows=10_000, reps=1) -> dict:
    """Upload → mapping → preview → commit of `rows` contacts as the office, timed end to
    end through the views; the imported contacts are removed again afterwards."""
    from django.urls import NoReverseMatch, reverse

    from stakeholders.models import Contact, ImportJob, Organisation

    try:
        upload_url = reverse("stakeholders:import_upload")
    except NoReverseMatch:
        return {"missing": "URL-Name 'stakeholders:import_upload' existiert (noch) nicht"}
    client = users.client("office")
    data = import_csv(rows)
    totals, steps = [], {}

    def cleanup():
        Contact.objects.filter(email__endswith="@import.bench.example.de").delete()
        Organisation.objects.filter(name__startswith="Import-Organisation ").delete()

    cleanup()
    # The search app re-indexes every contact, organisation and interaction after any import
    # (a Celery task in production, in-process here): minutes at scale 1, reported in the
    # README as a finding. The import itself is measured without it.
    from django.db.models.signals import post_save

    from stakeholders import search as stakeholders_search

    uid = "stakeholders-search-import"
    hook_off = post_save.disconnect(sender=ImportJob, dispatch_uid=uid)
    try:
        result = _import_reps(client, upload_url, data, reps, totals, steps, cleanup)
    finally:
        if hook_off:
            post_save.connect(stakeholders_search._import_done, sender=ImportJob, dispatch_uid=uid)
    if isinstance(result, dict):
        return result
    token, imported = result
    done = [v for v in steps.pop("commit_until_done_s") if v is not None]
    upload_to_done = steps["upload_s"][0] + steps["mapping_s"][0] + steps["preview_s"][0]
    return {
        "rows": rows,
        "imported": imported,
        "total_s": round(upload_to_done + statistics.median(done), 2) if done else None,
        "total_with_on_commit_tasks_s": round(statistics.median(totals), 2),
        "commit_until_done_s": round(statistics.median(done), 2) if done else None,
        **{k: round(statistics.median(v), 2) for k, v in steps.items()},
        "requests": reps,
        "status": ImportJob.objects.get(token=token).status,
        "search_reindex_hook": "disconnected during the measurement" if hook_off else "none",
    }


def _import_reps(client, upload_url, data, reps, totals, steps, cleanup):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse
    from django.utils import timezone

    from stakeholders.models import Contact, ImportJob

    for _ in range(reps):
        t0 = time.perf_counter()
        response = client.post(
            upload_url,
            {"file": SimpleUploadedFile("kontakte.csv", data, content_type="text/csv")},
        )
        if response.status_code != 302:
            return {"error": f"Upload: HTTP {response.status_code}"}
        token = response.url.rstrip("/").split("/")[-2]
        job = ImportJob.objects.get(token=token)
        t1 = time.perf_counter()
        form = {f"col_{i}": job.mapping.get(h, "") for i, h in enumerate(job.headers)}
        form["duplicate_mode"] = "skip"
        response = client.post(reverse("stakeholders:import_mapping", args=[token]), form)
        if response.status_code != 302:
            return {"error": f"Zuordnung: HTTP {response.status_code}"}
        t2 = time.perf_counter()
        response = client.get(reverse("stakeholders:import_preview", args=[token]))
        t3 = time.perf_counter()
        commit_started_at = timezone.now()
        response = client.post(reverse("stakeholders:import_commit", args=[token]))
        t4 = time.perf_counter()
        imported = Contact.objects.filter(email__endswith="@import.bench.example.de").count()
        # The import is done when the job is; with in-process tasks the commit call also
        # runs what was queued on commit (e.g. a search re-index), which in production runs
        # in a worker after the import. Both figures are reported.
        finished = ImportJob.objects.get(token=token).finished_at
        steps.setdefault("commit_until_done_s", []).append(
            (finished - commit_started_at).total_seconds() if finished else None
        )
        totals.append(t4 - t0)
        for name, value in (
            ("upload_s", t1 - t0),
            ("mapping_s", t2 - t1),
            ("preview_s", t3 - t2),
            ("commit_s", t4 - t3),
        ):
            steps.setdefault(name, []).append(value)
        cleanup()
    return token, imported


def machine() -> dict:
    from django.db import connection

    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = 0
    try:
        with open("/proc/meminfo") as f:
            mem = int(f.readline().split()[1]) // 1024
    except OSError:
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        db_version = cursor.fetchone()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_mb": mem,
        "python": platform.python_version(),
        "django": __import__("django").get_version(),
        "database": f"{connection.vendor} {db_version}",
        "platform": platform.platform(),
        # Other processes share the cores: the load average says how quiet the machine was.
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def check_targets(results: dict) -> dict:
    """Which targets of the issue hold in this run (None: not measured)."""
    pages = results["scenarios"]
    limit = results["references"].get("limit", {})
    peer = results["references"].get("peer", {})
    verdict = {}
    for name, r in pages.items():
        if "median_ms" not in r:
            continue
        kind = r.get("kind")
        max_q = TARGETS["list_max_queries"] if kind == "list" else TARGETS["detail_max_queries"]
        verdict[name] = {
            "queries_ok": r["queries"] <= max_q if kind != "export" else None,
            "median_ok": r["median_ms"]
            <= TARGETS["suggest_median_ms" if name.startswith("suggest_") else "median_ms"],
            "p95_ok": r["p95_ms"] <= TARGETS["p95_ms"],
            "not_slower_than_peer": r["median_ms"] <= peer["median_ms"]
            if "median_ms" in peer
            else None,
        }
    for deep, first in (
        ("contact_list_page500", "contact_list"),
        ("report_list_page500", "report_list"),
    ):
        if "median_ms" in pages.get(deep, {}) and "median_ms" in pages.get(first, {}):
            verdict[deep]["deep_within_25pct"] = (
                pages[deep]["median_ms"] <= pages[first]["median_ms"] * TARGETS["deep_page_ratio"]
            )
    imp = results.get("import", {})
    if "total_s" in imp:
        verdict["import"] = {"under_10s": imp["total_s"] <= TARGETS["import_10000_s"]}
    dist = results.get("distribution", {})
    if "total_s" in dist:
        verdict["distribution"] = {
            "under_60s": dist["total_s"] <= TARGETS["distribution_10000_s"],
            "all_arrived": dist.get("arrived") == dist.get("recipients"),
        }
    thr = results.get("throughput", {})
    if "rps" in thr.get("dashboard", {}) and "rps" in thr.get("limit", {}):
        ratio = thr["dashboard"]["rps"] / thr["limit"]["rps"]
        verdict["throughput"] = {
            "dashboard_ratio_to_limit": round(ratio, 3),
            "at_least_40pct": ratio >= TARGETS["dashboard_throughput_ratio_to_limit"],
        }
    if limit:
        verdict["_limit_median_ms"] = limit.get("median_ms")
    return verdict


def print_table(results: dict) -> None:
    limit = results["references"].get("limit", {}).get("median_ms")
    peer = results["references"].get("peer", {}).get("median_ms")
    head = (
        f"{'Szenario':<34} {'Rolle':<9} {'Median':>8} {'p95':>8} {'Abfr.':>6} {'Bytes':>10}"
        f" {'×Limit':>7} {'×Peer':>6}"
    )
    print()
    print(
        f"Skala {results['scale']:g}, {results['machine']['database']}, "
        f"{results['machine']['cores']} Kerne"
    )
    print(head)
    print("-" * len(head))
    rows = list(results["scenarios"].items()) + list(results["references"].items())
    for name, r in rows:
        if "median_ms" not in r:
            reason = r.get("missing") or r.get("error") or "?"
            print(f"{name:<34} {'':<9} {'fehlt: ' + reason}")
            continue
        x_limit = f"{r['median_ms'] / limit:.1f}" if limit else "-"
        x_peer = f"{r['median_ms'] / peer:.2f}" if peer else "-"
        print(
            f"{name:<34} {r['role']:<9} {r['median_ms']:>6.1f}ms {r['p95_ms']:>6.1f}ms"
            f" {r['queries']:>6} {r['bytes']:>10} {x_limit:>7} {x_peer:>6}"
        )
    for key in ("import", "distribution"):
        if key in results:
            print(f"{key}: {json.dumps(results[key], ensure_ascii=False)}")
    for name, r in results.get("throughput", {}).items():
        print(f"throughput {name}: {json.dumps(r, ensure_ascii=False)}")
    for name, r in results.get("memory", {}).items():
        print(f"memory {name}: {json.dumps(r)}")
    for name, r in results["scenarios"].items():
        if "job" in r:
            print(f"job {name} (worker): {json.dumps(r['job'])}")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Benchmark des Intranets (Issue 6)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--heavy-reps", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--duration", type=int, default=30, help="Sekunden je Lastlauf")
    parser.add_argument("--no-throughput", action="store_true")
    parser.add_argument("--no-distribution", action="store_true")
    parser.add_argument("--no-import", action="store_true")
    parser.add_argument(
        "--keep-dataset",
        action="store_true",
        help="vorhandenen Datensatz gleicher Skala und Saat behalten (kein Neuaufbau)",
    )
    parser.add_argument("--only", default="", help="nur diese Szenarien (Komma-getrennt)")
    args = parser.parse_args(argv)

    url = database.choose_url(args.database_url)
    database.setup_django(url)

    from . import generate, scenarios

    seed = args.seed if args.seed is not None else generate.DEFAULT_SEED
    started = time.monotonic()
    dataset = generate.ensure_dataset(scale=args.scale, seed=seed, keep=args.keep_dataset)

    from django.db import connection

    results = {
        "scale": args.scale,
        "seed": seed,
        "database": connection.vendor,
        "machine": machine(),
        "dataset": dataset,
        "targets": TARGETS,
        "scenarios": {},
        "references": {},
    }
    users = Users()
    ctx = scenarios.Context()
    only = {s for s in args.only.split(",") if s}
    for s in scenarios.build(ctx):
        if only and s.name not in only and s.kind != "reference":
            continue
        target = results["references"] if s.kind == "reference" else results["scenarios"]
        if s.missing:
            target[s.name] = {"missing": s.missing, "label": s.label}
            print(f"  {s.name:<34} fehlt: {s.missing}", flush=True)
            continue
        reps = args.heavy_reps if s.heavy else args.reps
        r = measure(s, users, reps=reps)
        r.update(label=s.label, kind=s.kind)
        target[s.name] = r
        shown = {k: r.get(k) for k in ("median_ms", "p95_ms", "queries", "bytes", "status")}
        print(f"  {s.name:<34} {json.dumps(shown)}", flush=True)
        if s.kind == "export":
            results.setdefault("memory", {})[s.name] = measure_memory(s, users)
        if s.job:
            # The timed request only queued the job; its own runtime (the worker's) apart.
            r["job"] = s.run_jobs(reps=args.heavy_reps)
            print(f"  {s.name + ' (Auftrag)':<34} {json.dumps(r['job'])}", flush=True)

    def save():
        text = json.dumps(results, indent=2, ensure_ascii=False, default=str)
        RESULTS.write_text(text + "\n", encoding="utf-8")

    save()
    if not args.no_import and (not only or "import" in only):
        print("  Import 10.000 Kontakte …", flush=True)
        results["import"] = measure_import(users)
        save()

    if not args.no_throughput and (not only or "throughput" in only):
        from . import load

        results["throughput"] = load.run_all(users, url=url, duration=args.duration)
        save()

    if not args.no_distribution and (not only or "distribution" in only):
        from . import distribute

        results["distribution"] = distribute.run(url=url)

    results["verdict"] = check_targets(results)
    results["total_seconds"] = round(time.monotonic() - started, 1)
    text = json.dumps(results, indent=2, ensure_ascii=False, default=str)
    RESULTS.write_text(text + "\n", encoding="utf-8")
    (BENCH_DIR / f"results-scale{args.scale:g}-{connection.vendor}.json").write_text(
        text + "\n", encoding="utf-8"
    )
    print_table(results)
    print(f"\nErgebnis: {RESULTS} ({results['total_seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
