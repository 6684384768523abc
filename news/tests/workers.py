"""More control over real Celery workers than tests/workers.py gives: the worker runs in
its own process group (so SIGKILL takes the pool children too, as a crashed host would),
and the test's queue is the default queue on both sides."""

import os
import signal
import subprocess
import sys
from contextlib import contextmanager, suppress
from pathlib import Path

from django.conf import settings

from soest_office.celery import app
from tests.workers import test_database_url

ROOT = Path(__file__).resolve().parents[2]


def start_worker(*, queue: str, extra_env: dict | None = None, concurrency: int = 1, log=None):
    env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "false",
        "NEWS_TEST_QUEUE": queue,
        **(extra_env or {}),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "news.tests.worker_main",
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=log or subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def kill_hard(process) -> None:
    """SIGKILL the worker and its pool children at once: nothing gets to clean up."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=20)


def stop(process) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        kill_hard(process)
    except ProcessLookupError:
        pass


@contextmanager
def routed_to(queue: str):
    """Tasks queued by the test process go to `queue` while the block runs."""
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        yield queue
    finally:
        app.conf.task_default_queue = previous


@contextmanager
def workers(*, queue: str, count: int = 1, **kwargs):
    processes = [start_worker(queue=queue, **kwargs) for _ in range(count)]
    try:
        yield processes
    finally:
        for process in processes:
            stop(process)
