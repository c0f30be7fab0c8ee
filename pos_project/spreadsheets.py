"""The one CSV writer: every CSV the product hands out (the debtors report, a customer's
statement, the back office's customers export) goes through `spreadsheet_csv`.

A spreadsheet does not always split on the comma: French and Moroccan Excel split on `;`,
and some imports on tabs. So a cell holding any of those separators or a line break is
quoted, whatever the file's own delimiter, and stays one cell. A cell a spreadsheet could
run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is written
as text behind an apostrophe, a phone number like `+212 600 000000` included; only a plain
amount such as `-45.00`, which a spreadsheet reads as the number it is, stays as written.
"""

import re

BYTE_ORDER_MARK = "\ufeff"  # tells Excel the file is UTF-8, so "Chaïmae" reads as written
CHARSET = "utf-8"
DELIMITER = ","
LINE_END = "\r\n"
_QUOTE_IF_HOLDING = re.compile(r'[,;\t\r\n"]')
_FORMULA_START = re.compile(r"^[=+\-@\t\r]")
_AMOUNT = re.compile(r"^-?\d+(\.\d+)?$")


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


def spreadsheet_csv(rows) -> bytes:
    """`rows` (header first) as the CSV a spreadsheet opens well: UTF-8 with a byte-order
    mark, every cell holding a separator quoted, and no cell it would run as a formula."""
    lines = (DELIMITER.join(_quoted(csv_cell(cell)) for cell in row) for row in rows)
    return (BYTE_ORDER_MARK + "".join(line + LINE_END for line in lines)).encode(CHARSET)
