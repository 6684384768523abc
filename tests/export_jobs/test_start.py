"""Starting a background export: the POST queues the job after commit and leads to its page;
who may start the funder report and the Auskunft (the role matrix of the two forms)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.urls import reverse

from soest_office import exports
from soest_office.models import ExportJob
from stakeholders.tests.factories import ContactFactory
from tests.export_jobs.helpers import download_url, funder_form, funder_job

pytestmark = pytest.mark.django_db


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
