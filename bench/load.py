"""Throughput under concurrency: gunicorn with 2 workers on the benchmark database, wrk for
`duration` seconds against the dashboard and the project list as a logged-in office user,
and against the limit view (anonymous) for the ratio. wrk reports requests/s and, through a
Lua `done` hook, the p95 latency."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LUA = """
wrk.headers["Cookie"] = "sessionid=%(session)s"
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


def wrk(url, *, session: str, duration: int, connections: int = 8) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(LUA % {"session": session})
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


def run_all(users, *, url: str, duration: int = 30) -> dict:
    from django.urls import reverse

    if not shutil.which("wrk"):
        return {"missing": "wrk ist nicht installiert (apt-get install -y wrk)"}
    if not url.startswith("postgres"):
        return {"missing": "Durchsatz wird nur auf PostgreSQL gemessen (2 Worker, eine DB)"}
    session = users.client("office").cookies["sessionid"].value
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-not-secret-" + "x" * 40),
    }
    env.pop("REDIS_URL", None)
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
    try:
        if not _wait_http(base + reverse("bench_limit")):
            return {"error": "gunicorn startete nicht"}
        targets = {
            "limit": reverse("bench_limit"),
            "dashboard": reverse("soest_office:home"),
            "project_list": reverse("projects:list"),
        }
        for name, path in targets.items():
            wrk(base + path, session=session, duration=3)  # warm-up (both workers)
            r = wrk(base + path, session=session, duration=duration)
            r.update(url=path, workers=2, duration_s=duration)
            results[name] = r
            print(f"  Durchsatz {name}: {json.dumps(r)}", flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    return results
