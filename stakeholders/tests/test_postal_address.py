"""Postal addresses: the Outlook export (German and English) imported with its business
address, shown and edited in the forms, and carried by the vCard (ADR)."""

import pytest
import vobject
from django.urls import reverse

from stakeholders.importer.columns import guess_mapping
from stakeholders.models import Contact, ImportJob, Organisation

from .factories import ContactFactory
from .test_import import _run

pytestmark = pytest.mark.django_db

# The header of a German Outlook (Microsoft 365) CSV export, abridged: the business address
# comes before the private one, as in Outlook.
OUTLOOK_DE = (
    "Anrede,Vorname,Weitere Vornamen,Nachname,Suffix,Firma,Abteilung,Position,"
    "Straße geschäftlich,Straße geschäftlich 2,Ort geschäftlich,Region geschäftlich,"
    "Postleitzahl geschäftlich,Land/Region geschäftlich,Straße privat,Ort privat,"
    "Postleitzahl privat,Telefon geschäftlich,Mobiltelefon,E-Mail-Adresse\r\n"
    "Frau,Jördis,,Öztürk,,Stadtwerke Lippetal,,Leitung,"
    "Hauptstraße 12,,Lippetal,NRW,59510,Deutschland,Gartenweg 1,Soest,59494,"
    "02923 123-0,0170 1234567,joerdis@example.org\r\n"
    "Herr,Pieter,,de Vries,,Gemeente Enschede,,,"
    "Langestraat 24,,Enschede,,7511 HC,Niederlande,,,,,,pieter@example.nl\r\n"
)
OUTLOOK_EN = (
    "First Name,Last Name,Company,Business Street,Business City,Business State,"
    "Business Postal Code,Business Country/Region,Home Street,E-mail Address\r\n"
    "Ann,Smith,Soest Data Ltd,1 High Street,Soest,,59494,,2 Low Road,ann@example.org\r\n"
)


def test_outlook_headers_of_both_languages_map_to_the_business_address():
    german = guess_mapping(OUTLOOK_DE.splitlines()[0].split(","))
    english = guess_mapping(OUTLOOK_EN.splitlines()[0].split(","))

    assert german["Straße geschäftlich"] == "street"
    assert german["Postleitzahl geschäftlich"] == "postal_code"
    assert german["Ort geschäftlich"] == "city"
    assert german["Land/Region geschäftlich"] == "country"
    assert "Straße privat" not in german
    assert "Ort privat" not in german
    assert english["Business Street"] == "street"
    assert english["Business Postal Code"] == "postal_code"
    assert english["Business City"] == "city"
    assert english["Business Country/Region"] == "country"
    assert "Home Street" not in english


def test_outlook_export_with_addresses_is_imported_and_read_back_in_the_vcard(client_for, office):
    client = client_for(office)
    job, preview = _run(client, OUTLOOK_DE.encode("cp1252"), name="outlook.csv")
    assert preview.status_code == 200
    assert job.mapping["Straße geschäftlich"] == "street"

    response = client.post(reverse("stakeholders:import_commit", args=[job.token]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE

    joerdis = Contact.objects.get(email="joerdis@example.org")
    assert (joerdis.street, joerdis.postal_code, joerdis.city, joerdis.country) == (
        "Hauptstraße 12",
        "59510",
        "Lippetal",
        "Deutschland",
    )
    pieter = Contact.objects.get(email="pieter@example.nl")
    assert (pieter.postal_code, pieter.country) == ("7511 HC", "Niederlande")
    # The new organisation takes its first row's business address.
    works = Organisation.objects.get(name="Stadtwerke Lippetal")
    assert (works.street, works.postal_code, works.city) == ("Hauptstraße 12", "59510", "Lippetal")

    response = client.get(reverse("stakeholders:contact_vcard", args=[joerdis.pk]))
    card = vobject.readOne(response.content.decode())
    address = card.adr.value
    assert address.street == "Hauptstraße 12"
    assert address.code == "59510"
    assert address.city == "Lippetal"
    assert address.country == "Deutschland"
    assert card.adr.type_param == "WORK"

    detail = client.get(joerdis.get_absolute_url()).content.decode()
    assert "Hauptstraße 12" in detail
    assert "59510 Lippetal" in detail


def test_english_outlook_export_is_imported_with_its_address(client_for, office):
    client = client_for(office)
    job, _preview = _run(client, OUTLOOK_EN.encode(), name="outlook.csv")
    client.post(reverse("stakeholders:import_commit", args=[job.token]))

    ann = Contact.objects.get(email="ann@example.org")
    assert (ann.street, ann.postal_code, ann.city, ann.country) == (
        "1 High Street",
        "59494",
        "Soest",
        "",
    )


def test_a_german_postal_code_that_is_not_five_digits_is_refused_in_the_import(client_for, office):
    client = client_for(office)
    csv = "Nachname;Straße;PLZ;Ort\nMüller;Markt 1;5949;Soest\n"
    job, preview = _run(client, csv.encode(), name="k.csv")

    assert "Eine deutsche Postleitzahl hat fünf Ziffern, nicht »5949«." in preview.content.decode()
    client.post(reverse("stakeholders:import_commit", args=[job.token]))
    assert not Contact.objects.filter(last_name="Müller").exists()


def test_contact_without_address_has_no_adr_in_the_vcard(client_for, office):
    contact = ContactFactory(street="", postal_code="", city="")
    response = client_for(office).get(reverse("stakeholders:contact_vcard", args=[contact.pk]))
    card = vobject.readOne(response.content.decode())
    assert "adr" not in card.contents


def test_contact_form_edits_the_address_and_checks_the_postal_code(client_for, office):
    contact = ContactFactory(last_name="Adresse", email="adresse@example.org")
    client = client_for(office)
    url = reverse("stakeholders:contact_update", args=[contact.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "tags"}
    data.update(
        {
            "street": "Am Vreithof 8",
            "postal_code": "594",
            "city": "Soest",
            "country": "",
            "organisation": contact.organisation_id or "",
            "municipality": contact.municipality_id or "",
        }
    )

    response = client.post(url, data)
    assert response.status_code == 200
    assert "Eine deutsche Postleitzahl hat fünf Ziffern" in response.content.decode()
    contact.refresh_from_db()
    assert contact.street == ""

    data["postal_code"] = "59494"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    contact.refresh_from_db()
    assert (contact.street, contact.postal_code, contact.city) == (
        "Am Vreithof 8",
        "59494",
        "Soest",
    )

    data.update({"postal_code": "7511 HC", "country": "Niederlande"})
    assert client.post(url, data).status_code == 302
