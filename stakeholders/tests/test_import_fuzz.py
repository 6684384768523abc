"""Whatever bytes arrive, reading and validating ends in data or a German ImportFileError."""

import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stakeholders.importer import ImportFileError, guess_mapping, read_table, validate_rows

pytestmark = pytest.mark.django_db

cells = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.binary(max_size=400), name=st.sampled_from(["a.csv", "a.xlsx", "a.txt"]))
def test_random_bytes_never_crash_the_reader(raw, name):
    message = "gelesen"
    try:
        read_table(raw, name)
    except ImportFileError as exc:
        message = str(exc)
    assert message


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(cells, min_size=0, max_size=6), min_size=1, max_size=8))
def test_random_rows_validate_with_messages_not_exceptions(rows):
    headers = ["Vorname", "Nachname", "E-Mail", "Telefon", "Kommune", "Presseverteiler"]
    table = {"headers": headers, "rows": rows}
    results = validate_rows(table, guess_mapping(headers), "skip")
    assert len(results) == len(rows)
    for result in results:
        assert all(isinstance(e, str) and e for e in result.errors)


def _xlsx(rows) -> bytes:
    from io import BytesIO

    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def damaged_deflate_stream() -> bytes:
    """The .xlsx with garbage inside one member's compressed data; the ZIP directory intact."""
    import zipfile
    from io import BytesIO

    with zipfile.ZipFile(BytesIO(XLSX)) as archive:
        info = archive.getinfo("xl/theme/theme1.xml")
    data = bytearray(XLSX)
    name_length, extra_length = struct.unpack(
        "<HH", data[info.header_offset + 26 : info.header_offset + 30]
    )
    start = info.header_offset + 30 + name_length + extra_length
    data[start + 40 : start + 80] = b"\xff" * 40
    return bytes(data)


XLSX = _xlsx([["Vorname", "Nachname", "E-Mail"], ["Erika", "Muster", "erika@example.org"]])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cut=st.integers(min_value=4, max_value=len(XLSX)),
    flips=st.lists(
        st.tuples(st.integers(0, len(XLSX) - 1), st.integers(1, 255)), min_size=0, max_size=8
    ),
)
def test_damaged_excel_files_end_in_data_or_a_german_error(cut, flips):
    """A real .xlsx, truncated and with flipped bytes: ZIP and XML parsers' odd corners."""
    data = bytearray(XLSX)
    for position, mask in flips:
        data[position] ^= mask
    message = ""
    try:
        table = read_table(bytes(data[:cut]), "kontakte.xlsx")
    except ImportFileError as exc:
        message = str(exc)
        assert message
    else:
        assert table["headers"]


def test_a_damaged_excel_file_is_a_form_error_not_a_server_error(client_for, office):
    """Found by the property test above: a deflate stream damaged inside the archive made
    zlib raise past the reader (500 on upload)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(office).post(
        "/kontakte/import/", {"file": SimpleUploadedFile("kontakte.xlsx", damaged_deflate_stream())}
    )
    assert response.status_code == 400
    assert "Die Excel-Datei ist beschädigt" in response.content.decode()
