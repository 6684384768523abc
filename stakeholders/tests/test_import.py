import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from soest_office.models import AuditEvent
from stakeholders import services
from stakeholders.importer import ImportFileError, read_table
from stakeholders.models import Contact, ImportJob, LegalBasisRecord, Purpose

from .factories import ContactFactory, consenting_contact

pytestmark = pytest.mark.django_db

HEADER = "Vorname;Nachname;E-Mail;Organisation;Kommune;Presseverteiler\n"


def _upload(client, content: bytes, name="kontakte.csv"):
    return client.post(
        reverse("stakeholders:import_upload"), {"file": SimpleUploadedFile(name, content)}
    )


def _run(client, content: bytes, name="kontakte.csv", mode="skip", mapping=None):
    """Upload, keep the guessed mapping, choose the duplicate mode, preview."""
    response = _upload(client, content, name)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.latest("created_at")
    data = {"duplicate_mode": mode}
    for i, header in enumerate(job.headers):
        data[f"col_{i}"] = (mapping or job.mapping).get(header, "")
    response = client.post(reverse("stakeholders:import_mapping", args=[job.token]), data)
    assert response.status_code == 302
    preview = client.get(reverse("stakeholders:import_preview", args=[job.token]))
    return job, preview


# --- Reading: encodings, separators, sizes ---------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        ("Vorname;Nachname\nJürgen;Größe\n".encode(), "utf-8"),
        (b"\xef\xbb\xbf" + "Vorname;Nachname\nJürgen;Größe\n".encode(), "utf-8-sig"),
        ("Vorname;Nachname\nJürgen;Größe\n".encode("cp1252"), "cp1252"),
    ],
)
def test_reads_utf8_bom_and_windows_1252(raw, encoding):
    table = read_table(raw, "k.csv")
    assert table["encoding"] == encoding
    assert table["headers"] == ["Vorname", "Nachname"]
    assert table["rows"] == [["Jürgen", "Größe"]]


@pytest.mark.parametrize("sep", [";", ","])
def test_reads_both_separators(sep):
    table = read_table(f"Vorname{sep}Nachname\nA{sep}B\n".encode(), "k.csv")
    assert table["delimiter"] == sep
    assert table["rows"] == [["A", "B"]]


@pytest.mark.parametrize(
    ("raw", "name", "message"),
    [
        (b"", "k.csv", "leer"),
        (b"Vorname;Nachname\n", "k.csv", "nur die Überschriftenzeile"),
        (b"einespalte\nx\n", "k.csv", "Trennzeichen"),
        (b"kein zip", "k.xlsx", "keine Excel-Datei"),
        (b"PK\x03\x04kaputt", "k.xlsx", "beschädigt"),
        (b"x", "k.xls", ".xls"),
        (b"x", "k.pdf", "CSV- oder XLSX"),
        ("A;B\n".encode("utf-16"), "k.csv", "UTF-16"),
    ],
)
def test_unreadable_files_give_german_errors(raw, name, message):
    with pytest.raises(ImportFileError, match=message):
        read_table(raw, name)


@override_settings(STAKEHOLDERS_IMPORT_MAX_BYTES=100)
def test_oversize_file_is_rejected_in_the_view(client_for, office):
    response = _upload(client_for(office), b"Nachname\n" + b"x\n" * 200)
    assert response.status_code == 400
    assert "zu groß" in response.content.decode()
    assert not ImportJob.objects.exists()


@override_settings(STAKEHOLDERS_IMPORT_MAX_ROWS=3)
def test_too_many_rows_are_rejected():
    with pytest.raises(ImportFileError, match="höchstens 3"):
        read_table(b"Nachname;x\n" + b"a;b\n" * 4, "k.csv")


def test_reads_xlsx():
    wb = Workbook()
    ws = wb.active
    ws.append(["Vorname", "Nachname", "E-Mail"])
    ws.append(["Anna", "Arndt", "anna@example.org"])
    buf = io.BytesIO()
    wb.save(buf)
    table = read_table(buf.getvalue(), "k.xlsx")
    assert table["rows"] == [["Anna", "Arndt", "anna@example.org"]]


