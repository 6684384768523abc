"""A background export's page and file belong to the requester alone and are checked against
the requester's current rights."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from soest_office.access import Role
from soest_office.models import AuditEvent
from soest_office.tests.export_helpers import start_export
from stakeholders.tests.factories import ContactFactory
from tests.export_jobs.helpers import download_url, funder_job

pytestmark = pytest.mark.django_db


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
