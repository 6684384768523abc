"""Reading an uploaded file into headers and rows: CSV (UTF-8 with or without BOM, or
Windows-1252; semicolon, comma or tab) or XLSX, within the size and row limits."""

from __future__ import annotations

import csv
import io

from django.conf import settings


class ImportFileError(Exception):
    """The file cannot be read at all; the message is German and shown to the user."""


def max_bytes() -> int:
    return getattr(settings, "STAKEHOLDERS_IMPORT_MAX_BYTES", 10 * 1024 * 1024)


def max_rows() -> int:
    return getattr(settings, "STAKEHOLDERS_IMPORT_MAX_ROWS", 50_000)


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
