import csv
import io
import json

import pytest
import vobject
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from soest_office.models import AuditEvent
from soest_office.tests.export_helpers import download_export
from soest_office.tests.test_pdf import assert_tagged_pdf
from stakeholders.models import ListMembership

from .factories import (
    ContactFactory,
    DistributionListFactory,
    InteractionFactory,
    OrganisationFactory,
    consenting_contact,
)

pytestmark = pytest.mark.django_db

NASTY = ['=HYPERLINK("http://evil")', "+49 2921", "-1+1", "@SUM(A1)"]


@pytest.fixture
def contacts():
    org = OrganisationFactory(name="Stadtwerke Soest")
    first = ContactFactory(
        first_name="Jörg",
        last_name="Größe",
        organisation=org,
        email="joerg@example.org",
        phone="02921 103-0",
        function=NASTY[0],
    )
    second = ContactFactory(first_name=NASTY[2], last_name=NASTY[3], email="zweite@example.org")
    return [first, second]


def test_csv_export_reads_back_and_escapes_formulas(client_for, office, contacts):
    response = client_for(office).get(reverse("stakeholders:export_csv"))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Disposition"].startswith("attachment")
    text = response.getvalue().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    by_name = {r["Nachname"]: r for r in rows}
    assert by_name["Größe"]["Organisation"] == "Stadtwerke Soest"
    assert by_name["Größe"]["Funktion"] == "'" + NASTY[0]
    assert by_name["'" + NASTY[3]]["Vorname"] == "'" + NASTY[2]
    assert AuditEvent.objects.get(kind="export", details__format="csv").details["anzahl"] == 2


def test_xlsx_export_reads_back_without_formulas(client_for, office, contacts):
    response = client_for(office).get(reverse("stakeholders:export_xlsx") + "?q=Größe")
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][3] == "Nachname"
    assert len(rows) == 2
    assert rows[1][3] == "Größe"
    assert rows[1][5] == "'" + NASTY[0]
    assert all(not str(v).startswith("=") for row in rows for v in row if v)
    log = AuditEvent.objects.get(kind="export", details__format="xlsx")
    assert "q=" in log.target
    assert log.details["anzahl"] == 1


def test_vcard_single_and_list_read_back(client_for, office, contacts):
    client = client_for(office)
    response = client.get(reverse("stakeholders:contact_vcard", args=[contacts[0].pk]))
    card = vobject.readOne(response.content.decode())
    assert card.n.value.family == "Größe"
    assert card.org.value == ["Stadtwerke Soest"]
    assert card.email.value == "joerg@example.org"
    assert card.tel.value == "02921 103-0"

    dl = DistributionListFactory()
    recipient = consenting_contact(last_name="Empfänger")
    ListMembership.objects.create(distribution_list=dl, contact=recipient)
    ListMembership.objects.create(distribution_list=dl, contact=contacts[0])  # no consent
    response = client.get(reverse("stakeholders:list_vcard", args=[dl.pk]))
    cards = list(vobject.readComponents(response.getvalue().decode()))
    assert [c.n.value.family for c in cards] == ["Empfänger"]

    response = client.get(reverse("stakeholders:export_vcard"))
    assert len(list(vobject.readComponents(response.getvalue().decode()))) == 3
    assert AuditEvent.objects.filter(kind="export", details__format="vcard").count() == 3


def test_partner_export_contains_only_own_municipality(client_for, partner_lippstadt, contacts):
    response = client_for(partner_lippstadt).get(reverse("stakeholders:export_csv"))
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert rows == []


def test_auskunft_json_and_pdf_are_complete_and_logged(
    client_for, office, django_capture_on_commit_callbacks
):
    contact = consenting_contact(first_name="Paula", last_name="Presse")
    InteractionFactory(contact=contact, summary="Interview zur Smart City")
    client = client_for(office)
    data = json.loads(client.get(reverse("stakeholders:auskunft_json", args=[contact.pk])).content)
    assert data["person"]["Vorname"] == "Paula"
    sections = {s["title"]: s["rows"] for s in data["abschnitte"]}
    assert sections["Kontakthistorie"][0]["Zusammenfassung"] == "Interview zur Smart City"
    url = reverse("stakeholders:auskunft_pdf", args=[contact.pk])
    response = download_export(client, url, {}, django_capture_on_commit_callbacks)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="auskunft-{contact.pk}.pdf"'
    content = response.getvalue()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "Presse" in text
    assert "Interview zur Smart City" in text
    assert "Einwilligung" in text
    assert_tagged_pdf(content, title="Auskunft nach Art. 15 DSGVO")
    auskunft = AuditEvent.objects.filter(kind="auskunft")
    assert {e.details["format"] for e in auskunft} == {"json", "pdf"}


@pytest.mark.parametrize("name", ["export_csv", "export_vcard", "list_vcard"])
def test_contact_exports_read_the_contacts_while_streaming(client_for, office, contacts, name):
    """Memory does not grow with the list: before the body is sent only the count for the
    log has touched the contacts; the rows are read chunk by chunk while streaming."""
    dl = DistributionListFactory()
    for contact in contacts:
        ListMembership.objects.create(distribution_list=dl, contact=contact)
    consenting = consenting_contact(last_name="Empfänger")
    ListMembership.objects.create(distribution_list=dl, contact=consenting)
    url = reverse(f"stakeholders:{name}", args=[dl.pk] if name == "list_vcard" else [])
    client = client_for(office)
    with CaptureQueriesContext(connection) as before:
        response = client.get(url)
    assert response.streaming
    reads = [q["sql"] for q in before.captured_queries if '"stakeholders_contact"' in q["sql"]]
    assert reads, "the count for the log"
    assert all("COUNT(" in sql.upper() for sql in reads), reads
    body = response.getvalue()
    assert b"Empf\xc3\xa4nger" in body
