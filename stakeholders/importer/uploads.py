"""The stored upload of an import: read back, corrected row by row in the browser (written
back as CSV), deleted when it was never committed."""

from __future__ import annotations

import csv
import io

from django.utils import timezone

from ..models import ImportJob
from .reading import ImportFileError, read_table


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
