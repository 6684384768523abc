"""Reachability checks of the services the intranet depends on, for /healthz."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)

# Apps add checks here (name -> callable returning (ok, detail)), e.g. overdue scheduled
# publishing; they show in /healthz and turn it to 503 when failing.
EXTRA_CHECKS: dict = {}


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


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}


def run_checks():
    """Run every check; returns ({name: {"ok": bool, "detail": str}}, all_ok).

    Details name the kind of service, never hosts, users or passwords.
    """
    results = {}
    for name, check in {**CHECKS, **EXTRA_CHECKS}.items():
        try:
            ok, detail = check()
        except Exception as exc:  # any failure means "not reachable"; log, don't leak
            logger.warning("health check %s failed: %s", name, exc)
            ok, detail = False, exc.__class__.__name__
        results[name] = {"ok": bool(ok), "detail": str(detail)}
    return results, all(r["ok"] for r in results.values())
