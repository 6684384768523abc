"""Per-row validation with German messages, and matching rows to existing contacts."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.validators import validate_email

from soest_office.models import Municipality

from ..forms import PHONE_RE, postal_code_problem
from ..models import Contact, ImportJob, Organisation, Purpose
from .columns import BASIS_VALUES, NO, SALUTATIONS, TARGETS, YES
from .uploads import job_table


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
    problem = postal_code_problem(v.get("postal_code", ""), v.get("country", ""))
    if problem:
        errors.append(problem)
    for key, limit in (("street", 200), ("city", 100), ("country", 100)):
        if len(v.get(key, "")) > limit:
            errors.append(f"{TARGETS[key]} ist zu lang (höchstens {limit} Zeichen).")
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
