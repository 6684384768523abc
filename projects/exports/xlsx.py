"""Small openpyxl helpers of the exports: a workbook, a bold frozen header, cell values
defused against formulas."""

from soest_office.spreadsheets import spreadsheet_safe


def _workbook():
    from openpyxl import Workbook

    return Workbook()


def _style_header(sheet, columns: int):
    from openpyxl.styles import Font

    for cell in sheet[1][:columns]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


def _xlsx_value(value):
    if isinstance(value, str):
        return spreadsheet_safe(value)
    return value
