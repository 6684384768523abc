"""Throughput under concurrency (issue 20): gunicorn with 2 sync workers on the benchmark
database and wrk for `duration` seconds against every main page, each as the role its
in-process scenario names (`bench.scenarios`: the same URL, role and query parameters, so
there is one list of pages), and against the limit view (anonymous): right before each page
(the ratio the targets are checked against: the shared machine's load drifts within a run)
and at the start and end of the run. wrk reports requests/s and, through a
Lua `done` hook, p50/p95/p99 latency and the count of non-2xx answers (a page that answers
with a redirect to the login is reported as an error, not as fast)."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LUA = """
%(cookie)s
done = function(summary, latency, requests)
  io.write(string.format(
    "BENCH_JSON {\\"requests\\": %%d, \\"duration_us\\": %%d, \\"non2xx\\": %%d, "
    .. "\\"errors\\": %%d, \\"p50_ms\\": %%.2f, \\"p95_ms\\": %%.2f, \\"p99_ms\\": %%.2f}\\n",
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url, timeout=30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 - local URL
                return r.status == 200
        except OSError:
            time.sleep(0.3)
    return False


def wrk(url, *, session: str | None, duration: int, connections: int = 8) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        cookie = f'wrk.headers["Cookie"] = "sessionid={session}"' if session else ""
        f.write(LUA % {"cookie": cookie})
        script = f.name
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "10s",
                "-s",
                script,
                url,
            ],
            capture_output=True,
            text=True,
            timeout=duration + 60,
            check=False,
        ).stdout
    finally:
        os.unlink(script)
    for line in out.splitlines():
        if line.startswith("BENCH_JSON "):
            data = json.loads(line[len("BENCH_JSON ") :])
            data["rps"] = round(data["requests"] / (data["duration_us"] / 1e6), 1)
            data["p50_ms"] = round(data["p50_ms"], 1)
            data["p95_ms"] = round(data["p95_ms"], 1)
            data["p99_ms"] = round(data["p99_ms"], 1)
            return data
    return {"error": "wrk lieferte kein Ergebnis", "output": out[-500:]}


# The load phase serves as production does: the cache and the sessions (cached_db) in Redis,
# shared by both workers, in a Redis database of its own that is emptied first. Without a
# reachable Redis each worker keeps its own local-memory cache and reads sessions from the
# database; the results say which (`cache`). BENCH_LOAD_REDIS_URL="" measures that way
# on purpose (the embedded default's configuration).
LOAD_REDIS_URL = os.environ.get("BENCH_LOAD_REDIS_URL", "redis://127.0.0.1:6379/12")


def _production_cache(env: dict) -> str:
    """Point the workers' settings at the load phase's Redis database (emptied) when it
    answers; returns the configuration used, for the results."""
    if not LOAD_REDIS_URL:
        return "locmem"
    try:
        import redis

        redis.Redis.from_url(LOAD_REDIS_URL, socket_connect_timeout=2).flushdb()
    except Exception:  # any failure means: measure without Redis
        return "locmem"
    env["REDIS_URL"] = LOAD_REDIS_URL
    return "redis"


# Seconds of the limit loaded right before each page (its ratio's reference).
ADJACENT_LIMIT_S = 5

# The pages under load: names of in-process scenarios (bench/scenarios/pages.py), each
# requested as the role that scenario names.
LOAD_PAGES = [
    "dashboard_office",
    "project_list",
    "project_detail_most_reports",
    "contact_list",
    "contact_detail",
    "report_list",
    "search_common_word",
    "search_partner",
    "suggest_office",
    "suggest_partner",
    "press_list_public",
    "press_detail",
    "rss",
]
# Short names accepted by --load-only (besides the scenario names).
ALIASES = {
    "dashboard": "dashboard_office",
    "project_detail": "project_detail_most_reports",
    "search_office": "search_common_word",
    "suggest": "suggest_office",
    "press_list": "press_list_public",
    "feed": "rss",
}


