"""Return files as records: read CSV, XLSX and JSON; write CSV and XLSX (no Flask, no database).

Reading gives the headings and one :class:`Record` per non-blank row, numbered as the user sees
the file: in CSV and XLSX the heading is row 1, so the first return is row 2; in JSON the objects
of the list are numbered from 1. Cells are stripped, blank cells are None. What the cells mean is
``selfassess.domain.returns_import``'s business.

XLSX: the first worksheet is read with ``read_only=True``. openpyxl never evaluates formulas;
with ``data_only=True`` it would hand back the value cached by whoever last saved the file, or
nothing at all for a file written by a program that never calculated it, so a formula could
import silently as a blank or as a stale figure. The workbook is therefore read with
``data_only=False``, and every cell holding a formula is reported as an error: a return file
holds values.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import PurePath
from typing import Any

from selfassess.domain.frameworks import Framework
from selfassess.domain.national_figures import ARRANGEMENT, PARTNERSHIP, collection_items

FORMATS = (".csv", ".xlsx", ".json")
CODE_COLUMN = "partnership_code"
ARRANGEMENT_COLUMN = "arrangement"
SEPARATOR = ";"


def column_letter(position: int) -> str:
    """A 1-based column position as spreadsheets name it: 1 -> A, 27 -> AA."""
    letters = ""
    while position > 0:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_position(letters: str) -> int | None:
    """The 1-based position of a column letter (AA -> 27); None when it is not one."""
    if not letters or not letters.isascii() or not letters.isalpha() or not letters.isupper():
        return None
    position = 0
    for letter in letters:
        position = position * 26 + ord(letter) - ord("A") + 1
    return position


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with an import file: the row and column as the user sees them."""

    row: int | None  # None: the file as a whole
    column: str | None  # the heading; a cell under no heading is named by its letter ("D")
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class Record:
    """One row of a CSV or XLSX file (or one object of a JSON list): heading -> raw cell."""

    row: int
    cells: dict[str, Any] = field(default_factory=dict)


@dataclass
class FileContents:
    headings: list[str] | None  # None for JSON, whose objects name their own keys
    records: list[Record]
    problems: list[ImportProblem]


