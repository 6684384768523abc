"""Reachability checks of the services the intranet depends on, for /healthz.

The kernel's checks (database, cache, broker) are registered here; apps add theirs from
their own `health.py` (e.g. overdue scheduled publishing). A failing check turns /healthz
to 503.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from .plugins import HEALTH_CHECKS

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class HealthCheck:
    """One line of /healthz: `check() -> (ok, detail)`; an exception counts as not ok."""

    key: str
    check: Callable[[], tuple[bool, str]]
    position: int = 100


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True, connection.vendor


def check_cache():
    key = "healthz:probe"
    cache.set(key, "ok", timeout=10)
    if cache.get(key) != "ok":
        return False, "Wert nicht lesbar"
    return True, settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


def check_broker():
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return True, "in-process (kein REDIS_URL)"
    from soest_office.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return True, "redis"


HEALTH_CHECKS.register(HealthCheck(key="database", check=check_database, position=1))
HEALTH_CHECKS.register(HealthCheck(key="cache", check=check_cache, position=2))
HEALTH_CHECKS.register(HealthCheck(key="broker", check=check_broker, position=3))


def run_checks():
    """Run every check; returns ({name: {"ok": bool, "detail": str}}, all_ok).

    Details name the kind of service, never hosts, users or passwords.
    """
    results = {}
    for entry in HEALTH_CHECKS:
        name = entry.key
        try:
            ok, detail = entry.check()
        except Exception as exc:  # any failure means "not reachable"; log, don't leak
            logger.warning("health check %s failed: %s", name, exc)
            ok, detail = False, exc.__class__.__name__
        results[name] = {"ok": bool(ok), "detail": str(detail)}
    return results, all(r["ok"] for r in results.values())
