"""The expected partnerships of a collection, from a CSV of name, code, region, police force area.

Plain Python (no Flask, no database). Every row is checked as the partnership form checks a
partnership (the code's pattern, the lengths the partnership table holds) and every problem is
reported with its row and column; the caller creates nothing unless there are none. A region may
be given by its id (``north_west``) or its name (``North West``).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import PurePath

from selfassess.domain.i18n import N_
from selfassess.domain.phrases import Phrase
from selfassess.domain.reference import (
    PARTNERSHIP_CODE_PATTERN,
    PARTNERSHIP_NAME_MAX,
    POLICE_FORCE_AREA_MAX,
    REGIONS,
)
from selfassess.domain.returns_files import (
    MAX_COLUMNS,
    MAX_ROWS,
    ImportProblem,
    Problems,
    content_problem,
    quoted,
    too_many_columns,
    too_many_rows,
)

COLUMNS = ("name", "code", "region", "police_force_area")
_ALIASES = {"police force area": "police_force_area", "partnership": "name"}
# What the partnership table holds: a longer value is a problem on its row, not a database error.
LENGTHS = {"name": PARTNERSHIP_NAME_MAX, "police_force_area": POLICE_FORCE_AREA_MAX}
# The code's rule, as a sentence about the code the row gives.
PARTNERSHIP_CODE_RULE_FOR = N_(
    "%(code)s must be 2 to 20 letters, numbers or hyphens, like E22000123"
)
_REGIONS = {**{rid: rid for rid, _ in REGIONS}, **{name.lower(): rid for rid, name in REGIONS}}


@dataclass(frozen=True)
class ExpectedPartnership:
    row: int
    name: str
    code: str
    region: str
    police_force_area: str


def _heading(raw: str) -> str:
    text = (raw or "").strip().lower()
    return _ALIASES.get(text, text.replace(" ", "_"))


def parse_expected(
    content: bytes, filename: str | None = None
) -> tuple[list[ExpectedPartnership], Problems]:
    """The partnerships the list names, or none and every problem (the first
    ``MAX_PROBLEMS`` listed, all counted): each is checked as the partnership form checks it."""
    if filename is not None and PurePath(filename).suffix.lower() != ".csv":
        return [], _problem(
            Phrase(
                N_("%(file)s is not a .csv file: save the list as 'CSV UTF-8'"),
                file=quoted(filename),
            )
        )
    problem = content_problem(".csv", content)
    if problem:
        return [], _problem(problem)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], _problem(Phrase(N_("is not UTF-8 text: save it as 'CSV UTF-8'")))
    rows: list[list[str]] = []
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if number > MAX_ROWS + 1:
                return [], _problem(too_many_rows())
            if len(row) > MAX_COLUMNS:
                return [], _problem(too_many_columns(len(row)), number)
            rows.append(row)
    except csv.Error as exc:
        return [], _problem(
            Phrase(N_("cannot be read as CSV: %(reason)s"), reason=str(exc)), len(rows) + 1
        )
    if not rows:
        return [], _problem(Phrase(N_("the file is empty")))
    headings = [_heading(h) for h in rows[0]]
    if not set(COLUMNS) & set(headings) and any(";" in h for h in headings):
        # Saved where the decimal mark is a comma: the whole heading row reads as one column.
        return [], _problem(
            Phrase(
                N_(
                    "the columns are separated by semicolons (;), not commas: save the list as "
                    "'CSV UTF-8 (Comma delimited)'"
                )
            ),
            1,
        )
    problems = Problems(
        ImportProblem(
            1,
            column,
            Phrase(
                N_("there is no such column: the columns are %(columns)s"),
                columns=", ".join(COLUMNS),
            ),
        )
        for column in COLUMNS
        if column not in headings
    )
    if problems:
        return [], problems
    found: list[ExpectedPartnership] = []
    codes: dict[str, int] = {}
    for number, raw in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue
        cells = {h: (raw[i].strip() if i < len(raw) else "") for i, h in enumerate(headings)}
        for column in COLUMNS:
            if not cells.get(column):
                problems.append(ImportProblem(number, column, Phrase(N_("is blank"))))
            elif "\x00" in cells[column]:
                problems.append(
                    ImportProblem(number, column, Phrase(N_("holds a NUL character, not text")))
                )
        code = cells.get("code", "").upper()
        if code and code in codes:
            problems.append(
                ImportProblem(
                    number,
                    "code",
                    Phrase(N_("%(code)s is already on row %(row)s"), code=code, row=codes[code]),
                )
            )
        elif code:
            codes[code] = number
        if code and not re.match(PARTNERSHIP_CODE_PATTERN, code):
            problems.append(
                ImportProblem(
                    number,
                    "code",
                    Phrase(PARTNERSHIP_CODE_RULE_FOR, code=quoted(code)),
                )
            )
        for column, limit in LENGTHS.items():
            if len(cells.get(column, "")) > limit:
                problems.append(
                    ImportProblem(
                        number,
                        column,
                        Phrase(N_("must be %(limit)s characters or fewer"), limit=limit),
                    )
                )
        region_text = cells.get("region", "")
        region = _REGIONS.get(region_text.lower()) if region_text else None
        if region_text and region is None:
            # The names a file may give, as it must give them (or the ids).
            names = ", ".join(name for _, name in REGIONS)
            problems.append(
                ImportProblem(
                    number,
                    "region",
                    Phrase(
                        N_("%(value)s is not a region: use %(regions)s"),
                        value=quoted(region_text),
                        regions=names,
                    ),
                )
            )
        found.append(
            ExpectedPartnership(
                number,
                cells.get("name", ""),
                code,
                region or "",
                cells.get("police_force_area", ""),
            )
        )
    if not found and not problems:
        problems.append(ImportProblem(None, None, Phrase(N_("the file lists no partnerships"))))
    return ([] if problems else found), problems.listed()


def _problem(message: str, row: int | None = None) -> Problems:
    return Problems([ImportProblem(row, None, message)])
