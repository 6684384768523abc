"""What every CSV and XLSX export shares: cells a spreadsheet must not run as formulas."""

# A cell starting with one of these is executed by Excel/LibreOffice (CSV injection, OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """The value as cell text that no spreadsheet executes: a leading apostrophe defuses it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text
