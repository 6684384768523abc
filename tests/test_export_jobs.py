"""Background exports (soest_office.exports): the funder report and the Auskunft as PDF are
made by a Celery task; their page and file belong to the requester alone, are checked
against the requester's current rights, and are deleted after a day or with the person."""

import dataclasses
import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from projects.tests.factories import ProjectFactory
from soest_office import exports
from soest_office.access import Role
from soest_office.models import AuditEvent, ExportJob
from soest_office.plugins import EXPORT_KINDS
from soest_office.tests.export_helpers import start_export
from stakeholders import services as stakeholder_services
from stakeholders.tests.factories import ContactFactory, InteractionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def project(db):
    return ProjectFactory(title="Digitale Bauakte", slug="digitale-bauakte")


def funder_form(project, output="pdf"):
    return {
        "date_from": "2026-01-01",
        "date_to": "2026-06-30",
        "projects": [project.pk],
        "output": output,
    }


def funder_job(client, user, project, capture, output="pdf"):
    client.force_login(user)
    job, _ = start_export(
        client, reverse("projects:funder_report"), funder_form(project, output), capture
    )
    job.refresh_from_db()
    return job


def download_url(job):
    return reverse("soest_office:export_download", args=[job.token])


# --- Starting a job -------------------------------------------------------------------------


