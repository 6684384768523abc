"""Timing one scenario as the user of its role: median and p95 server time over repeated
requests after warm-up, the query count and body size, and the memory one request takes."""

import gc
import statistics
import time
import tracemalloc


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
