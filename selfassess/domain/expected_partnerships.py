"""The expected partnerships of a collection, from a CSV of name, code, region, police force area.

Plain Python (no Flask, no database). Every row is checked and every problem reported with its row
and column; the caller creates nothing unless there are none. A region may be given by its id
(``north_west``) or its name (``North West``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import PurePath

from selfassess.domain.reference import REGIONS
from selfassess.domain.returns_files import ImportProblem, content_problem

COLUMNS = ("name", "code", "region", "police_force_area")
_ALIASES = {"police force area": "police_force_area", "partnership": "name"}
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
) -> tuple[list[ExpectedPartnership], list[ImportProblem]]:
    if filename is not None and PurePath(filename).suffix.lower() != ".csv":
        message = f"{filename!r} is not a .csv file: save the list as 'CSV UTF-8'"
        return [], [ImportProblem(None, None, message)]
    problem = content_problem(".csv", content)
    if problem:
        return [], [ImportProblem(None, None, problem)]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [ImportProblem(None, None, "is not UTF-8 text: save it as 'CSV UTF-8'")]
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        return [], [ImportProblem(None, None, "the file is empty")]
    headings = [_heading(h) for h in rows[0]]
    problems = [
        ImportProblem(1, column, "there is no such column: the columns are " + ", ".join(COLUMNS))
        for column in COLUMNS
        if column not in headings
    ]
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
                problems.append(ImportProblem(number, column, "is blank"))
        code = cells.get("code", "").upper()
        if code and code in codes:
            problems.append(
                ImportProblem(number, "code", f"{code} is already on row {codes[code]}")
            )
        elif code:
            codes[code] = number
        if len(code) > 20:
            problems.append(ImportProblem(number, "code", "must be 20 characters or fewer"))
        if len(cells.get("name", "")) > 200:
            problems.append(ImportProblem(number, "name", "must be 200 characters or fewer"))
        region_text = cells.get("region", "")
        region = _REGIONS.get(region_text.lower()) if region_text else None
        if region_text and region is None:
            names = ", ".join(name for _, name in REGIONS)
            problems.append(
                ImportProblem(number, "region", f"{region_text!r} is not a region: use {names}")
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
        problems.append(ImportProblem(None, None, "the file lists no partnerships"))
    return ([] if problems else found), problems
