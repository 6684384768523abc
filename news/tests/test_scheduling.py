"""Scheduled publishing from beat, the overdue warning and the health check."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from news import services, tasks
from news.models import PressRelease
from news.tests.factories import PressReleaseFactory

S = PressRelease.Status
pytestmark = pytest.mark.django_db


def test_due_release_is_published_once_by_beat():
    due = PressReleaseFactory(
        status=S.SCHEDULED, publish_at=timezone.now() - dt.timedelta(seconds=5)
    )
    later = PressReleaseFactory(scheduled=True)
    assert tasks.publish_due_releases.delay().get() == [due.pk]
    assert tasks.publish_due_releases.delay().get() == []
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == S.PUBLISHED
    assert due.published_at is not None
    assert due.is_public
    assert later.status == S.SCHEDULED
    reasons = list(due.history.values_list("history_change_reason", flat=True))
    assert reasons.count("Zum geplanten Zeitpunkt veröffentlicht") == 1


def test_conditional_update_lets_only_one_caller_win():
    release = PressReleaseFactory(
        status=S.SCHEDULED, publish_at=timezone.now() - dt.timedelta(seconds=1)
    )
    results = [services.release_publish_scheduled(release_id=release.pk) for _ in range(3)]
    assert results == [True, False, False]


def test_unscheduled_release_is_not_published_by_beat():
    release = PressReleaseFactory(status=S.APPROVED)
    assert services.publish_due_releases() == []
    release.refresh_from_db()
    assert release.status == S.APPROVED


def test_scheduled_release_becomes_visible_after_publishing(client):
    release = PressReleaseFactory(
        status=S.SCHEDULED, publish_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client.get(release.get_absolute_url()).status_code == 404
    services.publish_due_releases()
    assert client.get(release.get_absolute_url()).status_code == 200


def test_healthz_reports_overdue_publishing(client):
    assert json.loads(client.get("/healthz").content)["checks"]["press_schedule"]["ok"] is True
    PressReleaseFactory(status=S.SCHEDULED, publish_at=timezone.now() - dt.timedelta(minutes=10))
    response = client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 503
    assert body["checks"]["press_schedule"] == {
        "ok": False,
        "detail": "1 geplante Pressemitteilung(en) überfällig",
    }


def test_recently_due_release_is_not_yet_overdue():
    PressReleaseFactory(status=S.SCHEDULED, publish_at=timezone.now() - dt.timedelta(seconds=30))
    assert PressRelease.objects.overdue().count() == 0


def test_beat_schedule_runs_the_scan_every_thirty_seconds(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["news-publish-due"]
    assert entry["task"] == "news.tasks.publish_due_releases"
    assert entry["schedule"] <= 60


def test_beat_schedule_reconciles_deliveries(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["news-reconcile-deliveries"]
    assert entry["task"] == "news.tasks.reconcile_deliveries"
    assert entry["schedule"] * 3 < settings.NEWS_DELIVERY_STALE_SECONDS


def test_redis_visibility_timeout_is_far_above_the_longest_task(settings):
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert timeout > 10 * settings.CELERY_TASK_TIME_LIMIT
    assert settings.CELERY_TASK_ACKS_LATE
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST


def test_management_command_publishes_due_releases():
    from io import StringIO

    from django.core.management import call_command

    release = PressReleaseFactory(
        status=S.SCHEDULED, publish_at=timezone.now() - dt.timedelta(seconds=1)
    )
    out = StringIO()
    call_command("publish_due_releases", stdout=out)
    release.refresh_from_db()
    assert release.status == S.PUBLISHED
    assert "Veröffentlicht: 1" in out.getvalue()
