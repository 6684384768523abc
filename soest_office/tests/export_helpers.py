"""Test helper for background exports: start one through its form, let the (eager) task run
after commit, and fetch the file the way a user does."""

from django.urls import reverse

from soest_office.models import ExportJob


def start_export(client, url, data, capture):
    """POST the form that starts the job; the task runs on commit (eager in tests).
    Returns the job (reloaded) and the POST's response."""
    with capture(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.status_code
    job = ExportJob.objects.get(token=response["Location"].rstrip("/").split("/")[-1])
    return job, response


def download_export(client, url, data, capture):
    """Start the job, then download its file as the requester; returns the download."""
    job, _response = start_export(client, url, data, capture)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, (job.status, job.error)
    assert client.get(job.get_absolute_url()).status_code == 200
    response = client.get(reverse("soest_office:export_download", args=[job.token]))
    assert response.status_code == 200
    return response
