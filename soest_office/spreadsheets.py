"""What every CSV and XLSX export shares: cells a spreadsheet must not run as formulas, and
downloads whose memory does not grow with the number of rows.

- CSV is streamed: `csv_response(header, rows, filename=...)` writes each row as it is read
  (rows come from `queryset.iterator(chunk_size=ITERATOR_CHUNK)`), in chunks of about 64 KB.
- XLSX is written by openpyxl's write-only workbook (rows go to a temporary file as XML) into
  a temporary file that `FileResponse` streams: `xlsx_response(write, filename=...)`.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator

from django.http import FileResponse, StreamingHttpResponse

# A cell starting with one of these is executed by Excel/LibreOffice (CSV injection, OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# Rows fetched per database round trip (and per prefetch) when an export iterates a queryset.
ITERATOR_CHUNK = 500
# Bytes of CSV collected before a chunk goes to the client: few writes, little memory.
CSV_CHUNK_BYTES = 64 * 1024
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# An XLSX up to this size stays in memory; larger ones spill to a temporary file on disk.
XLSX_SPOOL_BYTES = 1024 * 1024


def spreadsheet_safe(value) -> str:
    """The value as cell text that no spreadsheet executes: a leading apostrophe defuses it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def release_prefetched(instance) -> None:
    """Drop an instance's prefetch cache once its row is written.

    The cached related querysets point back at the instance (a reference cycle), so without
    this every exported row would wait for the next full garbage collection instead of being
    freed with its iterator chunk, and memory would grow with the rows after all.
    """
    instance.__dict__.pop("_prefetched_objects_cache", None)


class _Echo:
    """A file-like object whose write() hands the line back (csv.writer without a buffer)."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(
    header: list[str], rows: Iterable[list[str]], *, chunk_bytes: int = CSV_CHUNK_BYTES
) -> Iterator[bytes]:
    """UTF-8 with BOM, ';' separated, CRLF (what German Excel opens without a wizard), as
    byte chunks: the header at once, then about `chunk_bytes` of rows at a time. The cells
    are written as given; callers make them `spreadsheet_safe`."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    yield ("\ufeff" + writer.writerow(header)).encode("utf-8")
    yield from text_chunks((writer.writerow(row) for row in rows), chunk_bytes=chunk_bytes)


def text_chunks(pieces: Iterable[str], *, chunk_bytes: int = CSV_CHUNK_BYTES) -> Iterator[bytes]:
    """Join text pieces (lines, vCards) into UTF-8 chunks of about `chunk_bytes`, so that a
    streamed response neither sends one tiny chunk per row nor holds the whole body."""
    pending: list[str] = []
    size = 0
    for piece in pieces:
        pending.append(piece)
        size += len(piece)
        if size >= chunk_bytes:
            yield "".join(pending).encode("utf-8")
            pending, size = [], 0
    if pending:
        yield "".join(pending).encode("utf-8")


def _no_store(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def streaming_attachment(chunks: Iterable[bytes], *, content_type: str, filename: str):
    """A download whose body is produced while it is sent."""
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _no_store(response)


def csv_response(header: list[str], rows: Iterable[list[str]], *, filename: str):
    return streaming_attachment(
        csv_chunks(header, rows), content_type="text/csv; charset=utf-8", filename=filename
    )


def xlsx_response(write: Callable, *, filename: str) -> FileResponse:
    """Build a write-only workbook with `write(workbook)` and stream the saved file.

    `write` creates its sheets with `workbook.create_sheet()` and appends rows as it reads
    them; openpyxl keeps no rows in memory (each sheet is written to a temporary file), and
    the finished file is spooled to disk once it passes XLSX_SPOOL_BYTES.
    """
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    write(workbook)
    spool = tempfile.SpooledTemporaryFile(max_size=XLSX_SPOOL_BYTES)  # noqa: SIM115
    workbook.save(spool)
    spool.seek(0)
    # FileResponse closes the file (and so removes it) when the response is closed.
    response = FileResponse(
        spool, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
    return _no_store(response)
