"""What a run reports: the machine it ran on, the targets of issue 6 and which of them hold,
and the table printed at the end."""

import json
import os
import platform
import statistics

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
    # Issue 20: every main page under load at >= 25 % of the limit's requests/s (the
    # dashboard 40 %), every write <= 15 queries in the request, the same at any size.
    "page_throughput_ratio_to_limit": 0.25,
    "write_max_queries": 15,
}


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
    for name, r in thr.items() if isinstance(thr, dict) else ():
        if not isinstance(r, dict) or name.startswith("limit"):
            continue
        target = (
            TARGETS["dashboard_throughput_ratio_to_limit"]
            if name.startswith("dashboard")
            else TARGETS["page_throughput_ratio_to_limit"]
        )
        verdict.setdefault("throughput", {})[name] = {
            "ratio_to_limit": r.get("ratio_to_limit"),
            "target": target,
            "holds": r["ratio_to_limit"] >= target if "ratio_to_limit" in r else None,
        }
    for name, r in results.get("writes", {}).items():
        if "queries" in r:
            verdict.setdefault("writes", {})[name] = {
                "max_15_queries": r["queries"] <= TARGETS["write_max_queries"],
                "applied": r.get("applied"),
            }
    for name, r in results.get("deep_pages", {}).items():
        if "ratios" in r:
            verdict.setdefault("deep_pages", {})[name] = {
                "ratios": r["ratios"],
                "all_within_25pct": max(r["ratios"]) <= TARGETS["deep_page_ratio"],
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
    print_writes(results.get("writes", {}))
    print_deep(results.get("deep_pages", {}))
    print_load(results.get("throughput", {}))
    for name, r in results.get("memory", {}).items():
        print(f"memory {name}: {json.dumps(r)}")
    for name, r in results["scenarios"].items():
        if "job" in r:
            print(f"job {name} (worker): {json.dumps(r['job'])}")


def _mark(ok) -> str:
    return "-" if ok is None else ("ja" if ok else "NEIN")


def print_load(thr: dict) -> None:
    """The load table: req/s, p50/p95 under wrk and the ratio to the limit of the same run."""
    if not thr:
        return
    print()
    if "rps" not in thr.get("limit", {}):
        print(f"Last: {json.dumps(thr, ensure_ascii=False)}")
        return
    rates = [thr[k]["rps"] for k in ("limit", "limit_end") if "rps" in thr.get(k, {})]
    limit = sum(rates) / len(rates)
    duration = thr["limit"].get("duration_s")
    print(f"Last (gunicorn 2 Worker, wrk 8 Verbindungen, {duration} s je Seite)")
    head = (
        f"{'Seite':<30} {'Rolle':<9} {'Anfr./s':>8} {'p50':>8} {'p95':>8} {'Lim.davor':>8}"
        f" {'×Limit':>7} {'×Lauf':>6} {'Ziel':>5} {'hält':>5}"
    )
    print(head)
    print("-" * len(head))
    for name, r in thr.items():
        if "rps" not in r or "error" in r:
            reason = r.get("missing") or r.get("error") or "?"
            print(f"{name:<30} {r.get('role', ''):<9} fehlt/Fehler: {reason}")
            if "rps" not in r:
                continue
        adjacent, ratio, run_ratio, target, ok = "", "", "", "", ""
        if not name.startswith("limit"):
            target_v = 0.40 if name.startswith("dashboard") else 0.25
            near = r.get("limit_rps_adjacent") or limit
            adjacent = f"{near:.1f}"
            ratio = f"{r['rps'] / near:.0%}"
            run_ratio = f"{r['rps'] / limit:.0%}"
            target = f"{target_v:.0%}"
            ok = _mark(r["rps"] / near >= target_v)
        print(
            f"{name:<30} {r.get('role', ''):<9} {r['rps']:>8.1f} {r['p50_ms']:>6.1f}ms"
            f" {r['p95_ms']:>6.1f}ms {adjacent:>8} {ratio:>7} {run_ratio:>6} {target:>5} {ok:>5}"
        )
    print(
        f"(Limit davor: wrk gegen das Limit direkt vor der Seite; ×Lauf: zum Mittel aus Anfang"
        f" und Ende dieses Laufs, {limit:.1f} Anfr./s)"
    )


def print_writes(writes: dict) -> None:
    if not writes:
        return
    print()
    print("Schreiben (POST durch die Views, Zustand vor jeder Wiederholung zurückgesetzt)")
    head = (
        f"{'Schreibvorgang':<18} {'Rolle':<9} {'Median':>8} {'p95':>8} {'Abfr.':>6}"
        f" {'≤15':>5} {'wirkt':>6}  Celery-Aufträge (nur eingereiht)"
    )
    print(head)
    print("-" * len(head))
    for name, r in writes.items():
        if "median_ms" not in r:
            print(f"{name:<18} fehlt/Fehler: {r.get('error') or r}")
            continue
        print(
            f"{name:<18} {r['role']:<9} {r['median_ms']:>6.1f}ms {r['p95_ms']:>6.1f}ms"
            f" {r['queries']:>6} {_mark(r['queries'] <= 15):>5} {_mark(r.get('applied')):>6}"
            f"  {', '.join(r.get('tasks_queued', []))}"
        )


def print_deep(deep: dict) -> None:
    if not deep:
        return
    print()
    print("Tiefe Seiten (Median tiefe Seite / Seite 1, drei Runden; Ziel ≤ 1,25)")
    head = f"{'Liste':<22} {'Blättern':<8} {'Seite':>6} {'Seite 1':>9} {'tief':>9}  Verhältnisse"
    print(head)
    print("-" * len(head))
    for name, r in deep.items():
        if "ratios" not in r:
            print(f"{name:<22} fehlt/Fehler: {r.get('missing') or r.get('error')}")
            continue
        first = statistics.median(x["first_ms"] for x in r["rounds"])
        deep_ms = statistics.median(x["deep_ms"] for x in r["rounds"])
        ratios = " ".join(f"{x:.2f}" for x in r["ratios"])
        ok = _mark(max(r["ratios"]) <= 1.25)
        print(
            f"{name:<22} {r['pagination']:<8} {r['deep_page']:>6} {first:>7.1f}ms"
            f" {deep_ms:>7.1f}ms  {ratios}  {ok}"
        )
