"""After an import only what it wrote is (re)indexed for the global search, not the whole
index (issue 6: a full re-index of about 240,000 entries after every import)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from soest_office.search.engine import search
from soest_office.search.models import SearchEntry
from stakeholders.importer import import_cleanup_stale
from stakeholders.models import Contact, ImportJob, Organisation

from .factories import ContactFactory, InteractionFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _import(client, csv_text, mode="skip"):
    client.post(
        reverse("stakeholders:import_upload"),
        {"file": SimpleUploadedFile("kontakte.csv", csv_text.encode())},
    )
    job = ImportJob.objects.latest("created_at")
    data = {"duplicate_mode": mode}
    for i, header in enumerate(job.headers):
        data[f"col_{i}"] = job.mapping.get(header, "")
    client.post(reverse("stakeholders:import_mapping", args=[job.token]), data)
    response = client.post(reverse("stakeholders:import_commit", args=[job.token]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    return job


def _stale(obj, source):
    """Mark the object's index entry, so a re-index of it shows."""
    SearchEntry.objects.filter(source=source, object_id=obj.pk).update(title="VERALTET")


def _title(obj, source):
    return SearchEntry.objects.get(source=source, object_id=obj.pk).title


def test_import_indexes_only_its_contacts_and_their_organisations(
    client_for, office, django_capture_on_commit_callbacks, index_now
):
    stadtwerke = OrganisationFactory(name="Stadtwerke Soest")
    other_org = OrganisationFactory(name="Volksbank Hellweg")
    bystander = ContactFactory(last_name="Unbeteiligt", organisation=other_org)
    index_now()
    for obj, source in ((stadtwerke, "organisationen"), (other_org, "organisationen")):
        _stale(obj, source)
    _stale(bystander, "kontakte")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _import(
            client_for(office),
            "Vorname;Nachname;E-Mail;Organisation;Kommune\n"
            "Ida;Quastenberg;ida@example.org;Stadtwerke Soest;Soest\n"
            "Jan;Quastenberg;jan@example.org;Neue Genossenschaft Soest;Soest\n"
            "Kai;Quastenberg;kai@example.org;;Soest\n",
        )
    assert callbacks  # indexed after the commit, in a task

    imported = Contact.objects.filter(last_name="Quastenberg")
    assert imported.count() == 3
    for contact in imported:
        assert _title(contact, "kontakte") == contact.full_name
    new_org = Organisation.objects.get(name="Neue Genossenschaft Soest")
    assert _title(new_org, "organisationen") == "Neue Genossenschaft Soest"
    assert _title(stadtwerke, "organisationen") == "Stadtwerke Soest"  # organisation of a row
    # Everything else is left alone: no full re-index.
    assert _title(other_org, "organisationen") == "VERALTET"
    assert _title(bystander, "kontakte") == "VERALTET"

    found = {hit.title for group in search(office, "Quastenberg").groups for hit in group.hits}
    assert {"Ida Quastenberg", "Jan Quastenberg", "Kai Quastenberg"} <= found
    assert "Neue Genossenschaft Soest" in {
        hit.title for group in search(office, "Genossenschaft").groups for hit in group.hits
    }


def test_updating_import_reindexes_the_history_that_names_the_contact(
    client_for, office, django_capture_on_commit_callbacks, index_now
):
    contact = ContactFactory(first_name="Eva", last_name="Alt", email="eva@example.org")
    entry = InteractionFactory(contact=contact, summary="Telefonat zur Glasfaser")
    other = InteractionFactory(summary="Telefonat zum Radweg")
    index_now()
    _stale(other, "kontakthistorie")
    with django_capture_on_commit_callbacks(execute=True):
        _import(
            client_for(office),
            "Vorname;Nachname;E-Mail\nEva;Neumann-Alt;eva@example.org\n",
            mode="update",
        )
    assert _title(contact, "kontakte") == "Eva Neumann-Alt"
    assert _title(entry, "kontakthistorie").endswith("Eva Neumann-Alt")
    assert _title(other, "kontakthistorie") == "VERALTET"


def test_later_saves_of_a_finished_job_index_nothing(
    client_for, office, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = _import(client_for(office), "Vorname;Nachname\nIda;Quast\n")
    contact = Contact.objects.get(last_name="Quast")
    _stale(contact, "kontakte")
    ImportJob.objects.filter(pk=job.pk).update(created_at=job.created_at.replace(year=2000))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        import_cleanup_stale()  # saves the done job again
        ImportJob.objects.get(pk=job.pk).save()
    # No indexing is queued; the saves only start new cache generations (issue 20).
    assert [c for c in callbacks if "bump_written" not in c.__qualname__] == []
    assert _title(contact, "kontakte") == "VERALTET"