def select(names) -> list[str]:
    """The load list: every page, or those named (scenario names or the short names)."""
    if not names:
        return list(LOAD_PAGES)
    wanted = [ALIASES.get(n, n) for n in names]
    unknown = [n for n in wanted if n not in LOAD_PAGES]
    if unknown:
        raise SystemExit(f"unbekannte Lastseiten: {', '.join(unknown)} (bekannt: {LOAD_PAGES})")
    return [n for n in LOAD_PAGES if n in wanted]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _status(url, session) -> int:
    request = urllib.request.Request(url)  # noqa: S310 - a local http URL
    if session:
        request.add_header("Cookie", f"sessionid={session}")
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def run_all(users, *, url: str, duration: int = 30, pages=None, ctx=None) -> dict:
    """wrk against the limit, every page of `pages` (default LOAD_PAGES), the limit again."""
    from . import scenarios

    if not shutil.which("wrk"):
        return {"missing": "wrk ist nicht installiert (apt-get install -y wrk)"}
    if not url.startswith("postgres"):
        return {"missing": "Durchsatz wird nur auf PostgreSQL gemessen (2 Worker, eine DB)"}
    pages = list(pages or LOAD_PAGES)
    by_name = {s.name: s for s in scenarios.build(ctx or scenarios.Context())}
    sessions = {"anonymous": None}
    for role in ("office", "partner"):
        sessions[role] = users.client(role).cookies["sessionid"].value
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-not-secret-" + "x" * 40),
    }
    env.pop("REDIS_URL", None)
    cache_config = _production_cache(env)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "soest_office.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    results = {}

    def load(name, path, role, *, adjacent_limit=None):
        session = sessions[role]
        status = _status(base + path, session)
        if status != 200:
            r = {"error": f"HTTP {status}", "url": path, "role": role}
        else:
            if adjacent_limit:
                # The limit right before the page: the shared machine's load drifts within
                # a run, and a page is compared with the limit under the same load.
                lim = wrk(base + adjacent_limit, session=None, duration=ADJACENT_LIMIT_S)
            wrk(base + path, session=session, duration=3)  # warm-up (both workers)
            r = wrk(base + path, session=session, duration=duration)
            if r.get("non2xx"):
                r["error"] = f"{r['non2xx']} Antworten nicht 2xx"
            if adjacent_limit and "rps" in lim:
                r["limit_rps_adjacent"] = lim["rps"]
            r.update(url=path, role=role, workers=2, duration_s=duration, cache=cache_config)
        results[name] = r
        print(f"  Durchsatz {name}: {json.dumps(r)}", flush=True)

    try:
        limit = by_name["limit"]
        if not _wait_http(base + limit.url):
            return {"error": "gunicorn startete nicht"}
        load("limit", limit.url, "anonymous")
        for name in pages:
            s = by_name[name]
            if s.missing:
                results[name] = {"missing": s.missing}
                continue
            load(name, s.url, s.role, adjacent_limit=limit.url)
        # The limit once more at the end: the machine's load drifts during the run; the
        # ratios use the mean of both.
        load("limit_end", limit.url, "anonymous")
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    add_ratios(results)
    return results


def limit_rps(results: dict) -> float | None:
    rates = [results[k]["rps"] for k in ("limit", "limit_end") if "rps" in results.get(k, {})]
    return sum(rates) / len(rates) if rates else None


def add_ratios(results: dict) -> None:
    """`ratio_to_limit`: to the limit measured right before the page (the figure the
    targets are checked against); `ratio_to_run_limit`: to the mean of the run's limits."""
    limit = limit_rps(results)
    for name, r in results.items():
        if "rps" not in r or name.startswith("limit"):
            continue
        if limit:
            r["ratio_to_run_limit"] = round(r["rps"] / limit, 3)
        adjacent = r.get("limit_rps_adjacent") or limit
        if adjacent:
            r["ratio_to_limit"] = round(r["rps"] / adjacent, 3)