# --- Preview and commit ---------------------------------------------------------------------


def test_preview_shows_per_row_german_errors_and_commit_writes_nothing(client_for, office):
    client = client_for(office)
    csv_bytes = (
        HEADER
        + "Anna;Arndt;anna@example.org;Stadtwerke Soest;Soest;Einwilligung\n"
        + "Bernd;;bernd@example;;Atlantis;vielleicht\n"
        + "Clara;Clausen;anna@example.org;;;\n"
    ).encode()
    job, preview = _run(client, csv_bytes)
    text = preview.content.decode()
    assert "Zeile 3: Nachname fehlt." in text
    assert "E-Mail-Adresse »bernd@example« ist ungültig." in text
    assert "Kommune »Atlantis« ist unbekannt" in text
    assert "Rechtsgrundlage Presseverteiler »vielleicht« ist unbekannt" in text
    assert "Zeile 4: E-Mail-Adresse »anna@example.org« steht schon in Zeile 2." in text

    response = client.post(reverse("stakeholders:import_commit", args=[job.token]))
    assert response.status_code == 302
    assert not Contact.objects.exists()  # all or nothing
    job.refresh_from_db()
    assert job.status != ImportJob.Status.DONE


def test_fixed_file_imports_everything(client_for, office):
    client = client_for(office)
    broken = (HEADER + "Anna;Arndt;anna@example;;Soest;\n").encode()
    job, preview = _run(client, broken)
    assert "ist ungültig" in preview.content.decode()
    fixed = (HEADER + "Anna;Arndt;anna@example.org;Stadtwerke Soest;Soest;Einwilligung\n").encode()
    response = client.post(
        reverse("stakeholders:import_replace", args=[job.token]),
        {"file": SimpleUploadedFile("fixed.csv", fixed)},
    )
    assert response.status_code == 302
    response = client.post(reverse("stakeholders:import_commit", args=[job.token]))
    assert response.status_code == 302
    contact = Contact.objects.get(last_name="Arndt")
    assert contact.organisation.name == "Stadtwerke Soest"
    assert contact.municipality.slug == "soest"
    assert contact.history.count() == 1
    assert services.current_basis(contact=contact, purpose=Purpose.PRESS).method == "import"
    assert AuditEvent.objects.get(kind="import", area="kontakte").details["anzahl"] == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.created_count == 1
    # Committing twice does not import twice.
    client.post(reverse("stakeholders:import_commit", args=[job.token]))
    assert Contact.objects.filter(last_name="Arndt").count() == 1


@pytest.mark.parametrize(
    ("mode", "expected_count", "expected_first_name"),
    [("skip", 1, "Alt"), ("update", 1, "Neu"), ("create", 2, "Alt")],
)
def test_duplicate_modes(client_for, office, mode, expected_count, expected_first_name):
    ContactFactory(first_name="Alt", last_name="Arndt", email="anna@example.org")
    client = client_for(office)
    job, _preview = _run(client, (HEADER + "Neu;Arndt;ANNA@example.org;;;\n").encode(), mode=mode)
    client.post(reverse("stakeholders:import_commit", args=[job.token]))
    assert Contact.objects.filter(last_name="Arndt").count() == expected_count
    assert Contact.objects.order_by("pk").first().first_name == expected_first_name


def test_import_never_lifts_do_not_contact_or_a_withdrawal(client_for, office):
    contact = consenting_contact(last_name="Arndt", email="anna@example.org", do_not_contact=True)
    services.consent_withdraw(contact=contact, purpose=Purpose.PRESS, source="Brief")
    client = client_for(office)
    header = "Nachname;E-Mail;Presseverteiler;nicht kontaktieren\n"
    job, _preview = _run(
        client, (header + "Arndt;anna@example.org;Einwilligung;nein\n").encode(), mode="update"
    )
    client.post(reverse("stakeholders:import_commit", args=[job.token]))
    contact.refresh_from_db()
    assert contact.do_not_contact is True
    latest = services.current_basis(contact=contact, purpose=Purpose.PRESS)
    assert latest.status == LegalBasisRecord.Status.WITHDRAWN


