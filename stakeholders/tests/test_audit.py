"""The contacts' processing of personal data in the one audit log (soest_office.AuditEvent):
every import, merge, export, Auskunft and erasure leaves exactly one event, /kontakte/protokoll/
lists these and nothing else, and an erasure leaves the person's name in no event."""

import json

import pytest
from django.urls import reverse

from soest_office.audit import audit_record
from soest_office.models import AuditEvent
from stakeholders import services
from stakeholders.models import Contact, ImportJob, ListMembership

from .factories import ContactFactory, DistributionListFactory, consenting_contact
from .test_import import HEADER, _run

pytestmark = pytest.mark.django_db

Kind = AuditEvent.Kind


def app_events():
    """The events the apps wrote (the login of the test client is an account event)."""
    return AuditEvent.objects.exclude(area="")


def test_import_leaves_one_import_event_with_its_counts(client_for, office):
    ContactFactory(first_name="Alt", last_name="Arndt", email="anna@example.org")
    client = client_for(office)
    content = (
        HEADER
        + "Anna;Arndt;anna@example.org;;Soest;\n"
        + "Berta;Brandt;berta@example.org;;Soest;\n"
        + "Carl;Clausen;carl@example.org;;;\n"
    ).encode()
    job, _preview = _run(client, content, name="Presseliste Müller.csv", mode="update")
    client.post(reverse("stakeholders:import_commit", args=[job.token]))

    event = app_events().get()
    assert (event.kind, event.actor, event.area) == (Kind.IMPORT, office, "kontakte")
    assert event.details == {"anzahl": 3, "neu": 2, "aktualisiert": 1, "übersprungen": 0}
    assert event.target == f"Import {job.pk}"
    assert "Müller" not in event.target  # the file's name is not needed
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.DONE


def test_merge_leaves_one_merge_event(office):
    keep, merge = ContactFactory(), ContactFactory()
    merge_pk = merge.pk

    services.contact_merge(keep=keep, merge=merge, user=office)

    event = app_events().get()
    assert (event.kind, event.actor, event.area) == (Kind.MERGE, office, "kontakte")
    assert event.target == f"Kontakt {keep.pk}"
    assert event.details == {"anzahl": 2, "übernommen_aus": f"Kontakt {merge_pk}"}


def _export_url(name, contact, dl):
    args = {"contact_vcard": [contact.pk], "auskunft_json": [contact.pk], "list_vcard": [dl.pk]}
    return reverse(f"stakeholders:{name}", args=args.get(name, []))


@pytest.mark.parametrize(
    ("name", "kind", "fmt", "count"),
    [
        ("export_csv", Kind.EXPORT, "csv", 2),
        ("export_xlsx", Kind.EXPORT, "xlsx", 2),
        ("export_vcard", Kind.EXPORT, "vcard", 2),
        ("contact_vcard", Kind.EXPORT, "vcard", 1),
        ("list_vcard", Kind.EXPORT, "vcard", 1),
        ("auskunft_json", Kind.AUSKUNFT, "json", 1),
    ],
)
def test_each_download_leaves_one_event_with_format_and_count(
    client_for, office, name, kind, fmt, count
):
    contact = consenting_contact(last_name="Empfänger")
    ContactFactory(last_name="Ohneeinwilligung")
    dl = DistributionListFactory(name="Presse Soest")
    ListMembership.objects.create(distribution_list=dl, contact=contact)
    client = client_for(office)

    response = client.get(_export_url(name, contact, dl))
    assert response.status_code == 200
    response.getvalue()  # a streamed body is read to the end

    event = app_events().get()
    assert (event.kind, event.actor, event.area) == (kind, office, "kontakte")
    assert event.details == {"format": fmt, "anzahl": count}
    assert event.ip_address == "127.0.0.1"
    expected_target = {
        "contact_vcard": f"Kontakt {contact.pk}",
        "auskunft_json": f"Kontakt {contact.pk}",
        "list_vcard": "Verteiler Presse Soest",
    }.get(name, "alle sichtbaren Kontakte")
    assert event.target == expected_target


def test_erasure_leaves_one_event_that_names_no_one(office):
    contact = ContactFactory(last_name="Vergessen")

    services.contact_erase(contact=contact, user=office)

    event = app_events().get()
    assert (event.kind, event.actor, event.area) == (Kind.ERASURE, office, "kontakte")
    assert (event.target, event.details) == ("", {"anzahl": 1})


