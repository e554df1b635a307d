"""Spreadsheets people file (openpyxl): one layout for every export, text kept as text."""

import datetime
import io

from django.utils.functional import Promise


def cell_value(value):
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # spreadsheets have no time zones
    return value


def append_row(sheet, values, *, bold=False):
    """One row; text is always text (a title starting with "=" is not a formula)."""
    from openpyxl.styles import Font

    sheet.append([cell_value(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
        if isinstance(cell.value, datetime.datetime):
            cell.number_format = "yyyy-mm-dd hh:mm:ss"
        elif isinstance(cell.value, datetime.date):
            cell.number_format = "yyyy-mm-dd"
        if bold:
            cell.font = Font(bold=True)


def table_sheet(workbook, name, headings, rows, widths):
    """A sheet with a bold, frozen heading row and the given column widths."""
    sheet = workbook.create_sheet(str(name)[:31])
    append_row(sheet, headings, bold=True)
    for row in rows:
        append_row(sheet, row)
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJKL", widths, strict=False):
        sheet.column_dimensions[letter].width = width
    return sheet


def workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
