"""What the import understands: the target fields and the header spellings mapped to them
(e.g. from an Outlook export), and the cell values for yes/no, legal bases and salutations."""

from __future__ import annotations

from ..models import LegalBasisRecord, Purpose

# Target fields of the mapping: key -> German label.
TARGETS = {
    "salutation": "Anrede",
    "title": "Titel",
    "first_name": "Vorname",
    "last_name": "Nachname",
    "organisation": "Organisation",
    "function": "Funktion",
    "email": "E-Mail",
    "email_secondary": "weitere E-Mail",
    "phone": "Telefon",
    "mobile": "Mobil",
    "street": "Straße und Hausnummer",
    "postal_code": "PLZ",
    "city": "Ort",
    "country": "Land",
    "municipality": "Kommune",
    "category": "Kategorie",
    "tags": "Schlagwörter",
    "notes": "Notizen",
    "do_not_contact": "nicht kontaktieren",
    **{f"basis_{p.value}": f"Rechtsgrundlage {p.label}" for p in Purpose},
}
# Header spellings (lower-case) recognised automatically, e.g. from an Outlook export.
ALIASES = {
    "anrede": "salutation",
    "titel": "title",
    "vorname": "first_name",
    "first name": "first_name",
    "nachname": "last_name",
    "name": "last_name",
    "last name": "last_name",
    "organisation": "organisation",
    "organization": "organisation",
    "firma": "organisation",
    "company": "organisation",
    "funktion": "function",
    "position": "function",
    "job title": "function",
    "e-mail": "email",
    "email": "email",
    "e-mail-adresse": "email",
    "e-mail address": "email",
    "weitere e-mail": "email_secondary",
    "e-mail 2: adresse": "email_secondary",
    "e-mail 2 address": "email_secondary",
    "telefon": "phone",
    "telefon geschäftlich": "phone",
    "business phone": "phone",
    "mobil": "mobile",
    "mobiltelefon": "mobile",
    "mobile phone": "mobile",
    # The postal address: the business address of an Outlook export (German and English
    # Outlook; "Land/Region" in newer, "Land" in older versions), or plain column names.
    # The private address ("... privat", "Home ...") is not guessed: Outlook exports both,
    # and the business one is the one for the office's letters.
    "straße": "street",
    "strasse": "street",
    "straße geschäftlich": "street",
    "strasse geschäftlich": "street",
    "street": "street",
    "business street": "street",
    "plz": "postal_code",
    "postleitzahl": "postal_code",
    "postleitzahl geschäftlich": "postal_code",
    "postal code": "postal_code",
    "zip": "postal_code",
    "business postal code": "postal_code",
    "ort": "city",
    "stadt": "city",
    "ort geschäftlich": "city",
    "city": "city",
    "business city": "city",
    "land": "country",
    "land geschäftlich": "country",
    "land/region geschäftlich": "country",
    "country": "country",
    "country/region": "country",
    "business country": "country",
    "business country/region": "country",
    "kommune": "municipality",
    "kategorie": "category",
    "schlagwörter": "tags",
    "tags": "tags",
    "notizen": "notes",
    "notes": "notes",
    "nicht kontaktieren": "do_not_contact",
    **{f"rechtsgrundlage {p.label.lower()}": f"basis_{p.value}" for p in Purpose},
    **{p.label.lower(): f"basis_{p.value}" for p in Purpose},
}

YES = {"ja", "j", "yes", "y", "x", "1", "wahr", "true"}
NO = {"", "nein", "n", "no", "0", "falsch", "false"}
BASIS_VALUES = {
    "einwilligung": LegalBasisRecord.Status.CONSENT,
    "ja": LegalBasisRecord.Status.CONSENT,
    "consent": LegalBasisRecord.Status.CONSENT,
    "berechtigtes interesse": LegalBasisRecord.Status.LEGITIMATE_INTEREST,
    "bi": LegalBasisRecord.Status.LEGITIMATE_INTEREST,
    "widerruf": LegalBasisRecord.Status.WITHDRAWN,
    "widerspruch": LegalBasisRecord.Status.WITHDRAWN,
    "nein": LegalBasisRecord.Status.WITHDRAWN,
}
SALUTATIONS = {"frau": "Frau", "herr": "Herr", "": ""}


def guess_mapping(headers: list[str]) -> dict[str, str]:
    mapping = {}
    used = set()
    for header in headers:
        target = ALIASES.get(header.strip().lower())
        if target and target not in used:
            mapping[header] = target
            used.add(target)
    return mapping