def test_bulk_erasure_leaves_one_event_with_the_count(office):
    ContactFactory.create_batch(3, last_name="Alt")

    services.contacts_erase_bulk(contacts=Contact.objects.all(), user=office)

    event = app_events().get()
    assert (event.kind, event.details) == (Kind.ERASURE, {"anzahl": 3})


def test_erased_name_survives_in_no_audit_event(client_for, office):
    contact = ContactFactory(
        last_name="Größenwahn", email="groessenwahn@example.org", email_secondary="gw@example.net"
    )
    client = client_for(office)
    client.get(reverse("stakeholders:export_csv") + "?q=Größenwahn")
    client.get(reverse("stakeholders:export_xlsx") + "?q=groessenwahn@example.org")
    # A name may also sit in the details of an app's event (the old log's copies kept the
    # filter there), in any letter case.
    audit_record(
        kind=Kind.EXPORT,
        user=office,
        target="Kontakte: Export CSV",
        details={"scope": "q=GRÖßENWAHN", "count": 1, "liste": ["gw@example.net"]},
        area="kontakte",
    )
    # An account event is left alone, even if it shares a word (a colleague's name).
    login = audit_record(kind=Kind.LOGIN, user=office, target="Größenwahn, Hans")

    services.contact_erase(contact=contact, user=office)

    for event in app_events():
        text = f"{event.target} {json.dumps(event.details, ensure_ascii=False)}".lower()
        for word in ("größenwahn", "groessenwahn@example.org", "gw@example.net"):
            assert word not in text, (event.kind, text)
    assert app_events().filter(target="q=[gelöscht]").exists()
    login.refresh_from_db()
    assert login.target == "Größenwahn, Hans"


def test_protokoll_lists_the_processing_of_personal_data_and_nothing_else(
    client_for, office, django_assert_max_num_queries
):
    keep, merge = ContactFactory(), ContactFactory()
    services.contact_merge(keep=keep, merge=merge, user=office)
    client = client_for(office)  # a login: an account event
    client.get(reverse("stakeholders:export_csv"))
    client.get(reverse("stakeholders:auskunft_json", args=[keep.pk]))
    services.contact_erase(contact=ContactFactory(), user=office)
    audit_record(kind=Kind.EXPORT, user=office, target="q=Radweg", area="projekte")
    audit_record(
        kind=Kind.IMPORT,
        user=office,
        target="Import 4",
        details={"anzahl": 3, "neu": 2, "aktualisiert": 1, "übersprungen": 5},
        area="kontakte",
    )
    audit_record(
        kind=Kind.EXPORT,
        user=office,
        target="Einwilligungsnachweis Abonnement 7",
        details={"format": "csv", "anzahl": 1},
        area="abo",
    )
    assert AuditEvent.objects.filter(kind=Kind.LOGIN).exists()

    with django_assert_max_num_queries(10):
        response = client.get(reverse("stakeholders:audit_log"))

    assert response.status_code == 200
    entries = list(response.context["entries"])
    assert [e.kind for e in entries] == [
        Kind.EXPORT,  # the subscription's proof, newest first
        Kind.IMPORT,
        Kind.ERASURE,
        Kind.AUSKUNFT,
        Kind.EXPORT,
        Kind.MERGE,
    ]
    assert {e.area for e in entries} == {"kontakte", "abo"}
    text = response.content.decode()
    text = text[text.index("<tbody>") : text.index("</tbody>")]
    assert text.count("<tr>") == 6
    assert "Einwilligungsnachweis Abonnement 7" in text
    assert "Auskunft (Art. 15 DSGVO) JSON" in text
    assert "Export CSV" in text
    assert "Zusammenführung" in text
    assert "3 (2 neu, 1 aktualisiert, 5 übersprungen)" in text
    assert "Anmeldung" not in text
    assert "q=Radweg" not in text


def test_protokoll_pages_through_the_log(client_for, office):
    for i in range(101):
        audit_record(kind=Kind.EXPORT, user=office, target=f"Kontakt {i}", area="kontakte")
    client = client_for(office)
    first = client.get(reverse("stakeholders:audit_log"))
    assert len(first.context["entries"]) == 100
    assert "Kontakt 100" in first.content.decode()
    second = client.get(reverse("stakeholders:audit_log") + "?page=2")
    assert [e.target for e in second.context["entries"]] == ["Kontakt 0"]
