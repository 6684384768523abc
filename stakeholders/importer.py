"""Import of contacts from CSV/XLSX: reading (encodings, separators, sizes), column mapping,
per-row validation with German messages, and an all-or-nothing commit in bulk.

Rules that no import can break: "do not contact" is never lifted, and a current withdrawal
for a purpose is never replaced by an imported consent.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from soest_office.audit import audit_record
from soest_office.models import AuditEvent, Municipality

from . import audit
from .forms import PHONE_RE
from .models import (
    Contact,
    ImportJob,
    LegalBasisRecord,
    Organisation,
    Purpose,
    Tag,
    latest_basis_subquery,
)


class ImportFileError(Exception):
    """The file cannot be read at all; the message is German and shown to the user."""


class ImportRowsInvalid(Exception):
    """At least one row has errors; nothing was written."""


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


def max_bytes() -> int:
    return getattr(settings, "STAKEHOLDERS_IMPORT_MAX_BYTES", 10 * 1024 * 1024)


def max_rows() -> int:
    return getattr(settings, "STAKEHOLDERS_IMPORT_MAX_ROWS", 50_000)


# --- Reading ----------------------------------------------------------------------------------


def detect_format(name: str, head: bytes) -> str:
    lower = name.lower()
    if lower.endswith(".xlsx"):
        if not head.startswith(b"PK"):
            raise ImportFileError(
                "Die Datei endet auf .xlsx, ist aber keine Excel-Datei. Bitte speichern Sie "
                "sie in Excel erneut als »Excel-Arbeitsmappe (.xlsx)«."
            )
        return "xlsx"
    if lower.endswith((".csv", ".txt")):
        return "csv"
    if lower.endswith(".xls"):
        raise ImportFileError(
            "Das alte Excel-Format .xls wird nicht unterstützt. Bitte als .xlsx oder .csv "
            "speichern."
        )
    raise ImportFileError("Bitte laden Sie eine CSV- oder XLSX-Datei hoch.")


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was in: UTF-8 (with or without BOM) or Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if b"\x00" in data[:4096]:
        raise ImportFileError(
            "Die Datei scheint UTF-16 oder binär zu sein. Bitte als »CSV UTF-8« speichern."
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            "Die Zeichenkodierung der Datei wurde nicht erkannt. Bitte als »CSV UTF-8« speichern."
        ) from exc


def detect_delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get)
    if counts[delimiter] == 0:
        raise ImportFileError(
            "In der ersten Zeile wurde kein Trennzeichen (Semikolon oder Komma) gefunden. "
            "Die erste Zeile muss die Spaltenüberschriften enthalten."
        )
    return delimiter


def read_table(data: bytes, name: str) -> dict:
    """Headers and rows (lists of strings) of an uploaded file, or ImportFileError."""
    if not data:
        raise ImportFileError("Die Datei ist leer.")
    if len(data) > max_bytes():
        raise ImportFileError(
            f"Die Datei ist zu groß ({len(data) / 1024 / 1024:.1f} MB). Erlaubt sind "
            f"höchstens {max_bytes() / 1024 / 1024:.0f} MB."
        )
    fmt = detect_format(name, data[:4])
    if fmt == "xlsx":
        table = _read_xlsx(data)
        encoding, delimiter = "", ""
    else:
        text, encoding = decode(data)
        delimiter = detect_delimiter(text)
        try:
            table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        except csv.Error as exc:
            raise ImportFileError(f"Die CSV-Datei ist fehlerhaft: {exc}") from exc
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        raise ImportFileError("Die Datei enthält keine Zeilen.")
    headers = [h.strip() for h in table[0]]
    if any(not h for h in headers) and len([h for h in headers if h]) == 0:
        raise ImportFileError("Die erste Zeile muss die Spaltenüberschriften enthalten.")
    if len(set(headers)) != len(headers):
        raise ImportFileError("Die Spaltenüberschriften müssen eindeutig sein.")
    rows = table[1:]
    if not rows:
        raise ImportFileError("Die Datei enthält nur die Überschriftenzeile, keine Kontakte.")
    if len(rows) > max_rows():
        raise ImportFileError(
            f"Die Datei hat {len(rows)} Zeilen; erlaubt sind höchstens {max_rows()}."
        )
    return {
        "format": fmt,
        "encoding": encoding,
        "delimiter": delimiter,
        "headers": headers,
        "rows": rows,
    }


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    damaged = "Die Excel-Datei ist beschädigt oder kein gültiges .xlsx-Format."
    # A damaged file fails in the ZIP, zlib or XML layer or in openpyxl itself, each with its
    # own exception types, and in read-only mode not before the rows are read.
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise ImportFileError(damaged) from exc
    table = []
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            table.append(["" if v is None else str(v).strip() for v in row])
            if len(table) > max_rows() + 1:
                break
    except Exception as exc:
        raise ImportFileError(damaged) from exc
    finally:
        workbook.close()
    return table


def guess_mapping(headers: list[str]) -> dict[str, str]:
    mapping = {}
    used = set()
    for header in headers:
        target = ALIASES.get(header.strip().lower())
        if target and target not in used:
            mapping[header] = target
            used.add(target)
    return mapping


def import_cleanup_stale(*, days: int = 7) -> int:
    """Delete uploads that were never committed after `days` (they hold personal data)."""
    limit = timezone.now() - timezone.timedelta(days=days)
    count = 0
    for job in ImportJob.objects.filter(created_at__lt=limit).exclude(file=""):
        job.file.delete(save=False)
        job.file = ""
        job.save(update_fields=["file"])
        count += 1
    return count


def job_table(job: ImportJob) -> dict:
    job.file.open("rb")
    try:
        data = job.file.read()
    finally:
        job.file.close()
    return read_table(data, job.original_name)


def table_to_csv(table: dict) -> bytes:
    """Serialise a table (after an in-browser correction) as UTF-8 CSV with semicolons."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(table["headers"])
    writer.writerows(table["rows"])
    return buffer.getvalue().encode("utf-8")