def test_post_starts_the_job_and_leads_to_its_finished_page(
    client, office, project, django_capture_on_commit_callbacks
):
    job = funder_job(client, office, project, django_capture_on_commit_callbacks)

    assert job.requested_by == office
    assert job.kind == "funder_report"
    assert job.status == ExportJob.Status.DONE
    assert job.params == {
        "date_from": "2026-01-01",
        "date_to": "2026-06-30",
        "projects": [project.pk],
        "output": "pdf",
    }
    assert job.title == "Sachstandsbericht 01.01.2026 bis 30.06.2026 (PDF)"
    # Stored under a generated name, never the download name.
    assert job.file.name.startswith("exporte/")
    assert "sachstandsbericht" not in job.file.name
    assert default_storage.exists(job.file.name)

    page = client.get(job.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Die Datei ist fertig" in html
    assert download_url(job) in html
    assert "export-job.js" not in html  # nothing left to wait for
    assert page["Cache-Control"] == "private, no-store"


def test_the_task_is_queued_only_after_commit(
    client_for, office, project, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client_for(office).post(reverse("projects:funder_report"), funder_form(project))
    assert len(callbacks) == 1
    assert ExportJob.objects.get().status == ExportJob.Status.QUEUED


def test_starting_checks_the_kind_rule(no_role_user):
    with pytest.raises(PermissionDenied):
        exports.export_job_start(
            user=no_role_user,
            kind="funder_report",
            title="Sachstandsbericht",
            params={"date_from": "2026-01-01", "date_to": "2026-06-30", "projects": []},
        )
    assert not ExportJob.objects.exists()


def test_get_of_the_auskunft_url_only_shows_the_button(client_for, office):
    contact = ContactFactory()
    response = client_for(office).get(reverse("stakeholders:auskunft_pdf", args=[contact.pk]))
    assert response.status_code == 200
    assert b'method="post"' in response.content
    assert "PDF erstellen" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_partner_cannot_start_an_auskunft(client_for, partner_soest):
    contact = ContactFactory()  # of Soest: the partner sees the contact, but no DSGVO actions
    url = reverse("stakeholders:auskunft_pdf", args=[contact.pk])
    assert client_for(partner_soest).post(url).status_code == 403
    assert not ExportJob.objects.exists()


# --- Only the requester ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "viewer", ["office2", "partner_soest", "partner_lippstadt", "steering", "no_role_user"]
)
def test_nobody_but_the_requester_sees_the_job_or_its_file(
    request, client, office, project, viewer, django_capture_on_commit_callbacks
):
    job = funder_job(client, office, project, django_capture_on_commit_callbacks)
    client.force_login(request.getfixturevalue(viewer))
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(download_url(job)).status_code == 404


def test_partner_does_not_see_the_job_of_another_municipality(
    client, partner_soest, partner_lippstadt, project, django_capture_on_commit_callbacks
):
    job = funder_job(client, partner_soest, project, django_capture_on_commit_callbacks)
    assert client.get(download_url(job)).status_code == 200
    client.force_login(partner_lippstadt)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(download_url(job)).status_code == 404


def test_steering_group_downloads_its_funder_report(
    client, steering, project, django_capture_on_commit_callbacks
):
    job = funder_job(client, steering, project, django_capture_on_commit_callbacks, "xlsx")
    response = client.get(download_url(job))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="sachstandsbericht-2026-01-01-bis-2026-06-30.xlsx"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response.getvalue()[:2] == b"PK"  # a zip: the XLSX


def test_anonymous_is_sent_to_the_login(
    client, office, project, django_capture_on_commit_callbacks
):
    job = funder_job(client, office, project, django_capture_on_commit_callbacks)
    client.logout()
    for url in (job.get_absolute_url(), download_url(job)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/anmelden/")


def test_requester_who_lost_the_right_gets_403(client, office, django_capture_on_commit_callbacks):
    contact = ContactFactory()
    client.force_login(office)
    job, _ = start_export(
        client,
        reverse("stakeholders:auskunft_pdf", args=[contact.pk]),
        {},
        django_capture_on_commit_callbacks,
    )
    office.groups.set([Group.objects.get(name=str(Role.STEERING))])
    client.force_login(office)
    assert client.get(job.get_absolute_url()).status_code == 403
    assert client.get(download_url(job)).status_code == 403
    assert not AuditEvent.objects.filter(kind="auskunft").exists()


def test_job_pages_refuse_post(client, office, project, django_capture_on_commit_callbacks):
    job = funder_job(client, office, project, django_capture_on_commit_callbacks)
    assert client.post(job.get_absolute_url()).status_code == 405
    assert client.post(download_url(job)).status_code == 405


# --- While it runs, and when it fails -------------------------------------------------------


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


# --- The Auskunft: audit and erasure --------------------------------------------------------


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


# --- Cleanup --------------------------------------------------------------------------------


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


# --- Who may start a job (role matrix of the two forms) -------------------------------------

STARTERS = ["office", "partner_soest", "partner_lippstadt", "steering", "no_role_user"]


@pytest.mark.parametrize(
    ("role", "expected"),
    zip(STARTERS, [302, 302, 302, 302, 403], strict=True),
)
def test_who_may_start_a_funder_report(request, client, project, role, expected):
    client.force_login(request.getfixturevalue(role))
    response = client.post(reverse("projects:funder_report"), funder_form(project))
    assert response.status_code == expected
    assert ExportJob.objects.exists() == (expected == 302)


@pytest.mark.parametrize(
    ("role", "expected"),
    zip(STARTERS, [(200, 302), (403, 403), (403, 403), (403, 403), (403, 403)], strict=True),
)
def test_who_may_start_an_auskunft(request, client, role, expected):
    contact = ContactFactory()  # of Soest
    client.force_login(request.getfixturevalue(role))
    url = reverse("stakeholders:auskunft_pdf", args=[contact.pk])
    assert (client.get(url).status_code, client.post(url).status_code) == expected


def test_auskunft_of_an_unknown_contact_is_404(client_for, office):
    url = reverse("stakeholders:auskunft_pdf", args=[987654])
    client = client_for(office)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_anonymous_starts_nothing(client, project):
    for url, data in (
        (reverse("projects:funder_report"), funder_form(project)),
        (reverse("stakeholders:auskunft_pdf", args=[ContactFactory().pk]), {}),
    ):
        response = client.post(url, data)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/anmelden/")
    assert not ExportJob.objects.exists()


def test_deleting_the_user_deletes_jobs_and_files(
    client, office, project, django_capture_on_commit_callbacks
):
    job = funder_job(client, office, project, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        office.delete()
    assert not ExportJob.objects.filter(pk=job.pk).exists()
    assert not default_storage.exists(job.file.name)
