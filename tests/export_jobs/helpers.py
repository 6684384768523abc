"""Helpers of the background export tests: the funder report's form, a finished funder report
of a user, a job's download URL."""

from django.urls import reverse

from soest_office.tests.export_helpers import start_export


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