def table_fix_row(table: dict, *, line: int, values: dict[str, str], mapping: dict) -> dict:
    """Replace the mapped cells of file line `line` (2 = first data row) with `values`."""
    index = line - 2
    if not 0 <= index < len(table["rows"]):
        raise ImportFileError(f"Zeile {line} gibt es in der Datei nicht.")
    headers = table["headers"]
    row = list(table["rows"][index]) + [""] * (len(headers) - len(table["rows"][index]))
    for header, target in mapping.items():
        if target in values and header in headers:
            row[headers.index(header)] = values[target].strip()
    table["rows"][index] = row
    return table


# --- Validation -------------------------------------------------------------------------------


@dataclass
class RowResult:
    line: int
    values: dict
    errors: list[str] = field(default_factory=list)
    action: str = "create"  # create, update, skip
    match_id: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def action_label(self):
        return {"create": "neu", "update": "aktualisieren", "skip": "überspringen"}[self.action]


class Lookups:
    """Everything a validation pass needs, loaded once (a handful of queries per file)."""

    def __init__(self):
        self.municipalities = {}
        for m in Municipality.objects.all():
            self.municipalities[m.name.lower()] = m.pk
            self.municipalities[m.slug.lower()] = m.pk
        self.organisations = {
            name.lower(): pk for pk, name in Organisation.objects.values_list("pk", "name")
        }
        self.by_email = {}
        for pk, email in Contact.objects.exclude(email="").values_list("pk", "email"):
            self.by_email.setdefault(email.lower(), pk)
        self.by_name = {}
        for pk, first, last, org in Contact.objects.values_list(
            "pk", "first_name", "last_name", "organisation__name"
        ):
            if org:
                self.by_name.setdefault((first.lower(), last.lower(), org.lower()), pk)
        self.categories = {}
        for value, label in Contact.Category.choices:
            self.categories[value] = value
            self.categories[str(label).lower()] = value


def validate_rows(table: dict, mapping: dict, duplicate_mode: str) -> list[RowResult]:
    headers = table["headers"]
    index = {target: headers.index(header) for header, target in mapping.items() if target}
    lookups = Lookups()
    seen_emails: dict[str, int] = {}
    results = []
    for number, row in enumerate(table["rows"], start=2):
        values = {}
        for target, col in index.items():
            values[target] = row[col].strip() if col < len(row) else ""
        result = RowResult(line=number, values=values)
        _validate_row(result, lookups, seen_emails)
        if not result.errors:
            _match(result, lookups, duplicate_mode)
        results.append(result)
    return results


