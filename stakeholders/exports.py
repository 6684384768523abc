"""CSV, XLSX and vCard output of contacts. Every cell that a spreadsheet could run as a
formula is defused with a leading apostrophe (CSV injection, OWASP)."""

from __future__ import annotations

import csv
import io

import vobject
from openpyxl import Workbook

from soest_office.spreadsheets import spreadsheet_safe

COLUMNS = [
    ("Anrede", lambda c: c.salutation),
    ("Titel", lambda c: c.title),
    ("Vorname", lambda c: c.first_name),
    ("Nachname", lambda c: c.last_name),
    ("Organisation", lambda c: c.organisation.name if c.organisation else ""),
    ("Funktion", lambda c: c.function),
    ("E-Mail", lambda c: c.email),
    ("weitere E-Mail", lambda c: c.email_secondary),
    ("Telefon", lambda c: c.phone),
    ("Mobil", lambda c: c.mobile),
    ("Kommune", lambda c: c.municipality.name if c.municipality else ""),
    ("Kategorie", lambda c: c.get_category_display()),
    ("Schlagwörter", lambda c: ", ".join(t.name for t in c.tags.all())),
    ("nicht kontaktieren", lambda c: "ja" if c.do_not_contact else "nein"),
]


def _rows(contacts):
    for contact in contacts:
        yield [spreadsheet_safe(getter(contact)) for _header, getter in COLUMNS]


def contacts_csv(contacts) -> bytes:
    """Semicolon-separated UTF-8 with BOM: what German Excel opens without a wizard."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([header for header, _getter in COLUMNS])
    writer.writerows(_rows(contacts))
    return buffer.getvalue().encode("utf-8-sig")


def contacts_xlsx(contacts) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Kontakte")
    sheet.append([header for header, _getter in COLUMNS])
    for row in _rows(contacts):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def contact_vcard(contact) -> str:
    card = vobject.vCard()
    card.add("n").value = vobject.vcard.Name(
        family=contact.last_name, given=contact.first_name, prefix=contact.title
    )
    card.add("fn").value = contact.full_name
    if contact.organisation:
        card.add("org").value = [contact.organisation.name]
    if contact.function:
        card.add("title").value = contact.function
    for address in (contact.email, contact.email_secondary):
        if address:
            email = card.add("email")
            email.value = address
            email.type_param = "INTERNET"
    for number, kind in ((contact.phone, "WORK"), (contact.mobile, "CELL")):
        if number:
            tel = card.add("tel")
            tel.value = number
            tel.type_param = kind
    return card.serialize()


def contacts_vcard(contacts) -> str:
    return "".join(contact_vcard(c) for c in contacts)
