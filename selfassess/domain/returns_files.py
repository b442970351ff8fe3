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

Limits: the upload limit (5 MB) is on the file as sent, and a workbook is a zip of XML, so half a
megabyte can unzip to over a hundred. Before a file is read, its size once unzipped, its rows and
its columns are checked against the limits below, and a workbook declaring a DTD (the only way to
define XML entities, which no spreadsheet program writes) is refused rather than expanded. A file
past a limit is refused with one problem; past :data:`MAX_PROBLEMS` problems the rest are counted,
not listed. So a hostile file costs seconds and a short page, not minutes and a gigabyte.
"""

from __future__ import annotations

import csv
import io
import json
import reprlib
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import PurePath
from typing import Any

from selfassess.domain.i18n import N_
from selfassess.domain.phrases import Phrase

FORMATS = (".csv", ".xlsx", ".json")
CODE_COLUMN = "partnership_code"
ARRANGEMENT_COLUMN = "arrangement"
SEPARATOR = ";"

# A return per partnership and one per IOM arrangement: England and Wales have about 350
# partnerships, so 10,000 rows is far more than any collection and still reads in seconds.
MAX_ROWS = 10_000
# partnership_code, arrangement and one column per item: today's frameworks have 119 items.
MAX_COLUMNS = 1_000
# A workbook's parts once unzipped. openpyxl reads about 3 MB of sheet XML a second; a workbook
# of 2,000 rows with 120 answers each unzips to 12 MB.
MAX_INFLATED_BYTES = 20 * 1024 * 1024
# Workbooks compress 5 to 30 times; a part compressed more than this is built to inflate, not to
# hold data (a zip bomb). Parts under RATIO_CHECKED_FROM once unzipped are let be: small
# repetitive XML compresses well and costs nothing to read.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_FROM = 1024 * 1024
# Problems listed: past these, people correct the file and upload it again; the rest are counted.
MAX_PROBLEMS = 100
# Problems kept while checking, so those listed are the first by row even when the checks find
# them out of order; the rest are only counted.
KEPT_PROBLEMS = 10 * MAX_PROBLEMS


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


class Problems(list):
    """Problems as they are found: the first :data:`KEPT_PROBLEMS` are kept and every one is
    counted in ``total``, so a file with a million wrong cells costs a counter, not a million
    messages."""

    def __init__(self, problems: Iterable[ImportProblem] = ()):
        super().__init__()
        self.total = 0
        self.extend(problems)

    def append(self, problem: ImportProblem) -> None:
        self.total += 1
        if len(self) < KEPT_PROBLEMS:
            super().append(problem)

    def extend(self, problems: Iterable[ImportProblem]) -> None:
        for problem in problems:
            self.append(problem)
        self.total += getattr(problems, "unlisted", 0)  # those another list only counted

    @property
    def full(self) -> bool:
        """No more are kept: count the next ones (``total += 1``) without making their message."""
        return len(self) >= KEPT_PROBLEMS

    def listed(self, key: Any = None) -> Problems:
        """The first :data:`MAX_PROBLEMS` (in ``key`` order), still counting every one."""
        shown = Problems((sorted(self, key=key) if key else self)[:MAX_PROBLEMS])
        shown.total = self.total
        return shown

    @property
    def unlisted(self) -> int:
        """How many problems there are beyond those in the list."""
        return self.total - len(self)


def _refused(message: str, row: int | None = None, json: bool = False) -> FileContents:
    """The file as a whole is refused, with one problem: nothing of it is read."""
    return FileContents(None if json else [], [], Problems([ImportProblem(row, None, message)]))


@dataclass
class Record:
    """One row of a CSV or XLSX file (or one object of a JSON list): heading -> raw cell."""

    row: int
    cells: dict[str, Any] = field(default_factory=dict)


@dataclass
class FileContents:
    headings: list[str] | None  # None for JSON, whose objects name their own keys
    records: list[Record]
    problems: Problems


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


def quoted(value: Any) -> str:
    """A value as a problem quotes it: long text and deep lists cut short, so the list of
    problems stays readable however big the cell."""
    return _SHORT.repr(value)


_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 80
_SHORT.maxlevel = 3


def too_many_rows(what: str = "rows") -> str:
    template = (
        N_(
            "has more than %(most)s returns, more than any collection needs: check it holds "
            "what you meant, or split it into smaller files"
        )
        if what == "returns"
        else N_(
            "has more than %(most)s rows, more than any collection needs: check it holds what "
            "you meant, or split it into smaller files"
        )
    )
    return Phrase(template, most=f"{MAX_ROWS:,}")


def too_many_columns(count: int, what: str = "columns") -> str:
    template = (
        N_(
            "has %(count)s keys: a file has at most %(most)s, one per question and two more; "
            "delete what does not belong"
        )
        if what == "keys"
        else N_(
            "has %(count)s columns: a file has at most %(most)s, one per question and two "
            "more; delete what does not belong"
        )
    )
    return Phrase(template, count=f"{count:,}", most=f"{MAX_COLUMNS:,}")


def _blank(value: Any) -> bool:
    """What :func:`_clean` makes None, found without cleaning it."""
    return value is None or (isinstance(value, str) and not value.strip())


def _records_from_rows(rows: list[tuple[int, list[Any]]]) -> FileContents:
    """Headings from the first row; then one record per row that has anything in it."""
    problems = Problems()
    if not rows:
        return _refused(Phrase(N_("the file is empty")))
    header_row, raw_headings = rows[0]
    headings = [_clean(h) or "" for h in raw_headings]
    while headings and not headings[-1]:
        headings.pop()
    if not any(headings):
        message = Phrase(
            N_("the first row must hold the column headings (partnership_code, then item ids)")
        )
        return _refused(message, header_row)
    seen: dict[str, int] = {}
    for position, heading in enumerate(headings, start=1):
        if not heading:
            continue
        if heading in seen:
            problems.append(
                ImportProblem(
                    header_row,
                    heading,
                    Phrase(
                        N_("appears twice (columns %(first)s and %(second)s)"),
                        first=seen[heading],
                        second=position,
                    ),
                )
            )
        else:
            seen[heading] = position
    records: list[Record] = []
    width = len(headings)

    def stray(number: int, position: int, value: Any) -> None:
        if problems.full:  # counted without making a message: there may be a million
            problems.total += 1
            return
        message = Phrase(
            N_("%(value)s is in a column with no heading"), value=quoted(_clean(value))
        )
        problems.append(ImportProblem(number, column_letter(position + 1), message))

    for number, raw in rows[1:]:
        values = [_clean(v) for v in raw[:width]]
        beyond = [(p, v) for p, v in enumerate(raw[width:], start=width) if not _blank(v)]
        if not beyond and all(v is None for v in values):
            continue
        record = Record(number)
        for position, value in enumerate(values):
            if headings[position]:
                record.cells.setdefault(headings[position], value)  # a repeat is reported above
            elif value is not None:
                stray(number, position, value)
        for position, value in beyond:
            stray(number, position, value)
        records.append(record)
    return FileContents(list(seen), records, problems)  # each heading once, in file order


def read_csv(content: bytes) -> FileContents:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _refused(
            Phrase(N_("is not UTF-8 text (byte %(byte)s): save it as 'CSV UTF-8'"), byte=exc.start)
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[Any]]] = []
    try:
        for number, row in enumerate(reader, start=1):
            if number > MAX_ROWS + 1:  # the heading row, then the returns
                return _refused(too_many_rows())
            if len(row) > MAX_COLUMNS:
                return _refused(too_many_columns(len(row)), number)
            rows.append((number, row))
    except csv.Error as exc:
        return _refused(
            Phrase(N_("cannot be read as CSV: %(reason)s"), reason=str(exc)), len(rows) + 1
        )
    return _records_from_rows(rows)


# What declares XML entities, in the encodings an XML part may use. Spreadsheet programs never
# write a DTD; the standard library's parser would expand its entities (up to 8 MB each).
_DTD_MARKS = tuple(
    mark.encode(encoding)
    for mark in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_UNREADABLE = N_("cannot be read as an Excel workbook: %(reason)s")


def _unreadable(reason: object) -> str:
    return Phrase(_UNREADABLE, reason=str(reason))


def workbook_problem(content: bytes) -> str | None:
    """What makes a workbook unsafe to open, found from its zip directory and its parts before
    openpyxl reads it; None when it may be read. The sizes the zip directory declares bound
    what is unzipped: Python's zipfile never gives more than a part's declared size (and a part
    that holds more fails its checksum)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as exc:
        return _unreadable(exc)
    inflated = sum(part.file_size for part in parts)
    if inflated > MAX_INFLATED_BYTES:
        return Phrase(
            N_(
                "unzips to %(size)s MB: a workbook may unzip to at most %(most)s MB; save it as "
                "'CSV UTF-8', or split it"
            ),
            size=f"{inflated / 2**20:,.0f}",
            most=MAX_INFLATED_BYTES // 2**20,
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size >= RATIO_CHECKED_FROM and ratio > MAX_COMPRESSION_RATIO:
            return Phrase(
                N_(
                    "cannot be read as an Excel workbook: its part %(part)s unzips to "
                    "%(ratio)s times its size, which no spreadsheet program writes"
                ),
                part=quoted(part.filename),
                ratio=f"{ratio:,.0f}",
            )
    try:
        for part in parts:
            with archive.open(part) as stream:
                tail = b""
                while chunk := stream.read(256 * 1024):
                    window = tail + chunk
                    if any(mark in window for mark in _DTD_MARKS):
                        return Phrase(
                            N_(
                                "cannot be read as an Excel workbook: its part %(part)s "
                                "declares XML entities, which no spreadsheet program writes; "
                                "open it in Excel and save it again, or save it as 'CSV UTF-8'"
                            ),
                            part=quoted(part.filename),
                        )
                    tail = window[-32:]  # a mark split between two chunks
    except Exception as exc:  # noqa: BLE001 - encrypted, corrupt or unsupported parts alike
        return _unreadable(exc)
    return None


def read_xlsx(content: bytes) -> FileContents:
    from openpyxl import load_workbook  # imported here: only XLSX files need it

    problem = workbook_problem(content)
    if problem:
        return _refused(problem)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # zip, XML and openpyxl errors alike: the file is not a workbook
        return _refused(_unreadable(exc))
    formulas: list[tuple[int, int, Any]] = []
    formula_count = 0
    rows: list[tuple[int, list[Any]]] = []
    try:
        sheet = workbook.worksheets[0]
        # The size the sheet declares refuses a huge sheet before it is read; the size is then
        # forgotten (some programs declare too small a size) and the rows are counted as read.
        if (sheet.max_row or 0) > MAX_ROWS + 1:
            return _refused(too_many_rows())
        if (sheet.max_column or 0) > MAX_COLUMNS:
            return _refused(too_many_columns(sheet.max_column))
        sheet.reset_dimensions()
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            if number > MAX_ROWS + 1:
                return _refused(too_many_rows())
            if len(cells) > MAX_COLUMNS:
                return _refused(too_many_columns(len(cells)), number)
            values = []
            for position, cell in enumerate(cells, start=1):
                if cell.data_type == "f":
                    formula_count += 1
                    if len(formulas) < KEPT_PROBLEMS:
                        formulas.append((number, position, cell.value))
                    values.append(None)
                else:
                    values.append(cell.value)
            rows.append((number, values))
    except Exception as exc:  # noqa: BLE001 - broken or truncated sheet XML, bad cell values
        return _refused(_unreadable(exc))
    finally:
        workbook.close()
    contents = _records_from_rows(rows)
    headings = [_clean(h) for h in rows[0][1]] if rows else []
    found = Problems(
        ImportProblem(
            number,
            (headings[position - 1] if number > 1 and position <= len(headings) else None)
            or column_letter(position),
            Phrase(
                N_("holds a formula (%(formula)s): type the value itself"),
                formula=quoted(formula),
            ),
        )
        for number, position, formula in formulas
    )
    found.total = formula_count
    found.extend(contents.problems)
    contents.problems = found
    return contents


def read_json(content: bytes) -> FileContents:
    try:
        data = json.loads(content.decode("utf-8-sig"))
        json.dumps(data, ensure_ascii=False).encode("utf-8")  # a lone surrogate is not text
    except UnicodeEncodeError as exc:
        character = exc.object[exc.start : exc.end].encode("unicode_escape").decode()
        return _refused(
            Phrase(
                N_(
                    "holds %(character)s, half of a character (a lone surrogate): save it again "
                    "as UTF-8 JSON"
                ),
                character=character,
            ),
            json=True,
        )
    except RecursionError:
        return _refused(
            Phrase(N_("is nested too deeply: it must be a list of returns, one object each")),
            json=True,
        )
    except (UnicodeDecodeError, ValueError) as exc:
        return _refused(Phrase(N_("is not valid JSON: %(reason)s"), reason=str(exc)), json=True)
    if not isinstance(data, list):
        return _refused(Phrase(N_("must be a JSON list of returns, one object each")), json=True)
    if len(data) > MAX_ROWS:
        return _refused(too_many_rows("returns"), json=True)
    records: list[Record] = []
    problems = Problems()
    for number, obj in enumerate(data, start=1):
        if not isinstance(obj, dict):
            problems.append(
                ImportProblem(
                    number, None, Phrase(N_('must be an object such as {"partnership_code": ...}'))
                )
            )
            continue
        if len(obj) > MAX_COLUMNS:
            return _refused(too_many_columns(len(obj), "keys"), number, json=True)
        cells = {}
        for key, value in obj.items():
            if isinstance(value, str):
                value = value.strip() or None
            cells[str(key).strip()] = value
        records.append(Record(number, cells))
    if not data:
        problems.append(ImportProblem(None, None, Phrase(N_("the file holds no returns"))))
    return FileContents(None, records, problems)


ZIP_MAGIC = b"PK\x03\x04"  # an .xlsx workbook is a zip archive


def content_problem(suffix: str, content: bytes) -> str | None:
    """What is wrong when a file's content does not match its extension; None when it does.

    Checked before reading, so a renamed or binary file gets a plain message rather than a
    parser's complaint."""
    if suffix == ".xlsx":
        if not content.startswith(ZIP_MAGIC):
            return Phrase(
                N_(
                    "is not an Excel workbook although its name ends in .xlsx: open it in Excel "
                    "and save it as 'Excel Workbook (.xlsx)', or as 'CSV UTF-8'"
                )
            )
        return None
    if content.startswith(ZIP_MAGIC):
        return Phrase(
            N_(
                "looks like an Excel workbook although its name ends in %(suffix)s: name it "
                ".xlsx, or save it as 'CSV UTF-8'"
            ),
            suffix=suffix,
        )
    if b"\x00" in content[:65536]:
        return Phrase(
            N_(
                "holds binary data, not text, although its name ends in %(suffix)s: save it as "
                "'CSV UTF-8'"
            ),
            suffix=suffix,
        )
    return None


def read_file(filename: str, content: bytes) -> FileContents:
    """Read by the file's extension: .csv, .xlsx or .json, once the content matches it."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in FORMATS:
        problem = content_problem(suffix, content)
        if problem:
            return _refused(problem)
    if suffix == ".csv":
        return read_csv(content)
    if suffix == ".xlsx":
        return read_xlsx(content)
    if suffix == ".json":
        return read_json(content)
    return _refused(
        Phrase(
            N_(
                "%(file)s is not a .csv, .xlsx or .json file: save the returns in one of those "
                "formats"
            ),
            file=quoted(filename),
        )
    )