def _validate_row(result: RowResult, lookups: Lookups, seen_emails: dict) -> None:
    v = result.values
    errors = result.errors
    if not v.get("last_name"):
        errors.append("Nachname fehlt.")
    for key, label in (("email", "E-Mail-Adresse"), ("email_secondary", "weitere E-Mail")):
        address = v.get(key, "")
        if address:
            try:
                validate_email(address)
            except Exception:
                errors.append(f"{label} »{address}« ist ungültig.")
    email = v.get("email", "").lower()
    if email:
        if email in seen_emails:
            errors.append(
                f"E-Mail-Adresse »{v['email']}« steht schon in Zeile {seen_emails[email]}."
            )
        else:
            seen_emails[email] = result.line
    for key, label in (("phone", "Telefonnummer"), ("mobile", "Mobilnummer")):
        number = v.get(key, "")
        if number and not PHONE_RE.match(number):
            errors.append(f"{label} »{number}« ist ungültig.")
    municipality = v.get("municipality", "")
    if municipality and municipality.lower() not in lookups.municipalities:
        errors.append(
            f"Kommune »{municipality}« ist unbekannt (erlaubt: Soest, Lippstadt, Iserlohn, "
            "Kreis Soest)."
        )
    salutation = v.get("salutation", "")
    if salutation.lower() not in SALUTATIONS:
        errors.append(f"Anrede »{salutation}« ist unbekannt (erlaubt: Frau, Herr oder leer).")
    category = v.get("category", "")
    if category and category.lower() not in lookups.categories:
        errors.append(f"Kategorie »{category}« ist unbekannt.")
    dnc = v.get("do_not_contact", "").lower()
    if dnc not in YES | NO:
        errors.append(f"»nicht kontaktieren« muss ja oder nein sein, nicht »{dnc}«.")
    for purpose in Purpose:
        raw = v.get(f"basis_{purpose.value}", "").lower()
        if raw and raw not in BASIS_VALUES:
            errors.append(
                f"Rechtsgrundlage {purpose.label} »{raw}« ist unbekannt (erlaubt: "
                "Einwilligung, berechtigtes Interesse, Widerruf)."
            )
    for key in ("first_name", "last_name", "title", "function", "organisation"):
        if len(v.get(key, "")) > 150:
            errors.append(f"{TARGETS[key]} ist zu lang (höchstens 150 Zeichen).")


def _match(result: RowResult, lookups: Lookups, duplicate_mode: str) -> None:
    v = result.values
    match = None
    if v.get("email"):
        match = lookups.by_email.get(v["email"].lower())
    if match is None and v.get("organisation"):
        match = lookups.by_name.get(
            (v.get("first_name", "").lower(), v["last_name"].lower(), v["organisation"].lower())
        )
    if match is None:
        return
    result.match_id = match
    if duplicate_mode == ImportJob.DuplicateMode.SKIP:
        result.action = "skip"
    elif duplicate_mode == ImportJob.DuplicateMode.UPDATE:
        result.action = "update"
    else:
        result.action = "create"


def preview(job: ImportJob) -> list[RowResult]:
    return validate_rows(job_table(job), job.mapping, job.duplicate_mode)


# --- Commit -----------------------------------------------------------------------------------

PLAIN_FIELDS = [
    "title",
    "first_name",
    "last_name",
    "function",
    "email",
    "email_secondary",
    "phone",
    "mobile",
    "notes",
]
BATCH = 1000


def progress_key(token: str) -> str:
    return f"stakeholders:import-progress:{token}"


def import_commit(*, job: ImportJob, user) -> ImportJob:
    """Validate again and write every row, or nothing (one transaction). Raises
    ImportRowsInvalid when any row has an error. Progress goes to the cache so the status
    page can read it while the transaction is still open.

    The rows are written in bulk (no model signals per contact). The save that marks the job
    done carries `written_contact_ids` and `written_organisation_ids` (the created and
    updated contacts and their organisations) for post_save receivers such as the search
    index."""
    if job.status == ImportJob.Status.DONE:
        return job
    results = preview(job)
    if any(r.errors for r in results):
        raise ImportRowsInvalid
    total = len(results)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status == ImportJob.Status.DONE:
            return job  # a retried task must not import twice
        lookups = Lookups()
        now = timezone.now()
        org_ids = _ensure_organisations(results, lookups)
        tag_ids = _ensure_tags(results)

        to_create: list[tuple[RowResult, Contact]] = []
        to_update: list[tuple[RowResult, Contact]] = []
        existing = Contact.objects.in_bulk([r.match_id for r in results if r.action == "update"])
        update_fields = set()
        skipped = 0
        for result in results:
            if result.action == "skip":
                skipped += 1
                continue
            if result.action == "update":
                contact = existing[result.match_id]
                update_fields |= _apply(contact, result.values, lookups, org_ids, update=True)
                to_update.append((result, contact))
            else:
                contact = Contact(created_by=user)
                _apply(contact, result.values, lookups, org_ids, update=False)
                to_create.append((result, contact))

        done = skipped
        for start in range(0, len(to_create), BATCH):
            chunk = [c for _r, c in to_create[start : start + BATCH]]
            bulk_create_with_history(chunk, Contact, batch_size=BATCH, default_user=user)
            done += len(chunk)
            cache.set(progress_key(job.token), done, 3600)
        if to_create and to_create[0][1].pk is None:
            # Backends without RETURNING: read the new ids back by e-mail/name order.
            raise RuntimeError("bulk_create lieferte keine IDs")
        if to_update and update_fields:
            bulk_update_with_history(
                [c for _r, c in to_update],
                Contact,
                sorted(update_fields),
                batch_size=BATCH,
                default_user=user,
            )
        done += len(to_update)
        cache.set(progress_key(job.token), done, 3600)

        written = to_create + to_update
        _write_tags(written, tag_ids)
        _write_bases(written, user, now)

        job.status = ImportJob.Status.DONE
        job.total_rows = total
        job.processed_rows = total
        job.created_count = len(to_create)
        job.updated_count = len(to_update)
        job.skipped_count = skipped
        job.finished_at = timezone.now()
        job.error_message = ""
        # For the receivers of post_save (the search index): what this commit wrote. Not
        # stored, so only the save that finishes the import carries it.
        job.written_contact_ids = [c.pk for _r, c in written]
        job.written_organisation_ids = sorted(
            {c.organisation_id for _r, c in written if c.organisation_id}
        )
        job.save()
        # The upload holds personal data: it is not kept once imported.
        transaction.on_commit(lambda: job.file.delete(save=False))
        audit_record(
            kind=AuditEvent.Kind.IMPORT,
            user=user,
            target=f"Import {job.pk}",
            details={
                "anzahl": len(written),
                "neu": job.created_count,
                "aktualisiert": job.updated_count,
                "übersprungen": skipped,
            },
            area=audit.AREA,
        )
    return job


