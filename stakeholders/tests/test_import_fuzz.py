"""Whatever bytes arrive, reading and validating ends in data or a German ImportFileError."""

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
