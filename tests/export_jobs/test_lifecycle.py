"""A background export while it runs and when it fails, the Auskunft's audit log, and the
deletion of jobs and files: after a day, with the person (erasure, merge) or the user."""

import dataclasses
import datetime

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from soest_office import exports
from soest_office.models import AuditEvent, ExportJob
from soest_office.plugins import EXPORT_KINDS
from soest_office.tests.export_helpers import start_export
from stakeholders import services as stakeholder_services
from stakeholders.tests.factories import ContactFactory, InteractionFactory
from tests.export_jobs.helpers import download_url, funder_form, funder_job

pytestmark = pytest.mark.django_db


def test_pending_job_shows_progress_and_has_no_file_yet(client_for, office, project):
    job = exports.export_job_start(
        user=office, kind="funder_report", title="Sachstandsbericht", params=funder_form(project)
    )  # the test transaction never commits: the job stays queued
    client = client_for(office)
    page = client.get(job.get_absolute_url())
    html = page.content.decode()
    assert "Die Datei wird erstellt." in html
    assert "export-job.js" in html  # refreshes itself (static script, no inline code) ...
    assert f'href="{job.get_absolute_url()}"' in html  # ... or by hand without JavaScript
    assert 'http-equiv="refresh"' not in html  # axe: no timed refresh
    assert client.get(download_url(job)).status_code == 404


def test_a_failed_render_marks_the_job_and_says_so(
    client, office, project, monkeypatch, django_capture_on_commit_callbacks
):
    kind = EXPORT_KINDS["funder_report"]

    def broken(user, params):
        raise ValueError("kaputt")

    with EXPORT_KINDS.replaced(dataclasses.replace(kind, render=broken)):
        job = funder_job(client, office, project, django_capture_on_commit_callbacks)
    assert job.status == ExportJob.Status.FAILED
    assert not job.file
    html = client.get(job.get_absolute_url()).content.decode()
    assert "Die Datei konnte nicht erstellt werden" in html
    assert "kaputt" not in html
    assert client.get(download_url(job)).status_code == 404


def test_running_is_idempotent_and_a_killed_run_is_repeated(office, project):
    job = exports.export_job_start(
        user=office, kind="funder_report", title="Sachstandsbericht", params=funder_form(project)
    )
    # A worker died while rendering: the redelivered task renders again.
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING)
    assert exports.export_job_run(job_id=job.pk) == "done"
    job.refresh_from_db()
    first_file = job.file.name
    # Delivered once more after it finished: nothing changes.
    assert exports.export_job_run(job_id=job.pk) == "skipped"
    job.refresh_from_db()
    assert job.file.name == first_file
    assert exports.export_job_run(job_id=job.pk + 1000) == "skipped"  # gone


def test_a_job_whose_requester_lost_the_right_before_it_ran_fails(office, project):
    job = exports.export_job_start(
        user=office, kind="funder_report", title="Sachstandsbericht", params=funder_form(project)
    )
    office.groups.clear()
    assert exports.export_job_run(job_id=job.pk) == "denied"
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert "keinen Zugriff" in job.error


def test_every_download_of_an_auskunft_is_logged_and_making_it_is_not(
    client, office, django_capture_on_commit_callbacks
):
    contact = ContactFactory()
    InteractionFactory(contact=contact, summary="Anruf wegen Glasfaser")
    client.force_login(office)
    job, _ = start_export(
        client,
        reverse("stakeholders:auskunft_pdf", args=[contact.pk]),
        {},
        django_capture_on_commit_callbacks,
    )
    assert not AuditEvent.objects.filter(kind="auskunft").exists()
    assert client.get(download_url(job)).status_code == 200
    assert client.get(download_url(job)).status_code == 200
    entries = AuditEvent.objects.filter(kind="auskunft")
    assert entries.count() == 2
    assert {e.target for e in entries} == {f"Kontakt {contact.pk}"}
    assert {e.actor for e in entries} == {office}
    assert {e.area for e in entries} == {"kontakte"}
    assert [e.details for e in entries] == [{"format": "pdf", "anzahl": 1}] * 2


def test_erasing_the_person_deletes_the_auskunft_and_its_file(
    client, office, django_capture_on_commit_callbacks
):
    contact = ContactFactory()
    other = ContactFactory()
    client.force_login(office)
    jobs = []
    for person in (contact, other):
        job, _ = start_export(
            client,
            reverse("stakeholders:auskunft_pdf", args=[person.pk]),
            {},
            django_capture_on_commit_callbacks,
        )
        job.refresh_from_db()
        jobs.append(job)
    with django_capture_on_commit_callbacks(execute=True):
        stakeholder_services.contact_erase(contact=contact, user=office)
    assert not ExportJob.objects.filter(pk=jobs[0].pk).exists()
    assert not default_storage.exists(jobs[0].file.name)
    assert ExportJob.objects.filter(pk=jobs[1].pk).exists()  # someone else's stays
    assert default_storage.exists(jobs[1].file.name)


def test_cleanup_deletes_jobs_and_files_after_a_day(
    client, office, project, django_capture_on_commit_callbacks
):
    old = funder_job(client, office, project, django_capture_on_commit_callbacks)
    fresh = funder_job(client, office, project, django_capture_on_commit_callbacks)
    ExportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    from soest_office.tasks import export_jobs_cleanup

    with django_capture_on_commit_callbacks(execute=True):
        assert export_jobs_cleanup.delay().get() == 1
    assert list(ExportJob.objects.all()) == [fresh]
    assert not default_storage.exists(old.file.name)
    assert default_storage.exists(fresh.file.name)
    assert client.get(old.get_absolute_url()).status_code == 404


def test_cleanup_runs_from_celery_beat():
    from django.conf import settings

    from soest_office.celery import app

    entries = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "soest_office.tasks.export_jobs_cleanup" in entries
    assert "soest_office.tasks.export_jobs_cleanup" in app.tasks
    assert "soest_office.tasks.export_job_run" in app.tasks


def test_merging_deletes_the_auskunft_of_the_merged_away_contact(
    client, office, django_capture_on_commit_callbacks
):
    keep, merge = ContactFactory(), ContactFactory()
    client.force_login(office)
    job, _ = start_export(
        client,
        reverse("stakeholders:auskunft_pdf", args=[merge.pk]),
        {},
        django_capture_on_commit_callbacks,
    )
    stakeholder_services.contact_merge(keep=keep, merge=merge, user=office)
    assert not ExportJob.objects.filter(pk=job.pk).exists()


def test_deleting_the_user_deletes_jobs_and_files(
    client, office, project, django_capture_on_commit_callbacks
):
    job = funder_job(client, office, project, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        office.delete()
    assert not ExportJob.objects.filter(pk=job.pk).exists()
    assert not default_storage.exists(job.file.name)