def _ensure_organisations(results, lookups) -> dict[str, int]:
    names = {}
    for r in results:
        name = r.values.get("organisation", "")
        if name and r.action != "skip":
            names.setdefault(name.lower(), name)
    missing = [Organisation(name=n) for key, n in names.items() if key not in lookups.organisations]
    Organisation.objects.bulk_create(missing, batch_size=BATCH)
    ids = dict(lookups.organisations)
    if missing:
        for pk, name in Organisation.objects.filter(name__in=[o.name for o in missing]).values_list(
            "pk", "name"
        ):
            ids.setdefault(name.lower(), pk)
    return ids


def _ensure_tags(results) -> dict[str, int]:
    names = set()
    for r in results:
        if r.action != "skip":
            names |= _split_tags(r.values.get("tags", ""))
    existing = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
    Tag.objects.bulk_create(
        [Tag(name=n) for n in names if n not in existing], ignore_conflicts=True
    )
    return dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))


def _split_tags(raw: str) -> set[str]:
    return {t.strip()[:60] for t in re.split(r"[,|]", raw or "") if t.strip()}


def _apply(contact, values, lookups, org_ids, *, update: bool) -> set[str]:
    """Copy mapped values onto the contact; on update, empty cells leave fields alone.
    Returns the names of changed fields."""
    changed = set()

    def put(name, value):
        if update and value in ("", None):
            return
        setattr(contact, name, value)
        changed.add(name)

    for name in PLAIN_FIELDS:
        if name in values:
            put(name, values[name])
    if "salutation" in values:
        put("salutation", SALUTATIONS[values["salutation"].lower()])
    if values.get("organisation"):
        put("organisation_id", org_ids[values["organisation"].lower()])
    if values.get("municipality"):
        put("municipality_id", lookups.municipalities[values["municipality"].lower()])
    if values.get("category"):
        put("category", lookups.categories[values["category"].lower()])
    # "Do not contact" can be set by an import, never lifted.
    if values.get("do_not_contact", "").lower() in YES and not contact.do_not_contact:
        contact.do_not_contact = True
        changed.add("do_not_contact")
    return changed


def _write_tags(written, tag_ids) -> None:
    through = Contact.tags.through
    rows = []
    for result, contact in written:
        for name in _split_tags(result.values.get("tags", "")):
            rows.append(through(contact_id=contact.pk, tag_id=tag_ids[name]))
    through.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)


def _write_bases(written, user, now) -> None:
    wanted = [
        (contact, purpose, BASIS_VALUES[result.values[f"basis_{purpose.value}"].lower()])
        for result, contact in written
        for purpose in Purpose
        if result.values.get(f"basis_{purpose.value}")
    ]
    if not wanted:
        return
    # Current states of the touched contacts, one query per purpose.
    current = {}
    ids = [c.pk for c, _p, _s in wanted]
    for purpose in Purpose:
        for start in range(0, len(ids), BATCH):
            for pk, status in (
                Contact.objects.filter(pk__in=ids[start : start + BATCH])
                .annotate(_b=latest_basis_subquery(purpose.value))
                .values_list("pk", "_b")
            ):
                current[(pk, purpose.value)] = status
    records = []
    for contact, purpose, status in wanted:
        state = current.get((contact.pk, purpose.value))
        if state == status:
            continue
        if state == LegalBasisRecord.Status.WITHDRAWN:
            continue  # a withdrawal survives every import
        records.append(
            LegalBasisRecord(
                contact_id=contact.pk,
                purpose=purpose.value,
                status=status,
                method=LegalBasisRecord.Method.IMPORT,
                source="Import",
                effective_at=now,
                recorded_by=user,
            )
        )
    LegalBasisRecord.objects.bulk_create(records, batch_size=BATCH)
