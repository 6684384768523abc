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
    for key in ("import", "distribution"):
        if key in results:
            out += ["", f"{key}: `{json.dumps(results[key], ensure_ascii=False)}`"]
    out += render_issue20(results)
    return "\n".join(out)


def render_issue20(results: dict) -> list[str]:
    """The load table, the write table and the deep pages (issue 20) as Markdown."""
    out = []
    thr = results.get("throughput", {})
    if any("rps" in r for r in thr.values() if isinstance(r, dict)):
        out += [
            "",
            "| page (load) | role | req/s | p50 | p95 | limit right before | × limit"
            " | × run's limit |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
        ]
        for name, r in thr.items():
            if "rps" not in r:
                out.append(f"| {name} | | {r.get('missing') or r.get('error')} | | | | | |")
                continue
            near = r.get("limit_rps_adjacent")
            ratio = r.get("ratio_to_limit")
            run = r.get("ratio_to_run_limit")
            out.append(
                f"| {name} | {r.get('role', '')} | {fmt(r['rps'])} | {fmt(r['p50_ms'], ' ms')} | "
                f"{fmt(r['p95_ms'], ' ms')} | {fmt(near)} | "
                f"{'' if ratio is None else f'{ratio:.0%}'} | "
                f"{'' if run is None else f'{run:.0%}'} |"
            )
    writes = results.get("writes", {})
    if writes:
        out += [
            "",
            "| write | role | median | p95 | queries | ≤ 15 | took effect | Celery tasks queued |",
            "|---|---|---:|---:|---:|---|---|---|",
        ]
        for name, r in writes.items():
            if "median_ms" not in r:
                out.append(f"| {name} | | {r.get('error') or r} | | | | | |")
                continue
            out.append(
                f"| {name} | {r['role']} | {fmt(r['median_ms'], ' ms')} | "
                f"{fmt(r['p95_ms'], ' ms')} | {r['queries']} | "
                f"{'yes' if r['queries'] <= 15 else '**no**'} | "
                f"{'yes' if r.get('applied') else '**no**'} | "
                f"{', '.join(r.get('tasks_queued', []))} |"
            )
    deep = results.get("deep_pages", {})
    if deep:
        out += [
            "",
            "| list | paging | deep page | page 1 | deep | ratios (3 rounds) | ≤ 1.25 | queries"
            " | bytes |",
            "|---|---|---|---:|---:|---|---|---|---|",
        ]
        for name, r in deep.items():
            if "ratios" not in r:
                out.append(f"| {name} | | {r.get('missing') or r.get('error')} | | | | | | |")
                continue
            rounds = r["rounds"]
            first = sorted(x["first_ms"] for x in rounds)[1]
            deep_ms = sorted(x["deep_ms"] for x in rounds)[1]
            x = rounds[0]
            out.append(
                f"| {name} | {r['pagination']} | {r['deep_page']} | {fmt(first, ' ms')} | "
                f"{fmt(deep_ms, ' ms')} | {' / '.join(f'{v:.2f}' for v in r['ratios'])} | "
                f"{'yes' if max(r['ratios']) <= 1.25 else '**no**'} | "
                f"{x['first_queries']} / {x['deep_queries']} | "
                f"{fmt(x['first_bytes'])} / {fmt(x['deep_bytes'])} |"
            )
    return out


if __name__ == "__main__":
    from pathlib import Path

    print(render(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))))
