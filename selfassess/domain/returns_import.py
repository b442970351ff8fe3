"""Returns sent in as files: parse and validate the whole file, then import all of it or nothing.

Plain Python (no Flask, no database): :func:`parse_returns` takes the file's name and bytes, the
frameworks the collection collects and the partnership codes the caller knows, and gives back
either every return in the file or every problem with it, never a part.

The format (CSV, XLSX or JSON; ``questions/examples/README.md`` shows it to users):

- One row per return, and for items answered once per IOM arrangement (``unit: arrangement``)
  one more row per arrangement, with an ``arrangement`` column numbering them from 1. On the
  partnership's own row ``arrangement`` is blank.
- A ``partnership_code`` column, then one column per item, headed by the item id. An item id that
  two of the collection's frameworks share (both survey years have a ``q1``) is ambiguous on its
  own: head the column ``framework_id:item_id`` (``national-survey-2013:q1``), which is always
  accepted.
- A cell holds an option id (``yes``); a multi-choice cell holds option ids joined by ``;``
  (``police;probation``); a rated item holds ``red``, ``amber``, ``green``, ``dont_know`` or
  ``not_applicable``; blank means not answered. An option is named by its id or its label, exactly
  apart from case (``probation`` or ``Probation service``).
- JSON: a list of objects ``{"partnership_code": ..., "arrangement": optional, ITEM_ID: value}``
  where a value is an option id (or ids joined by ``;``) or a list of option ids. Rows are the
  objects' positions in the list, from 1.

Every problem is reported with the row and column the user sees (the heading row is row 1).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from selfassess.domain.frameworks import Framework
from selfassess.domain.i18n import N_
from selfassess.domain.national_figures import (
    ARRANGEMENT,
    PARTNERSHIP,
    CollectionItem,
    collection_items,
)
from selfassess.domain.phrases import Phrase
from selfassess.domain.returns_cells import arrangement_number, parse_cell, separator_hint
from selfassess.domain.returns_files import (
    ARRANGEMENT_COLUMN,
    CODE_COLUMN,
    FORMATS,
    SEPARATOR,
    ImportProblem,
    Problems,
    Record,
    column_position,
    quoted,
    read_file,
)
from selfassess.domain.returns_writing import returns_to_rows, rows_to_csv, rows_to_xlsx
from selfassess.domain.survey_rules import consistency_problems

__all__ = [
    "ARRANGEMENT_COLUMN",
    "CODE_COLUMN",
    "FORMATS",
    "SEPARATOR",
    "ImportProblem",
    "ImportResult",
    "ImportedReturn",
    "parse_returns",
    "returns_to_rows",
    "rows_to_csv",
    "rows_to_xlsx",
]

Key = tuple[str, str]  # (framework_id, item_id)
Answers = dict[Key, list[str]]


@dataclass
class ImportedReturn:
    """One partnership's return as the file gives it.

    ``answers``: partnership-level answers, ``(framework_id, item_id) -> [option ids]``;
    ``arrangements``: arrangement number (1..n) -> that arrangement's answers.
    """

    partnership_code: str
    answers: Answers = field(default_factory=dict)
    arrangements: dict[int, Answers] = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)  # where it is in the file

    @property
    def arrangement_count(self) -> int:
        return len(self.arrangements)

    def answer_rows(self) -> Iterator[tuple[str, str, int, str]]:
        """(framework_id, item_id, arrangement, value), arrangement 0 being the partnership:
        one row per chosen option, as ``return_answer`` stores them."""
        for (fid, iid), values in self.answers.items():
            for value in values:
                yield fid, iid, 0, value
        for number in sorted(self.arrangements):
            for (fid, iid), values in self.arrangements[number].items():
                for value in values:
                    yield fid, iid, number, value


@dataclass
class ImportResult:
    """Every return in the file, by partnership code; or, when anything is wrong, none at all."""

    returns: dict[str, ImportedReturn]
    errors: list[ImportProblem]  # the first MAX_PROBLEMS; ``error_count`` counts them all

    @property
    def error_count(self) -> int:
        return getattr(self.errors, "total", len(self.errors))

    @property
    def ok(self) -> bool:
        return not self.errors


# --- headings ------------------------------------------------------------------------------


class _Columns:
    """Turns a heading into the item it names, or says why it names none."""

    def __init__(self, frameworks: Iterable[Framework]):
        self.frameworks = [fw for fw in frameworks if fw.kind in ("rag", "survey")]
        self.items = collection_items(self.frameworks)
        self.by_key = {(ci.framework_id, ci.item_id): ci for ci in self.items}
        self.by_bare: dict[str, list[CollectionItem]] = defaultdict(list)
        for ci in self.items:
            self.by_bare[ci.item_id].append(ci)
        self._cache: dict[str, tuple[Any, str | None]] = {}

    def resolve(self, heading: str) -> tuple[CollectionItem | str | None, str | None]:
        if heading not in self._cache:
            self._cache[heading] = self._resolve(heading)
        return self._cache[heading]

    def _resolve(self, heading: str) -> tuple[CollectionItem | str | None, str | None]:
        if heading.lower() in (CODE_COLUMN, ARRANGEMENT_COLUMN):
            return heading.lower(), None
        names = ", ".join(fw.id for fw in self.frameworks) or Phrase(N_("no frameworks"))
        if ":" in heading:
            fid, iid = (part.strip() for part in heading.split(":", 1))
            fw = next((f for f in self.frameworks if f.id == fid), None)
            if fw is None:
                message = Phrase(
                    N_("names framework %(framework)s, which this collection does not collect"),
                    framework=quoted(fid),
                )
                return None, message
            found = self._match([ci for ci in self.items if ci.framework_id == fid], iid)
            if found is None:
                return None, Phrase(
                    N_("%(framework)s has no item %(item)s"), framework=fid, item=quoted(iid)
                )
            return found, None
        candidates = self._match_all(self.items, heading)
        if len(candidates) == 1:
            return candidates[0], None
        if len(candidates) > 1:
            choices = [f"{ci.framework_id}:{ci.item_id}" for ci in candidates]
            return None, Phrase(
                N_(
                    "%(heading)s is an item of more than one framework in this collection: "
                    "head the column %(choices)s"
                ),
                heading=quoted(heading),
                choices=Phrase(
                    N_("%(some)s or %(last)s"), some=" or ".join(choices[:-1]), last=choices[-1]
                ),
            )
        return None, Phrase(
            N_(
                "is not %(code_column)s, %(arrangement_column)s or an item of this collection's "
                "frameworks (%(frameworks)s)"
            ),
            code_column=CODE_COLUMN,
            arrangement_column=ARRANGEMENT_COLUMN,
            frameworks=names,
        )

    @staticmethod
    def _match_all(items: list[CollectionItem], item_id: str) -> list[CollectionItem]:
        exact = [ci for ci in items if ci.item_id == item_id]
        return exact or [ci for ci in items if ci.item_id.lower() == item_id.lower()]

    def _match(self, items: list[CollectionItem], item_id: str) -> CollectionItem | None:
        found = self._match_all(items, item_id)
        return found[0] if len(found) == 1 else None


@dataclass
class _Cell:
    values: list[str]
    row: int
    heading: str
    usable: bool  # its values and its place are valid, so later items may depend on it


# --- parsing ----------------------------------------------------------------------------------


class _Parser:
    def __init__(self, frameworks, known_codes, existing_codes, replace, expected, add_expected):
        self.expected = None if expected is None else set(expected)
        self.add_expected = add_expected
        self.columns = _Columns(frameworks)
        self.known = {code: code for code in known_codes}
        self.known_lower: dict[str, list[str]] = defaultdict(list)
        for code in known_codes:
            self.known_lower[code.lower()].append(code)
        self.existing = set(existing_codes)
        self.replace = replace
        self.errors = Problems()
        self.returns: dict[str, ImportedReturn] = {}
        self.known_return: dict[str, bool] = {}
        self.first_row: dict[tuple[str, int], int] = {}
        self.cells: dict[tuple[str, int], dict[Key, _Cell]] = defaultdict(dict)
        self.column_order: dict[str, int] = {}
        self.unnumbered: set[str] = set()  # rows whose arrangement number is wrong, reported

    def error(self, row: int | None, column: str | None, message: str) -> None:
        self.errors.append(ImportProblem(row, column, message))

    def sort_key(self, problem: ImportProblem) -> tuple[int, int]:
        """Row order, then column order (the file's, or the order columns were first met)."""
        column = problem.column or ""
        if column in self.column_order:
            return problem.row or 0, self.column_order[column]
        position = column_position(column)  # a cell under no heading, named by its letter
        return problem.row or 0, -1 if position is None else position - 1

    def headings(self, headings: list[str]) -> dict[str, Any]:
        """Resolve a CSV or XLSX heading row (row 1); report each bad heading once."""
        targets: dict[str, Any] = {}
        seen_items: dict[Key, str] = {}
        self.column_order.update((h, i) for i, h in enumerate(headings))
        hint = separator_hint(headings)
        if hint and CODE_COLUMN not in (h.lower() for h in headings):
            self.error(
                1,
                CODE_COLUMN,
                Phrase(N_("there is no %(column)s column%(hint)s"), column=CODE_COLUMN, hint=hint),
            )
            return targets  # one problem, not one per run-together heading
        for heading in headings:
            target, message = self.columns.resolve(heading)
            if message:
                self.error(1, heading, message)
                continue
            if isinstance(target, CollectionItem):
                key = (target.framework_id, target.item_id)
                if key in seen_items:
                    self.error(
                        1,
                        heading,
                        Phrase(N_("is the same item as column %(column)s"), column=seen_items[key]),
                    )
                    continue
                seen_items[key] = heading
            targets[heading] = target
        if headings and CODE_COLUMN not in targets.values():
            self.error(
                1, CODE_COLUMN, Phrase(N_("there is no %(column)s column"), column=CODE_COLUMN)
            )
        return targets

    def record_targets(self, record: Record) -> dict[str, Any]:
        """Resolve a JSON object's keys, reporting bad ones on its row."""
        targets: dict[str, Any] = {}
        seen_items: dict[Key, str] = {}
        for heading in record.cells:
            self.column_order.setdefault(heading, len(self.column_order))
            target, message = self.columns.resolve(heading)
            if message:
                self.error(record.row, heading, message)
            elif isinstance(target, CollectionItem):
                key = (target.framework_id, target.item_id)
                if key in seen_items:
                    self.error(
                        record.row,
                        heading,
                        Phrase(N_("is the same item as %(column)s"), column=seen_items[key]),
                    )
                    continue
                seen_items[key] = heading
                targets[heading] = target
            else:
                targets[heading] = target
        if CODE_COLUMN not in targets.values():
            self.error(
                record.row,
                CODE_COLUMN,
                Phrase(N_("the object has no %(column)s"), column=CODE_COLUMN),
            )
        return targets

    def code(self, raw: Any, row: int, heading: str) -> str | None:
        if raw is None:
            self.error(row, heading, Phrase(N_("is blank: every row needs the partnership's code")))
            return None
        if not isinstance(raw, str):
            raw = str(raw)
        if raw in self.known:
            return raw
        matches = self.known_lower.get(raw.lower(), [])
        if len(matches) == 1:
            return matches[0]
        message = Phrase(
            N_(
                "%(code)s is not the code of a partnership known to the tool: load the "
                "collection's expected partnerships first (name, code, region, police force "
                "area), which adds the partnerships the tool does not know"
            ),
            code=quoted(raw),
        )
        self.error(row, heading, message)
        return None

    def record(self, record: Record, targets: dict[str, Any]) -> None:
        by_role = {t: h for h, t in targets.items() if isinstance(t, str)}
        code = raw_code = None
        if CODE_COLUMN in by_role:
            heading = by_role[CODE_COLUMN]
            raw_code = record.cells.get(heading)
            code = self.code(raw_code, record.row, heading)
        arrangement: int | None = 0
        if ARRANGEMENT_COLUMN in by_role:
            heading = by_role[ARRANGEMENT_COLUMN]
            arrangement, message = arrangement_number(record.cells.get(heading))
            if message:
                self.error(record.row, heading, message)
                if raw_code is not None:
                    self.unnumbered.add(code if code is not None else str(raw_code))
        # Unknown codes still group their rows, so their asked_if problems are found too.
        group = code if code is not None else (str(raw_code) if raw_code is not None else None)
        unit_key = (group, arrangement) if group is not None and arrangement is not None else None
        duplicate = False
        if unit_key is not None:
            if unit_key in self.first_row:
                duplicate = True
                if arrangement == 0:
                    message = Phrase(
                        N_("%(code)s already has a row for the partnership (row %(row)s)"),
                        code=group,
                        row=self.first_row[unit_key],
                    )
                else:
                    message = Phrase(
                        N_("%(code)s already has a row for arrangement %(number)s (row %(row)s)"),
                        code=group,
                        number=arrangement,
                        row=self.first_row[unit_key],
                    )
                self.error(
                    record.row,
                    by_role.get(ARRANGEMENT_COLUMN) if arrangement else by_role[CODE_COLUMN],
                    message,
                )
            else:
                self.first_row[unit_key] = record.row
                self.known_return[group] = code is not None
                ret = self.returns.setdefault(group, ImportedReturn(group))
                ret.rows.append(record.row)
                if arrangement:
                    ret.arrangements.setdefault(arrangement, {})
        for heading, raw in record.cells.items():
            ci = targets.get(heading)
            if not isinstance(ci, CollectionItem):
                continue
            values, problems = parse_cell(ci, raw)
            for message in problems:
                self.error(record.row, heading, message)
            if not values and not problems:
                continue
            placed = arrangement is not None
            if arrangement == 0 and ci.unit == ARRANGEMENT:
                placed = False
                self.error(
                    record.row,
                    heading,
                    Phrase(
                        N_(
                            "%(item)s is answered once per IOM arrangement: put it on the "
                            "arrangement rows (numbered in the %(column)s column), not the "
                            "partnership's"
                        ),
                        item=ci.key,
                        column=ARRANGEMENT_COLUMN,
                    ),
                )
            elif arrangement and ci.unit == PARTNERSHIP:
                placed = False
                self.error(
                    record.row,
                    heading,
                    Phrase(
                        N_(
                            "%(item)s is answered once for the partnership: put it on the row "
                            "whose %(column)s is blank, not on arrangement %(number)s's"
                        ),
                        item=ci.key,
                        column=ARRANGEMENT_COLUMN,
                        number=arrangement,
                    ),
                )
            if unit_key is None or duplicate:
                continue
            key = (ci.framework_id, ci.item_id)
            self.cells[unit_key][key] = _Cell(values, record.row, heading, placed and not problems)
            if placed and values:
                ret = self.returns[group]
                answers = ret.arrangements[arrangement] if arrangement else ret.answers
                answers[key] = values

    def finish(self) -> None:
        for group, ret in self.returns.items():
            first = min(ret.rows)
            if self.known_return.get(group) and group in self.existing and not self.replace:
                self.error(
                    first,
                    CODE_COLUMN,
                    Phrase(
                        N_(
                            "%(code)s already has a return in this collection: import again "
                            "choosing to replace existing returns (--replace) if this one should "
                            "replace it"
                        ),
                        code=group,
                    ),
                )
            if (
                self.known_return.get(group)
                and self.expected is not None
                and group not in self.expected
                and not self.add_expected
            ):
                self.error(
                    first,
                    CODE_COLUMN,
                    Phrase(
                        N_(
                            "%(code)s is not expected to return to this collection: load it into "
                            "the collection's expected partnerships first, or import again "
                            "choosing to add the partnerships not yet expected (--add-expected)"
                        ),
                        code=group,
                    ),
                )
            numbers = sorted(ret.arrangements)
            if numbers and numbers != list(range(1, len(numbers) + 1)):
                self.error(
                    first,
                    ARRANGEMENT_COLUMN,
                    Phrase(
                        N_(
                            "%(code)s's arrangements are numbered %(numbers)s: number them 1 to "
                            "%(count)s"
                        ),
                        code=group,
                        numbers=", ".join(map(str, numbers)),
                        count=len(numbers),
                    ),
                )
        for (group, arrangement), cells in self.cells.items():
            for key, cell in cells.items():
                self._check_asked_if(group, arrangement, key, cell)
        for group, ret in self.returns.items():
            self._check_rules(group, ret, count_known=group not in self.unnumbered)

    def _check_rules(self, group: str, ret: ImportedReturn, count_known: bool) -> None:
        """The framework's consistency rules, as the survey in the tool keeps them; each broken
        one reported on the cell whose answer breaks it. Where a row's arrangement number is
        wrong (reported already) the number of arrangements is unknown: not held to a rule."""
        answers = {
            (*key, arrangement): cell.values
            for (g, arrangement), cells in self.cells.items()
            if g == group
            for key, cell in cells.items()
            if cell.usable
        }
        for problem in consistency_problems(
            self.columns.frameworks, answers, ret.arrangement_count
        ):
            key = (problem.framework_id, problem.item_id)
            cell = self.cells[(group, problem.arrangement)][key]
            message = problem.message
            if problem.rule == "arrangements" and not count_known:
                continue
            if problem.rule == "arrangements":
                message = Phrase(
                    N_(
                        "%(problem)s (arrangement rows for %(code)s): give one row per "
                        "arrangement, numbered in the %(column)s column"
                    ),
                    problem=message,
                    code=group,
                    column=ARRANGEMENT_COLUMN,
                )
            self.error(cell.row, cell.heading, message)

    def _check_asked_if(self, group: str, arrangement: int, key: Key, cell: _Cell) -> None:
        ci = self.columns.by_key[key]
        cond = ci.item.asked_if
        if cond is None:
            return
        if (arrangement == 0) != (ci.unit == PARTNERSHIP):
            return  # misplaced, reported already: which row's answer would decide is unclear
        target = self.columns.by_key.get((ci.framework_id, cond.item))
        if target is None:
            return
        if target.unit == PARTNERSHIP:
            places = [0]
        elif ci.unit == ARRANGEMENT:
            places = [arrangement]
        else:
            places = sorted(self.returns[group].arrangements)
        target_key = (target.framework_id, target.item_id)
        found = [self.cells.get((group, a), {}).get(target_key) for a in places]
        if any(c is not None and not c.usable for c in found):
            return  # the target's own answer is wrong and reported: don't pile on
        answer = [v for c in found if c is not None for v in c.values]
        if cond.holds(answer):
            return
        cell.usable = False  # not asked: no other rule is held against it
        values = list(cond.values)
        wanted = (
            Phrase(N_("%(some)s or %(last)s"), some=" or ".join(values[:-1]), last=values[-1])
            if len(values) > 1
            else " or ".join(values)
        )
        if answer:
            given = Phrase(
                N_("%(item)s is %(answer)s"), item=target.key, answer=SEPARATOR.join(answer)
            )
        elif target.unit == PARTNERSHIP and arrangement:
            given = Phrase(
                N_("the partnership's row (no %(column)s) does not answer %(item)s"),
                column=ARRANGEMENT_COLUMN,
                item=target.key,
            )
        else:
            given = Phrase(N_("%(item)s is not answered"), item=target.key)
        self.error(
            cell.row,
            cell.heading,
            Phrase(
                N_(
                    "is answered, but %(item)s is asked only when %(target)s is %(wanted)s, "
                    "and %(given)s"
                ),
                item=ci.key,
                target=target.key,
                wanted=wanted,
                given=given,
            ),
        )


def parse_returns(
    filename: str,
    content: bytes,
    library_frameworks: Iterable[Framework],
    known_codes: Iterable[str],
    existing_codes: Iterable[str] = (),
    replace: bool = False,
    expected_codes: Iterable[str] | None = None,
    add_expected: bool = False,
) -> ImportResult:
    """Parse and validate a returns file (.csv, .xlsx or .json); all of it, or nothing.

    ``library_frameworks``: the frameworks the collection collects; ``known_codes``: every
    partnership code the tool knows; ``existing_codes``: partnerships that already have a return
    in the collection, refused unless ``replace``; ``expected_codes``: the partnerships the
    collection expects (None: any known one), others refused unless ``add_expected``, so a file
    imported into the wrong collection cannot change its response rate. On any problem
    ``returns`` is empty and ``errors`` lists every problem found, in row order.
    """
    parser = _Parser(
        list(library_frameworks),
        set(known_codes),
        existing_codes,
        replace,
        expected_codes,
        add_expected,
    )
    contents = read_file(filename, content)
    parser.errors.extend(contents.problems)
    tabular = contents.headings is not None  # CSV and XLSX share one heading row; JSON does not
    shared = parser.headings(contents.headings) if tabular else None
    for record in contents.records:
        targets = shared if tabular else parser.record_targets(record)
        parser.record(record, targets)
    parser.finish()
    if not contents.records and not parser.errors:
        parser.error(None, None, "the file holds no returns")
    if parser.errors:
        return ImportResult({}, parser.errors.listed(key=parser.sort_key))
    return ImportResult(parser.returns, [])
