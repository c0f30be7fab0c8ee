"""The spreadsheet writers: every export the product hands out (the debtors report, a
customer's statement, the back office's customers export) is a `Sheet`, written as CSV by
`spreadsheet_csv`, for machines, or as an Excel workbook by `spreadsheet_xlsx`, for people.

A workbook is what a French or Moroccan Excel opens as the columns it holds: a CSV separated
by commas with dot decimals opens there as one column, and a phone such as `+212661361611`
becomes `2.13E+11`. In the workbook amounts are numbers with two decimals, days are dates,
and every other cell is text, so a phone stays as written and nothing runs as a formula.

A spreadsheet does not always split on the comma: French and Moroccan Excel split on `;`,
and some imports on tabs. So a cell holding any of those separators or a line break is
quoted, whatever the file's own delimiter, and stays one cell. A cell a spreadsheet could
run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is written
as text behind an apostrophe, a phone number like `+212 600 000000` included; only a plain
amount such as `-45.00`, which a spreadsheet reads as the number it is, stays as written.
"""

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

BYTE_ORDER_MARK = "\ufeff"  # tells Excel the file is UTF-8, so "Chaïmae" reads as written
CHARSET = "utf-8"
DELIMITER = ","
LINE_END = "\r\n"
_QUOTE_IF_HOLDING = re.compile(r'[,;\t\r\n"]')
_FORMULA_START = re.compile(r"^[=+\-@\t\r]")
_AMOUNT = re.compile(r"^-?\d+(\.\d+)?$")

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"
DAY_FORMAT = "yyyy-mm-dd"
MOMENT_FORMAT = "yyyy-mm-dd hh:mm"
_WIDEST_COLUMN = 48
_BOLD = Font(bold=True)


@dataclass
class Sheet:
    """An export: its title, its rows (the header first, a person's words), and how many of
    the last rows are totals. Amounts are Decimals and days are dates, so each writer can
    write them as its format wants."""

    title: str
    rows: list[list] = field(default_factory=list)
    totals: int = 0


def csv_cell(value) -> str:
    """A value as a cell's text that a spreadsheet shows instead of evaluating."""
    if value is None:
        return ""
    text = str(value)
    if _FORMULA_START.match(text) and not _AMOUNT.match(text):
        return "'" + text
    return text


def _quoted(text: str) -> str:
    # The standard library's csv quotes only cells holding its own delimiter; a `;` or a
    # tab must be quoted too, for the spreadsheets that split on them.
    if _QUOTE_IF_HOLDING.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def spreadsheet_csv(sheet: Sheet) -> bytes:
    """The sheet as the CSV a spreadsheet opens well: UTF-8 with a byte-order mark, every
    cell holding a separator quoted, and no cell it would run as a formula."""
    lines = (DELIMITER.join(_quoted(csv_cell(cell)) for cell in row) for row in sheet.rows)
    return (BYTE_ORDER_MARK + "".join(line + LINE_END for line in lines)).encode(CHARSET)


def _xlsx_cell(worksheet, value, *, bold: bool) -> WriteOnlyCell:
    if isinstance(value, datetime):
        # Excel keeps no time zone: the moment as the shop's clock showed it.
        cell = WriteOnlyCell(worksheet, value=value.replace(tzinfo=None))
        cell.number_format = MOMENT_FORMAT
    elif isinstance(value, date):
        cell = WriteOnlyCell(worksheet, value=value)
        cell.number_format = DAY_FORMAT
    elif isinstance(value, Decimal):
        cell = WriteOnlyCell(worksheet, value=value)
        cell.number_format = MONEY_FORMAT
    elif isinstance(value, int) and not isinstance(value, bool):
        cell = WriteOnlyCell(worksheet, value=value)
    else:
        text = "" if value is None else ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell = WriteOnlyCell(worksheet, value=text or None)
        if text:
            # openpyxl takes a text starting with `=` for a formula: it stays text.
            cell.data_type = "s"
    if bold:
        cell.font = _BOLD
    return cell


def _column_width(values) -> float:
    longest = max((len(csv_cell(value)) for value in values), default=0)
    return min(max(longest, 8) + 2, _WIDEST_COLUMN)


def spreadsheet_xlsx(sheet: Sheet) -> bytes:
    """The sheet as an Excel workbook: the header bold and frozen, the totals bold, each
    column as wide as what it holds (within reason)."""
    workbook = Workbook(write_only=True)
    # An Excel sheet's title is at most 31 characters, none of them []:*?/\.
    worksheet = workbook.create_sheet(title=re.sub(r"[][:*?/\\]", " ", sheet.title)[:31])
    worksheet.freeze_panes = "A2"
    rows = sheet.rows
    for index, column in enumerate(zip(*rows, strict=False), start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = _column_width(column)
    first_total = len(rows) - sheet.totals
    for number, row in enumerate(rows):
        bold = number == 0 or number >= first_total
        worksheet.append([_xlsx_cell(worksheet, value, bold=bold) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def spreadsheet_download(sheet: Sheet, *, name: str, as_csv: bool = False) -> HttpResponse:
    """The sheet as a file to download, `name` with its extension: a workbook, or a CSV."""
    if as_csv:
        response = HttpResponse(spreadsheet_csv(sheet), content_type=f"text/csv; charset={CHARSET}")
    else:
        response = HttpResponse(spreadsheet_xlsx(sheet), content_type=XLSX_MEDIA_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{"csv" if as_csv else "xlsx"}"'
    return response
