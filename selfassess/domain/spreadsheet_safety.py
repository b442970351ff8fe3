"""Keep exported cells inert: text a spreadsheet program would read as a formula is neutralised.

A cell whose text begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which
some programs skip before looking) is run as a formula when the file is opened. Numbers, dates
and None pass through untouched. Plain Python, no Flask.

CSV: such text gets an apostrophe in front, which spreadsheet programs show as plain text, and
every field is quoted. Quoting is not enough where ``;`` is the list separator (much of Europe):
such a reader splits our comma-separated lines at every ``;`` and every line break, quoted or
not, since only a line's first field is read as quoted. So a formula start that follows a ``;``
or a line break inside text (after any spaces or quotes) gets an apostrophe there too:
``x;=1+1;y`` is written ``x;'=1+1;y``.

XLSX: text is written as a text cell, which a spreadsheet shows and never runs, so no apostrophe
is needed; a cell that looks like a formula also gets the "quote prefix" style, so it stays text
when someone edits it. What the person typed is what the cell holds.
"""

from __future__ import annotations

import csv
import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_QUOTING = csv.QUOTE_ALL
# Where a reader splitting at ";" starts a cell inside our text: after a ";" or a line break,
# then any spaces or quotes, a formula start.
_INNER_CELL_START = re.compile(r"([;\r\n])(?=[ \"]*[=+\-@\t\r])")


def safe_cell(value: Any) -> Any:
    """The value for a CSV field: text that could start a formula, at its start or where a
    ``;`` reader would start a cell, gets an apostrophe there. Other values pass through."""
    if not isinstance(value, str):
        return value
    value = _INNER_CELL_START.sub(r"\1'", value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Any) -> list[Any]:
    return [safe_cell(v) for v in values]


def xlsx_row(sheet: Any, values: Any) -> list[Any]:
    """A row for an openpyxl write-only ``sheet``: each text a text cell, never a formula."""
    from openpyxl.cell import WriteOnlyCell  # imported here: only XLSX exports need it

    row = []
    for value in values:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # openpyxl takes text starting "=" for a formula
            if value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True
            value = cell
        row.append(value)
    return row
