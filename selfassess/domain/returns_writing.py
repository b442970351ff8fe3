"""Returns written in the import format, so an analyst can send out, fill in or check a file
that the import reads back unchanged (``selfassess.domain.returns_files`` reads them)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

from selfassess.domain.frameworks import Framework
from selfassess.domain.national_figures import ARRANGEMENT, PARTNERSHIP, collection_items
from selfassess.domain.returns_files import ARRANGEMENT_COLUMN, CODE_COLUMN, SEPARATOR
from selfassess.domain.spreadsheet_safety import CSV_QUOTING, xlsx_row


def returns_to_rows(
    frameworks: Iterable[Framework], returns: Iterable[Any] | Mapping[str, Any]
) -> list[list[str]]:
    """The returns in the import format: a heading row, then per return its partnership row
    and one row per arrangement. ``returns``: ``ImportedReturn`` objects (a list, or a mapping by
    code), or anything with their ``partnership_code``, ``answers`` and ``arrangements``. Feed the
    rows to ``rows_to_csv`` or ``rows_to_xlsx``; ``parse_returns`` reads them back unchanged."""
    items = collection_items([fw for fw in frameworks if fw.kind in ("rag", "survey")])
    with_arrangements = any(ci.unit == ARRANGEMENT for ci in items)
    rows = [
        [
            CODE_COLUMN,
            *([ARRANGEMENT_COLUMN] if with_arrangements else []),
            *(ci.key for ci in items),
        ]
    ]

    def row(
        code: str, number: int, answers: Mapping[tuple[str, str], list[str]], unit: str
    ) -> list[str]:
        out = [code, *([str(number) if number else ""] if with_arrangements else [])]
        for ci in items:
            chosen = answers.get((ci.framework_id, ci.item_id)) or []
            order = [oid for oid, _ in ci.options]
            ordered = sorted(chosen, key=lambda v: order.index(v) if v in order else len(order))
            out.append(SEPARATOR.join(ordered) if ci.unit == unit else "")
        return out

    for ret in returns.values() if isinstance(returns, Mapping) else returns:
        rows.append(row(ret.partnership_code, 0, ret.answers, PARTNERSHIP))
        for number in sorted(ret.arrangements):
            rows.append(row(ret.partnership_code, number, ret.arrangements[number], ARRANGEMENT))
    return rows


def rows_to_csv(rows: list[list[str]]) -> str:
    """CSV text of rows (as :func:`returns_to_rows` makes them), every field quoted."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=CSV_QUOTING)
    writer.writerows(rows)
    return out.getvalue()


def rows_to_xlsx(rows: list[list[str]], title: str = "Returns") -> bytes:
    """An XLSX workbook of rows, one sheet, every text a text cell (never a formula)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for row in rows:
        sheet.append(xlsx_row(sheet, row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