def _clean(value: Any) -> Any:
    """A spreadsheet cell as text, or None when blank. Numbers lose a trailing .0."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date | time):
        value = value.isoformat()
    text = str(value).strip()
    return text or None


def _records_from_rows(rows: list[tuple[int, list[Any]]]) -> FileContents:
    """Headings from the first row; then one record per row that has anything in it."""
    problems: list[ImportProblem] = []
    if not rows:
        return FileContents([], [], [ImportProblem(None, None, "the file is empty")])
    header_row, raw_headings = rows[0]
    headings = [_clean(h) or "" for h in raw_headings]
    while headings and not headings[-1]:
        headings.pop()
    if not any(headings):
        message = "the first row must hold the column headings (partnership_code, then item ids)"
        return FileContents([], [], [ImportProblem(header_row, None, message)])
    seen: dict[str, int] = {}
    for position, heading in enumerate(headings, start=1):
        if not heading:
            continue
        if heading in seen:
            problems.append(
                ImportProblem(
                    header_row, heading, f"appears twice (columns {seen[heading]} and {position})"
                )
            )
        else:
            seen[heading] = position
    records: list[Record] = []
    for number, raw in rows[1:]:
        values = [_clean(v) for v in raw]
        if not any(v is not None for v in values):
            continue
        record = Record(number)
        for position, value in enumerate(values):
            heading = headings[position] if position < len(headings) else ""
            if not heading:
                if value is not None:
                    problems.append(
                        ImportProblem(
                            number,
                            column_letter(position + 1),
                            f"{value!r} is in a column with no heading",
                        )
                    )
                continue
            record.cells.setdefault(heading, value)  # a repeated heading is reported above
        records.append(record)
    return FileContents(list(seen), records, problems)  # each heading once, in file order


def read_csv(content: bytes) -> FileContents:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return FileContents(
            [],
            [],
            [
                ImportProblem(
                    None, None, f"is not UTF-8 text (byte {exc.start}): save it as 'CSV UTF-8'"
                )
            ],
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[Any]]] = []
    try:
        for number, row in enumerate(reader, start=1):
            rows.append((number, row))
    except csv.Error as exc:
        return FileContents(
            [], [], [ImportProblem(len(rows) + 1, None, f"cannot be read as CSV: {exc}")]
        )
    return _records_from_rows(rows)


def read_xlsx(content: bytes) -> FileContents:
    from openpyxl import load_workbook  # imported here: only XLSX files need it

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # zip, XML and openpyxl errors alike: the file is not a workbook
        return FileContents(
            [], [], [ImportProblem(None, None, f"cannot be read as an Excel workbook: {exc}")]
        )
    formulas: list[tuple[int, int, Any]] = []
    rows: list[tuple[int, list[Any]]] = []
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some programs declare the wrong size; read what is there
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            values = []
            for position, cell in enumerate(cells, start=1):
                if cell.data_type == "f":
                    formulas.append((number, position, cell.value))
                    values.append(None)
                else:
                    values.append(cell.value)
            rows.append((number, values))
    finally:
        workbook.close()
    contents = _records_from_rows(rows)
    headings = [_clean(h) for h in rows[0][1]] if rows else []
    contents.problems[:0] = [
        ImportProblem(
            number,
            (headings[position - 1] if number > 1 and position <= len(headings) else None)
            or column_letter(position),
            f"holds a formula ({formula}): type the value itself",
        )
        for number, position, formula in formulas
    ]
    return contents


def read_json(content: bytes) -> FileContents:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        return FileContents(None, [], [ImportProblem(None, None, f"is not valid JSON: {exc}")])
    if not isinstance(data, list):
        return FileContents(
            None,
            [],
            [ImportProblem(None, None, "must be a JSON list of returns, one object each")],
        )
    records: list[Record] = []
    problems: list[ImportProblem] = []
    for number, obj in enumerate(data, start=1):
        if not isinstance(obj, dict):
            problems.append(
                ImportProblem(number, None, 'must be an object such as {"partnership_code": ...}')
            )
            continue
        cells = {}
        for key, value in obj.items():
            if isinstance(value, str):
                value = value.strip() or None
            cells[str(key).strip()] = value
        records.append(Record(number, cells))
    if not data:
        problems.append(ImportProblem(None, None, "the file holds no returns"))
    return FileContents(None, records, problems)


ZIP_MAGIC = b"PK\x03\x04"  # an .xlsx workbook is a zip archive


def content_problem(suffix: str, content: bytes) -> str | None:
    """What is wrong when a file's content does not match its extension; None when it does.

    Checked before reading, so a renamed or binary file gets a plain message rather than a
    parser's complaint."""
    if suffix == ".xlsx":
        if not content.startswith(ZIP_MAGIC):
            return (
                "is not an Excel workbook although its name ends in .xlsx: "
                "open it in Excel and save it as 'Excel Workbook (.xlsx)', or as 'CSV UTF-8'"
            )
        return None
    if content.startswith(ZIP_MAGIC):
        return (
            f"looks like an Excel workbook although its name ends in {suffix}: "
            "name it .xlsx, or save it as 'CSV UTF-8'"
        )
    if b"\x00" in content[:65536]:
        return (
            f"holds binary data, not text, although its name ends in {suffix}: "
            "save it as 'CSV UTF-8'"
        )
    return None


def read_file(filename: str, content: bytes) -> FileContents:
    """Read by the file's extension: .csv, .xlsx or .json, once the content matches it."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in FORMATS:
        problem = content_problem(suffix, content)
        if problem:
            return FileContents([], [], [ImportProblem(None, None, problem)])
    if suffix == ".csv":
        return read_csv(content)
    if suffix == ".xlsx":
        return read_xlsx(content)
    if suffix == ".json":
        return read_json(content)
    return FileContents(
        [],
        [],
        [
            ImportProblem(
                None,
                None,
                f"{filename!r} is not a .csv, .xlsx or .json file: "
                "save the returns in one of those formats",
            )
        ],
    )


# --- writing --------------------------------------------------------------------------------


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
    """CSV text of rows (as :func:`returns_to_rows` makes them)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows)
    return out.getvalue()


def rows_to_xlsx(rows: list[list[str]], title: str = "Returns") -> bytes:
    """An XLSX workbook of rows, one sheet, every cell text."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
