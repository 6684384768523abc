"""The benchmark runner (`make bench`).

    python -m bench.run [--scale 1] [--seed N] [--reps 30] [--database-url URL]
                        [--no-throughput] [--no-distribution] [--no-writes] [--no-deep]
                        [--only name,name] [--duration 15] [--load-only page,page]

Migrates the benchmark database, generates the dataset if it is not there yet (cached by
scale, seed and migrations), then measures every scenario of issue 6 in-process with Django's
test client as the user of the named role: median and p95 server time over `--reps`
requests after warm-up, the SQL query count and the response size. Pages that do not exist
yet are reported as "missing". Then (issue 20) the writes (`bench.writes`: real POSTs as
their role, timed and query-counted) and the deep pages of every paginated list
(`bench.deep`: page 500 or the deepest against page 1, three rounds); then throughput under
load (`bench.load`: gunicorn + wrk against every main page and the limit), the distribution
of one release through a real Celery worker to a local SMTP sink, and memory of the exports.
Prints the tables and writes bench/results.json (and bench/results-scale<S>.json).

`--only` takes scenario names and the phase names `writes`, `deep`, `throughput`, `import`,
`distribution` (e.g. `--only throughput` runs only the load phase, plus the in-process
references); `--load-only` picks pages of the load phase (scenario names or the short names
of `bench.load.ALIASES`) and implies it.
"""

import argparse
import json
import sys
import time
from pathlib import Path

from . import database
from .contact_import import measure_import
from .measure import Users, body_of, measure, measure_memory
from .results import TARGETS, check_targets, machine, print_table

# `Users` and `body_of` are imported from here by the query-count test and bench.queries.
__all__ = ["Users", "body_of", "main"]

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results.json"


def main(argv=None):
    parser = argparse.ArgumentParser(description="Benchmark des Intranets (Issue 6)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--heavy-reps", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--duration", type=int, default=15, help="Sekunden je Seite unter Last (Standard 15)"
    )
    parser.add_argument("--no-throughput", action="store_true")
    parser.add_argument("--no-distribution", action="store_true")
    parser.add_argument("--no-import", action="store_true")
    parser.add_argument("--no-writes", action="store_true", help="ohne Schreib-Tabelle")
    parser.add_argument("--no-deep", action="store_true", help="ohne tiefe Seiten")
    parser.add_argument(
        "--load-only",
        default="",
        help="nur diese Seiten unter Last (Komma-getrennt, z. B. dashboard,project_list)",
    )
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
    load_only = [n for n in args.load_only.split(",") if n]
    if load_only:
        from . import load

        load.select(load_only)  # unknown names: stop before the long part
    for s in scenarios.build(ctx):
        if (only or load_only) and s.name not in only and s.kind != "reference":
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
    if not args.no_import and (not (only or load_only) or "import" in only):
        print("  Import 10.000 Kontakte …", flush=True)
        results["import"] = measure_import(users)
        save()

    if not args.no_writes and (not (only or load_only) or "writes" in only):
        from . import writes

        results["writes"] = writes.run_all(ctx, users, reps=args.reps)
        save()

    if not args.no_deep and (not (only or load_only) or "deep" in only):
        from . import deep

        results["deep_pages"] = deep.run_all(ctx, users, reps=args.reps)
        save()

    if not args.no_throughput and (not only or "throughput" in only or load_only):
        from . import load

        results["throughput"] = load.run_all(
            users, url=url, duration=args.duration, pages=load.select(load_only), ctx=ctx
        )
        save()

    if not args.no_distribution and (not (only or load_only) or "distribution" in only):
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
