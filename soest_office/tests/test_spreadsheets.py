import pytest

from soest_office.spreadsheets import spreadsheet_safe


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+49 2921 103", "'+49 2921 103"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("Soest", "Soest"),
        ("", ""),
        (None, ""),
        (12, "12"),
    ],
)
def test_cells_a_spreadsheet_would_execute_are_defused(value, expected):
    assert spreadsheet_safe(value) == expected
