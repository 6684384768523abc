"""Render a results file as Markdown tables (for bench/README.md).

python -m bench.report bench/results-scale1-postgresql.json
"""

import json
import sys


def fmt(value, unit=""):
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.1f}{unit}".replace(",", " ")
    return f"{value:,}{unit}".replace(",", " ")


def render(results: dict) -> str:
    limit = results["references"].get("limit", {}).get("median_ms")
    peer = results["references"].get("peer", {}).get("median_ms")
    m = results["machine"]
    out = [
        f"Scale {results['scale']:g}, seed {results['seed']}, {m['database']}, "
        f"{m['cores']} cores ({m['cpu']}), load average at the start {m.get('load_average')}",
        "",
        "| scenario | role | median | p95 | queries | bytes | × limit | × peer |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    rows = list(results["scenarios"].items()) + list(results["references"].items())
    for name, r in rows:
        if "median_ms" not in r:
            out.append(f"| {name} | | missing: {r.get('missing') or r.get('error')} | | | | | |")
            continue
        x_limit = f"{r['median_ms'] / limit:.0f}" if limit else "–"
        x_peer = f"{r['median_ms'] / peer:.2f}" if peer else "–"
        reps = f" ({r['requests']} req.)" if r.get("requests", 30) < 30 else ""
        out.append(
            f"| {name}{reps} | {r['role']} | {fmt(r['median_ms'], ' ms')} | "
            f"{fmt(r['p95_ms'], ' ms')} | {r['queries']} | {fmt(r['bytes'])} | {x_limit} | "
            f"{x_peer} |"
        )
    if results.get("memory"):
        out += [
            "",
            "| export | peak Python allocation | RSS growth | RSS after |",
            "|---|---:|---:|---:|",
        ]
        for name, r in results["memory"].items():
            out.append(
                f"| {name} | {fmt(r['peak_alloc_mb'], ' MB')} | {fmt(r['rss_growth_mb'], ' MB')}"
                f" | {fmt(r['rss_mb'], ' MB')} |"
            )
    jobs = {name: r["job"] for name, r in results["scenarios"].items() if "job" in r}
    if jobs:
        out += [
            "",
            "Background exports: the rows above time the POST that queues the job; the job",
            "itself (the worker's time, memory and queries):",
            "",
            "| job | runs | median | max | queries | bytes | peak Python allocation |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for name, j in jobs.items():
            out.append(
                f"| {name} | {j.get('runs')} | {fmt(j.get('median_ms'), ' ms')} | "
                f"{fmt(j.get('max_ms'), ' ms')} | {fmt(j.get('queries'))} | "
                f"{fmt(j.get('bytes'))} | {fmt(j.get('peak_alloc_mb'), ' MB')} |"
            )
    for key in ("import", "distribution", "throughput"):
        if key in results:
            out += ["", f"{key}: `{json.dumps(results[key], ensure_ascii=False)}`"]
    return "\n".join(out)


if __name__ == "__main__":
    from pathlib import Path

    print(render(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))))
