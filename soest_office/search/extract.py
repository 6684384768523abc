"""Text of uploaded documents (PDF, DOCX, ODT, XLSX, plain text) for the search index.

Hostile or huge files must not stall a worker, so every path has limits: file size, pages
(PDF), uncompressed member size (DOCX/ODT, against zip bombs), cells (XLSX), characters of
output and a wall-clock deadline checked between pages/paragraphs/rows. The Celery task adds
a soft and a hard time limit on top. Errors are `ExtractionError` with a German message.
"""

from __future__ import annotations

import time
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from django.conf import settings
from django.utils.translation import gettext as _


class ExtractionError(Exception):
    """The file's text cannot or may not be extracted (message in German)."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * 1024 * 1024
    max_pages: int = 300
    max_chars: int = 200_000
    max_member_bytes: int = 30 * 1024 * 1024  # uncompressed XML of DOCX/ODT
    max_cells: int = 200_000
    max_seconds: float = 30.0

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(**getattr(settings, "SEARCH_EXTRACT_LIMITS", {}))


class _Budget:
    def __init__(self, limits: Limits):
        self.limits = limits
        self.deadline = time.monotonic() + limits.max_seconds
        self.parts: list[str] = []
        self.chars = 0

    def add(self, text: str) -> bool:
        """Keep text; False once the character budget is used up."""
        if time.monotonic() > self.deadline:
            raise ExtractionError(_("Zeitlimit für die Textextraktion überschritten."))
        if not text:
            return True
        room = self.limits.max_chars - self.chars
        if room <= 0:
            return False
        text = text[:room]
        self.parts.append(text)
        self.chars += len(text)
        return self.chars < self.limits.max_chars

    def text(self) -> str:
        return "\n".join(self.parts).replace("\x00", " ")


def _pdf(fileobj, budget: _Budget) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(fileobj)
        if reader.is_encrypted:
            raise ExtractionError(_("Verschlüsselte PDF-Dateien werden nicht durchsucht."))
        for number, page in enumerate(reader.pages):
            if number >= budget.limits.max_pages:
                break
            if not budget.add(page.extract_text() or ""):
                break
    except PyPdfError as exc:
        raise ExtractionError(_("Die PDF-Datei ist beschädigt oder nicht lesbar.")) from exc


def _xml_member(fileobj, member: str, budget: _Budget) -> ElementTree.Element:
    try:
        archive = zipfile.ZipFile(fileobj)
    except zipfile.BadZipFile as exc:
        raise ExtractionError(_("Die Datei ist kein gültiges Office-Dokument.")) from exc
    with archive:
        try:
            info = archive.getinfo(member)
        except KeyError as exc:
            raise ExtractionError(_("Die Datei ist kein gültiges Office-Dokument.")) from exc
        if info.file_size > budget.limits.max_member_bytes:
            raise ExtractionError(_("Das Dokument ist entpackt zu groß für die Suche."))
        data = archive.read(member)
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        # Office documents never declare entities; refuse entity-expansion tricks.
        raise ExtractionError(_("Das Dokument enthält unzulässige XML-Deklarationen."))
    try:
        return ElementTree.fromstring(data)  # noqa: S314 - entities refused above
    except ElementTree.ParseError as exc:
        raise ExtractionError(_("Die Datei ist kein gültiges Office-Dokument.")) from exc


def _paragraphs(root, paragraph_tags: set[str], budget: _Budget) -> None:
    for element in root.iter():
        if element.tag in paragraph_tags and not budget.add("".join(element.itertext()).strip()):
            return


WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def _docx(fileobj, budget: _Budget) -> None:
    _paragraphs(_xml_member(fileobj, "word/document.xml", budget), {f"{WORD}p"}, budget)


def _odt(fileobj, budget: _Budget) -> None:
    root = _xml_member(fileobj, "content.xml", budget)
    _paragraphs(root, {f"{ODF_TEXT}p", f"{ODF_TEXT}h"}, budget)


def _xlsx(fileobj, budget: _Budget) -> None:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise ExtractionError(_("Die Excel-Datei ist beschädigt oder nicht lesbar.")) from exc
    cells = 0
    try:
        for sheet in workbook.worksheets:
            budget.add(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                values = [str(v) for v in row if v is not None and str(v).strip()]
                cells += len(row)
                if cells > budget.limits.max_cells or not budget.add(" ".join(values)):
                    return
    finally:
        workbook.close()


def _text(fileobj, budget: _Budget) -> None:
    data = fileobj.read(budget.limits.max_chars * 4)
    for encoding in ("utf-8", "cp1252"):
        try:
            budget.add(data.decode(encoding))
            return
        except UnicodeDecodeError:
            continue


EXTRACTORS = {
    "pdf": _pdf,
    "docx": _docx,
    "odt": _odt,
    "xlsx": _xlsx,
    "txt": _text,
    "csv": _text,
}


def supported(name: str) -> bool:
    return name.rsplit(".", 1)[-1].lower() in EXTRACTORS if "." in name else False


def extract_text(fileobj, name: str, *, size: int | None = None, limits: Limits | None = None):
    """The searchable text of a file, within the limits; raises ExtractionError."""
    limits = limits or Limits.from_settings()
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    extractor = EXTRACTORS.get(extension)
    if extractor is None:
        raise ExtractionError(_("Aus Dateien dieser Art wird kein Text gelesen."))
    if size is not None and size > limits.max_bytes:
        raise ExtractionError(_("Die Datei ist zu groß, um ihren Text zu durchsuchen."))
    budget = _Budget(limits)
    extractor(fileobj, budget)
    return budget.text()
