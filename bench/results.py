"""What a run reports: the machine it ran on, the targets of issue 6 and which of them hold,
and the table printed at the end."""

import json
import os
import platform

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
