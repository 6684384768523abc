"""Retention of the kernel's personal data, the run over all policies, and the office's
overview of what the next run removes."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from soest_office import retention
from soest_office.models import AccessibilityFeedback, AuditEvent
from soest_office.plugins import RETENTION, RetentionPolicy
from soest_office.tasks import apply_retention

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 6, 1, 12, 0))
SECOND = datetime.timedelta(seconds=1)


def _event(at, ip="192.0.2.7"):
    event = AuditEvent.objects.create(kind=AuditEvent.Kind.LOGIN, actor_name="buero", ip_address=ip)
    AuditEvent.objects.filter(pk=event.pk).update(created_at=at)
    return event


def _feedback(at):
    feedback = AccessibilityFeedback.objects.create(message="Kontrast zu schwach")
    AccessibilityFeedback.objects.filter(pk=feedback.pk).update(created_at=at)
    return feedback


def test_audit_ip_addresses_go_after_90_days_and_the_entries_stay():
    assert settings.RETENTION_AUDIT_IP_DAYS == 90
    boundary = NOW - datetime.timedelta(days=90)
    old = _event(boundary - SECOND)
    much_older = _event(boundary - datetime.timedelta(days=400), ip="2001:db8::1")
    exactly = _event(boundary)
    young = _event(boundary + SECOND)
    already = _event(boundary - datetime.timedelta(days=10), ip=None)

    due = retention.AUDIT_IPS.queryset_due(NOW)
    assert set(due.values_list("pk", flat=True)) == {old.pk, much_older.pk}

    assert retention.AUDIT_IPS.apply(NOW) == 2

    ips = dict(AuditEvent.objects.values_list("pk", "ip_address"))
    assert ips == {
        old.pk: None,
        much_older.pk: None,
        exactly.pk: "192.0.2.7",
        young.pk: "192.0.2.7",
        already.pk: None,
    }
    old.refresh_from_db()
    assert (old.kind, old.actor_name) == (AuditEvent.Kind.LOGIN, "buero")
    assert retention.AUDIT_IPS.apply(NOW) == 0  # idempotent


def test_the_period_comes_from_the_setting(settings):
    settings.RETENTION_AUDIT_IP_DAYS = 7
    recent = _event(NOW - datetime.timedelta(days=8))
    kept = _event(NOW - datetime.timedelta(days=6))

    retention.AUDIT_IPS.apply(NOW)

    recent.refresh_from_db()
    kept.refresh_from_db()
    assert recent.ip_address is None
    assert kept.ip_address == "192.0.2.7"


def test_accessibility_feedback_is_deleted_after_its_period():
    boundary = NOW - datetime.timedelta(days=settings.RETENTION_ACCESSIBILITY_FEEDBACK_DAYS)
    old = _feedback(boundary - SECOND)
    exactly = _feedback(boundary)
    young = _feedback(boundary + datetime.timedelta(days=1))

    assert retention.FEEDBACK.queryset_due(NOW).count() == 1
    assert retention.FEEDBACK.apply(NOW) == 1

    remaining = set(AccessibilityFeedback.objects.values_list("pk", flat=True))
    assert remaining == {exactly.pk, young.pk}
    assert old.pk not in remaining


def test_the_run_applies_every_policy_and_a_failing_one_holds_back_no_other():
    old_event = _event(NOW - datetime.timedelta(days=200))

    def broken(now):
        raise RuntimeError("kaputt")

    failing = RetentionPolicy(
        key="aaa_broken",
        label="kaputt",
        setting="RETENTION_AUDIT_IP_DAYS",
        queryset_due=lambda now: AuditEvent.objects.none(),
        apply=broken,
        position=1,
    )
    with RETENTION.replaced(failing, retention.AUDIT_IPS, retention.FEEDBACK, only=True):
        done = retention.retention_apply(now=NOW)

    assert done == {"aaa_broken": -1, "audit_ip_addresses": 1, "accessibility_feedback": 0}
    old_event.refresh_from_db()
    assert old_event.ip_address is None


def test_beat_runs_the_task_daily_and_the_task_applies_the_policies():
    entry = settings.CELERY_BEAT_SCHEDULE["soest_office-retention"]
    assert entry["task"] == "soest_office.tasks.apply_retention"
    assert entry["schedule"] == 24 * 3600
    old = _event(timezone.now() - datetime.timedelta(days=91))

    result = apply_retention()

    assert result["audit_ip_addresses"] == 1
    old.refresh_from_db()
    assert old.ip_address is None


def test_every_policy_names_a_setting_that_exists_with_a_positive_period():
    assert len(RETENTION) >= 2
    for policy in RETENTION:
        assert policy.days >= 1, policy.key
        assert policy.setting.startswith("RETENTION_"), policy.key


def test_office_sees_per_data_set_what_the_next_run_removes(
    client_for, office, django_assert_max_num_queries
):
    now = timezone.now()
    _event(now - datetime.timedelta(days=100))
    _event(now - datetime.timedelta(days=95))
    _event(now - datetime.timedelta(days=3))
    _feedback(now - datetime.timedelta(days=800))

    client = client_for(office)
    # + 1: the navigation's inbox count on the user's first page (then cached).
    with django_assert_max_num_queries(len(RETENTION) + 6 + 1):
        response = client.get(reverse("soest_office:retention"))

    assert response.status_code == 200
    lines = {line.policy.key: line.due for line in response.context["lines"]}
    assert lines["audit_ip_addresses"] == 2
    assert lines["accessibility_feedback"] == 1
    html = response.content.decode()
    assert "IP-Adressen im Sicherheitsprotokoll" in html
    assert "RETENTION_AUDIT_IP_DAYS" in html
    assert "90 Tage" in html
    # Looking changes nothing.
    assert AuditEvent.objects.filter(ip_address__isnull=False).count() == 3


def test_the_overview_is_the_office_s_only(client_for, partner_soest, steering):
    for user in (partner_soest, steering):
        assert client_for(user).get(reverse("soest_office:retention")).status_code == 404
