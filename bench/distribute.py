"""Distribution of one press release to the big press list (10,000 recipients at scale ≥ 1)
through a real Celery worker on Redis (db 8 by default) to a local aiosmtpd sink: total
time, mails/s, and whether exactly one mail arrived per recipient.

`run()` is called by bench.run; `python -m bench.distribute send` is the small process that
creates the release and calls the news app's `distribution_send` with the real broker (the
runner itself runs with in-process tasks).
"""

import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
SUBJECT_MARK = "Benchmark-Versand"


class Sink:
    """Counts mails per recipient."""

    def __init__(self):
        self.per_recipient = Counter()
        self.lock = threading.Lock()
        self.first_at = None

    async def handle_DATA(self, server, session, envelope):  # the name aiosmtpd calls
        with self.lock:
            if self.first_at is None:
                self.first_at = time.monotonic()
            for rcpt in envelope.rcpt_tos:
                self.per_recipient[rcpt.lower()] += 1
        return "250 OK"

    @property
    def total(self):
        with self.lock:
            return sum(self.per_recipient.values())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def run(*, url: str, timeout: float = 900) -> dict:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("news:distribution_create", kwargs={"pk": 1})
        from news import mailing  # noqa: F401
    except (NoReverseMatch, ImportError):
        return {"missing": "Versand (news) existiert auf diesem Stand nicht"}
    if not url.startswith("postgres"):
        return {"missing": "Versand wird nur auf PostgreSQL gemessen (Worker braucht eine DB)"}
    if not _redis_reachable():
        return {"missing": "Redis auf 127.0.0.1:6379 nicht erreichbar"}
    import redis
    from aiosmtpd.controller import Controller

    from stakeholders.models import DistributionList

    from .generate import BIG_LIST_NAME

    big = DistributionList.objects.filter(name=BIG_LIST_NAME).first()
    if big is None:
        return {"missing": "großer Presseverteiler fehlt im Datensatz"}
    redis.Redis.from_url(REDIS_URL).flushdb()  # the benchmark's own Redis db only
    sink = Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "REDIS_URL": REDIS_URL,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-not-secret-" + "x" * 40),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "soest_office",
            "worker",
            "--pool=prefork",
            "--concurrency=2",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    result = {}
    try:
        time.sleep(3)  # worker boot; the clock below starts at the send
        started = time.monotonic()
        send = subprocess.run(
            [sys.executable, "-m", "bench.distribute", "send", str(big.pk)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        queued_at = time.monotonic()
        if send.returncode != 0:
            return {"error": "Versand konnte nicht angestoßen werden", "output": send.stderr[-800:]}
        recipients = int(send.stdout.strip().splitlines()[-1])
        deadline = started + timeout
        while sink.total < recipients and time.monotonic() < deadline:
            time.sleep(0.2)
        # Give duplicates (if any) a moment to show up.
        time.sleep(1)
        finished = time.monotonic()
        arrived = sink.total
        total_s = finished - 1 - started
        result = {
            "recipients": recipients,
            "arrived": arrived,
            "distinct_recipients": len(sink.per_recipient),
            "duplicates": arrived - len(sink.per_recipient),
            "total_s": round(total_s, 1),
            "queue_s": round(queued_at - started, 1),
            "mails_per_s": round(arrived / total_s, 1) if total_s > 0 else None,
            "worker_concurrency": 2,
            "timed_out": arrived < recipients,
        }
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)
        controller.stop()
        _cleanup()
    return result


def _cleanup():
    """Remove the benchmark release, its deliveries and the history entries of the mailing,
    so that the dataset stays the same for the next run."""
    from news.models import Distribution, PressRelease
    from stakeholders.models import Interaction

    releases = PressRelease.objects.filter(title__startswith=SUBJECT_MARK)
    Distribution.objects.filter(release__in=releases).delete()
    Interaction.objects.filter(channel="mailing", summary__contains=SUBJECT_MARK).delete()
    for release in releases:
        release.history.all().delete()
    releases.delete()


def send(list_id: int) -> int:
    """Create a published release and send it to the list (tasks go to the real broker)."""
    from django.db import transaction
    from django.utils import timezone

    from news.mailing import distribution_send
    from news.models import PressRelease
    from soest_office.access import Role
    from soest_office.models import User
    from stakeholders.models import DistributionList

    office = User.objects.filter(groups__name=Role.OFFICE.value).order_by("pk").first()
    now = timezone.now()
    with transaction.atomic():
        release = PressRelease.objects.create(
            title=f"{SUBJECT_MARK} {now:%Y-%m-%d %H:%M:%S}",
            slug=f"benchmark-versand-{int(now.timestamp())}",
            dateline="Soest",
            teaser="Messung des Versands an 10.000 Empfängerinnen und Empfänger.",
            body="Der **Benchmark** misst den Versand über einen echten Celery-Worker.",
            status=PressRelease.Status.PUBLISHED,
            published_at=now - timezone.timedelta(seconds=1),
            author=office,
            approved_by=office,
        )
        _distribution, added = distribution_send(
            release=release, user=office, lists=[DistributionList.objects.get(pk=list_id)]
        )
    return added


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "send":
        import django

        django.setup()
        print(send(int(sys.argv[2])))
    else:
        sys.exit("usage: python -m bench.distribute send <list-id>")
