"""CSV, XLSX and vCard output of contacts, and the Auskunft as a background export. Every
cell that a spreadsheet could run as a formula is defused with a leading apostrophe (CSV
injection, OWASP).

The list exports take any iterable of contacts and never hold them all: the views pass
`queryset.iterator(chunk_size=ITERATOR_CHUNK)`, stream CSV and vCard chunk by chunk and
write XLSX with openpyxl's write-only workbook (soest_office.spreadsheets).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import vobject
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from soest_office.exports import ExportKind
from soest_office.plugins import EXPORT_KINDS
from soest_office.spreadsheets import (
    CSV_CHUNK_BYTES,
    csv_chunks,
    release_prefetched,
    spreadsheet_safe,
    text_chunks,
)

from . import dsgvo

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
    ("Straße", lambda c: c.street),
    ("PLZ", lambda c: c.postal_code),
    ("Ort", lambda c: c.city),
    ("Land", lambda c: c.country),
    ("Kommune", lambda c: c.municipality.name if c.municipality else ""),
    ("Kategorie", lambda c: c.get_category_display()),
    ("Schlagwörter", lambda c: ", ".join(t.name for t in c.tags.all())),
    ("nicht kontaktieren", lambda c: "ja" if c.do_not_contact else "nein"),
]


def _rows(contacts):
    for contact in contacts:
        row = [spreadsheet_safe(getter(contact)) for _header, getter in COLUMNS]
        release_prefetched(contact)
        yield row


def header() -> list[str]:
    return [name for name, _getter in COLUMNS]


def contacts_csv_chunks(contacts: Iterable) -> Iterator[bytes]:
    """Semicolon-separated UTF-8 with BOM (what German Excel opens without a wizard), in
    chunks as the contacts are read."""
    return csv_chunks(header(), _rows(contacts))


def write_contacts_xlsx(workbook, contacts: Iterable) -> None:
    """One sheet into a write-only workbook, a row per contact as it is read."""
    sheet = workbook.create_sheet("Kontakte")
    sheet.append(header())
    for row in _rows(contacts):
        sheet.append(row)


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
    if contact.has_address:
        adr = card.add("adr")
        adr.value = vobject.vcard.Address(
            street=contact.street,
            city=contact.city,
            code=contact.postal_code,
            country=contact.country,
        )
        adr.type_param = "WORK"
    return card.serialize()


def contacts_vcard_chunks(contacts: Iterable, *, chunk_bytes=CSV_CHUNK_BYTES) -> Iterator[bytes]:
    """The vCards one after another (UTF-8), in chunks of about `chunk_bytes`."""
    return text_chunks((contact_vcard(contact) for contact in contacts), chunk_bytes=chunk_bytes)


# --- The Auskunft as PDF: a background export (found by the kernel, see soest_office.plugins).
# Office only, for a contact the user may still see (stakeholders/dsgvo.py).

EXPORT_KINDS.register(
    ExportKind(
        key=dsgvo.AUSKUNFT_EXPORT,
        check_access=dsgvo.auskunft_check_access,
        render=dsgvo.auskunft_render,
        on_download=dsgvo.auskunft_downloaded,
        back_url=lambda params: reverse("stakeholders:contact_detail", args=[params["contact"]]),
        back_label=_("Zurück zum Kontakt"),
    )
)
