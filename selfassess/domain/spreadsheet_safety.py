"""Keep exported cells inert: text a spreadsheet program would read as a formula is neutralised.

A cell whose text begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which
some programs skip before looking) is run as a formula when the file is opened. Such text gets
an apostrophe in front, which spreadsheet programs show as plain text. Numbers, dates and None
pass through untouched. Plain Python, no Flask.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value, with an apostrophe in front when it is text that could start a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Any) -> list[Any]:
    return [safe_cell(v) for v in values]
