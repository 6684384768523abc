"""An import writes contacts in bulk, yet it behaves like the edit form's save: the version
rises (a form opened before the import is stale and says what the import changed), and a new
e-mail address lifts the undeliverable mark. Its query count does not grow with its size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stakeholders import services
from stakeholders.models import Contact, ImportJob
from tests.formdata import form_data

from .factories import ContactFactory, OrganisationFactory
from .test_import import _run

pytestmark = pytest.mark.django_db

HEADER = "Vorname;Nachname;E-Mail;Organisation;Funktion\n"


def bounced(contact):
    contact.mark_undeliverable(reason="550 unbekannt", when=timezone.now())
    contact.save()
    return contact


def import_update(client, rows):
    job, preview = _run(client, (HEADER + "".join(rows)).encode(), mode="update")
    assert preview.status_code == 200
    response = client.post(reverse("stakeholders:import_commit", args=[job.token]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    return job


def test_an_import_raises_the_version_and_a_form_opened_before_is_stale(client_for, office):
    org = OrganisationFactory(name="Stadtwerke Soest")
    contact = ContactFactory(
        first_name="Anna", last_name="Arndt", email="anna@example.org", organisation=org
    )
    version = contact.version
    client = client_for(office)
    url = reverse("stakeholders:contact_update", args=[contact.pk])
    data = form_data(client.get(url).content.decode())
    assert int(data["version"]) == version

    job = import_update(client, ["Anna;Arndt;anna@example.org;Stadtwerke Soest;Werkleitung\n"])

    assert job.updated_count == 1
    contact.refresh_from_db()
    assert (contact.function, contact.version) == ("Werkleitung", version + 1)
    assert contact.history.latest().version == version + 1  # the history row matches
    # The form loaded before the import: the import's change is shown, nothing typed lost.
    data["notes"] = "Mein Vermerk"
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Funktion: dort „Werkleitung“" in html
    assert "Mein Vermerk" in html
    contact.refresh_from_db()
    assert contact.notes == ""


def test_an_imported_new_address_lifts_the_undeliverable_mark(client_for, office):
    org = OrganisationFactory(name="Kreisverwaltung")
    moved = bounced(
        ContactFactory(
            first_name="Ben", last_name="Brandt", email="alt@example.org", organisation=org
        )
    )
    same = bounced(ContactFactory(first_name="Cem", last_name="Cakir", email="cem@example.org"))
    untouched = bounced(
        ContactFactory(first_name="Dora", last_name="Dahl", email="dora@example.org")
    )
    # Matched by name and organisation, with a new address; matched by the same address
    # written differently; the third contact is not in the file.
    import_update(
        client_for(office),
        [
            "Ben;Brandt;neu@example.org;Kreisverwaltung;\n",
            "Cem;Cakir;CEM@example.org;;Pressesprecher\n",
        ],
    )
    moved.refresh_from_db()
    assert moved.email == "neu@example.org"
    assert moved.email_undeliverable_since is None
    assert (moved.email_undeliverable_reason, moved.email_undeliverable_address) == ("", "")
    assert moved.history.latest().email_undeliverable_since is None
    # The same address (whatever its case) keeps the mark, as the edit form does.
    same.refresh_from_db()
    assert same.function == "Pressesprecher"
    assert same.email_undeliverable_since is not None
    untouched.refresh_from_db()
    assert untouched.email_undeliverable_since is not None
    assert list(Contact.objects.undeliverable().order_by("last_name")) == [same, untouched]


def test_form_and_import_lift_the_mark_through_one_method():
    contact = Contact(email="neu@example.org", email_undeliverable_address="alt@example.org")
    contact.email_undeliverable_since = timezone.now()
    assert contact.lift_undeliverable_for_new_address() == Contact.UNDELIVERABLE_FIELDS
    assert contact.email_undeliverable_since is None
    assert contact.lift_undeliverable_for_new_address() == ()


def test_the_update_import_costs_the_same_queries_whatever_its_size(client_for, office):
    """Updates of 3 and of 30 bounced contacts (each with a new address): the same count."""
    org = OrganisationFactory(name="Firma")
    client = client_for(office)
    counts = {}
    for size in (3, 30):
        for i in range(size):
            bounced(
                ContactFactory(
                    first_name=f"V{i}",
                    last_name=f"N{size}-{i}",
                    email=f"alt{size}-{i}@example.org",
                    organisation=org,
                )
            )
        rows = [f"V{i};N{size}-{i};neu{size}-{i}@example.org;Firma;Leitung\n" for i in range(size)]
        job, _preview = _run(client, (HEADER + "".join(rows)).encode(), mode="update")
        with CaptureQueriesContext(connection) as queries:
            client.post(reverse("stakeholders:import_commit", args=[job.token]))
        updated = Contact.objects.filter(last_name__startswith=f"N{size}-")
        assert updated.filter(function="Leitung", version=3).count() == size
        assert not updated.undeliverable().exists()
        counts[size] = len(queries)
    assert counts[3] == counts[30], counts


def test_tagging_in_bulk_raises_the_version_of_the_tagged_contacts_only():
    tagged, already, other = ContactFactory(), ContactFactory(), ContactFactory()
    services.contacts_tag(contacts=Contact.objects.filter(pk=already.pk), name="Beirat")
    versions = {c.pk: c.version for c in Contact.objects.all()}

    services.contacts_tag(
        contacts=Contact.objects.filter(pk__in=[tagged.pk, already.pk]), name="Beirat"
    )

    after = {c.pk: c.version for c in Contact.objects.all()}
    assert after[tagged.pk] == versions[tagged.pk] + 1
    assert after[already.pk] == versions[already.pk]  # the tag was there: no change
    assert after[other.pk] == versions[other.pk]