def test_mapping_requires_last_name_and_unique_targets(client_for, office):
    client = client_for(office)
    _upload(client, b"A;B\nx;y\n")
    job = ImportJob.objects.get()
    response = client.post(
        reverse("stakeholders:import_mapping", args=[job.token]),
        {"col_0": "email", "col_1": "email", "duplicate_mode": "skip"},
    )
    assert response.status_code == 400
    assert "nur einer Spalte" in response.content.decode()
    response = client.post(
        reverse("stakeholders:import_mapping", args=[job.token]),
        {"col_0": "first_name", "col_1": "", "duplicate_mode": "skip"},
    )
    assert "Nachnamen" in response.content.decode()


def test_ten_thousand_rows_import_in_bulk(
    client_for, office, settings, django_capture_on_commit_callbacks
):
    """10,000 rows cost a bounded number of queries (bulk writes in chunks), not one or more
    per row. The time is measured by the benchmark (`make bench`), not here."""
    settings.STAKEHOLDERS_IMPORT_SYNC_ROWS = 100  # goes through the Celery task (eager here)
    lines = [HEADER]
    for i in range(10_000):
        lines.append(f"Vor{i};Nach{i};p{i}@example.org;Firma {i % 50};Soest;Einwilligung\n")
    client = client_for(office)
    job, preview = _run(client, "".join(lines).encode())
    assert preview.status_code == 200
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = client.post(reverse("stakeholders:import_commit", args=[job.token]))
    assert response.status_code == 302
    assert callbacks  # queued after commit, not run inline
    assert Contact.objects.count() == 10_000
    assert LegalBasisRecord.objects.count() == 10_000
    # Chunked writes and search entries: about one query per ten rows; per-row work would
    # be 10,000 or more.
    assert len(queries) < 2_000, f"{len(queries)} Abfragen für 10.000 Zeilen"
    status = client.get(reverse("stakeholders:import_status", args=[job.token]))
    assert "10000 neu angelegt" in status.content.decode().replace(".", "")


def test_partner_cannot_import(client_for, partner_soest):
    response = _upload(client_for(partner_soest), HEADER.encode())
    assert response.status_code == 403


def test_broken_row_can_be_fixed_in_the_browser_form(client_for, office):
    client = client_for(office)
    broken = (HEADER + "Jürgen;Größe;juergen(at)example.org;Bäckerei Größ;Soest;\n").encode(
        "cp1252"
    )
    job, preview = _run(client, broken)
    assert 'name="f_email" value="juergen(at)example.org"' in preview.content.decode()
    response = client.post(
        reverse("stakeholders:import_fix_row", args=[job.token, 2]),
        {
            "f_email": "juergen@example.org",
            "f_last_name": "Größe",
            "f_first_name": "Jürgen",
            "f_organisation": "Bäckerei Größ",
            "f_municipality": "Soest",
            "f_basis_press": "",
        },
    )
    assert response.status_code == 302
    preview = client.get(reverse("stakeholders:import_preview", args=[job.token]))
    assert "fehlerhaft" not in preview.content.decode()
    client.post(reverse("stakeholders:import_commit", args=[job.token]))
    contact = Contact.objects.get()
    assert (contact.first_name, contact.email) == ("Jürgen", "juergen@example.org")
    assert contact.organisation.name == "Bäckerei Größ"


def test_fixing_a_line_that_does_not_exist_is_a_german_error(client_for, office):
    client = client_for(office)
    job, _preview = _run(client, (HEADER + "A;B;;;;\n").encode())
    response = client.post(
        reverse("stakeholders:import_fix_row", args=[job.token, 99]), {"f_email": "x"}, follow=True
    )
    assert "Zeile 99 gibt es in der Datei nicht." in response.content.decode()
