"""The national dataset as two analysis tables, one row per return and one per IOM arrangement,
with variable and value labels for SPSS and Stata (no Flask, no database).

Each answer becomes a numbered code with its label: a single-answer item one variable (1 for its
first option, 2 for the second...); a multi-choice item one 0/1 variable per option ("chosen"
or not), as analysts tabulate them; a rated item the scale's position. Blank is not answered.
Variable names keep to what both packages take: letters, digits and underscores, starting with
a letter, at most 28 characters (see NAME_LIMIT), unique.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from selfassess.domain.i18n import N_
from selfassess.domain.national_figures import ARRANGEMENT, CollectionItem

# Stata takes 32 characters, but names a variable's value labels after it with its column number
# added (up to four digits here): 28 keeps both within the 32.
NAME_LIMIT = 28
CHOSEN_LABELS = {0: N_("Not chosen"), 1: N_("Chosen")}

# The columns that say whose return a row is, before the answers.
RETURN_COLUMNS = (
    ("collection", N_("Collection")),
    ("partnership_code", N_("Partnership code")),
    ("partnership", N_("Partnership")),
    ("region", N_("Region")),
    ("return_version", N_("Version of the return")),
    ("source", N_("How the return was made (app or import)")),
    ("arrangements", N_("Number of IOM arrangements")),
)
ARRANGEMENT_COLUMNS = (
    ("collection", N_("Collection")),
    ("partnership_code", N_("Partnership code")),
    ("region", N_("Region")),
    ("arrangement", N_("IOM arrangement (numbered within the partnership)")),
)


@dataclass(frozen=True)
class Variable:
    """One column: its name, label, and for coded answers the label of each code."""

    name: str
    label: str
    value_labels: dict[int, str] = field(default_factory=dict)
    numeric: bool = False


@dataclass
class Table:
    name: str
    variables: list[Variable]
    rows: list[dict]

    def column(self, name: str) -> list:
        return [row.get(name) for row in self.rows]


def _name(raw: str, taken: set[str]) -> str:
    name = re.sub(r"[^A-Za-z0-9_]+", "_", raw).strip("_") or "v"
    if not name[0].isalpha():
        name = "v" + name
    name = name[:NAME_LIMIT]
    base, n = name, 2
    while name.lower() in taken:
        suffix = f"_{n}"
        name = base[: NAME_LIMIT - len(suffix)] + suffix
        n += 1
    taken.add(name.lower())
    return name


def _same(text: str) -> str:
    return text


def _answer_variables(
    ci: CollectionItem,
    taken: set[str],
    words: Callable[[str], str] = _same,
    local: Callable[[str], str] = _same,
) -> list[tuple[Variable, str | None]]:
    """The variables of one item: (variable, option id for a multi item's 0/1 column).

    ``words`` translates the labels marked here, ``local`` the framework's texts (both leave
    them in English by default)."""
    item_text = local(ci.item.text)
    text = f"{ci.item_id}. {item_text}"
    if ci.multi:
        chosen = {code: words(label) for code, label in CHOSEN_LABELS.items()}
        return [
            (
                Variable(
                    _name(f"{ci.key}_{oid}", taken),
                    # The option first: Stata keeps only 80 bytes of a label.
                    f"{ci.item_id} {local(label)}: {item_text}"[:256],
                    dict(chosen),
                    True,
                ),
                oid,
            )
            for oid, label in ci.options
        ]
    labels = {i: local(label) for i, (_, label) in enumerate(ci.options, start=1)}
    return [(Variable(_name(ci.key, taken), text[:256], labels, True), None)]


def build_tables(
    items: Sequence[CollectionItem],
    returns: Iterable[dict],
    answers: Iterable[dict],
    words: Callable[[str], str] = _same,
    local: Callable[[str], str] = _same,
) -> tuple[Table, Table]:
    """(returns table, arrangements table), labelled in a language: ``words`` translates the
    labels marked here, ``local`` the framework's texts (English by default).

    ``returns``: one dict per return with the keys of RETURN_COLUMNS; ``answers``: rows of the
    long dataset (``partnership_code``, ``framework``, ``item`` key, ``arrangement`` (None or 0
    for the partnership), ``value`` with several options joined by ';').
    """
    taken_r: set[str] = {c for c, _ in RETURN_COLUMNS}
    taken_a: set[str] = {c for c, _ in ARRANGEMENT_COLUMNS}
    by_key: dict[str, tuple[CollectionItem, list[tuple[Variable, str | None]]]] = {}
    return_vars = [Variable(c, words(label)) for c, label in RETURN_COLUMNS]
    arrangement_vars = [Variable(c, words(label)) for c, label in ARRANGEMENT_COLUMNS]
    return_vars[4] = Variable("return_version", words(RETURN_COLUMNS[4][1]), numeric=True)
    return_vars[6] = Variable("arrangements", words(RETURN_COLUMNS[6][1]), numeric=True)
    arrangement_vars[3] = Variable("arrangement", words(ARRANGEMENT_COLUMNS[3][1]), numeric=True)
    for ci in items:
        per_arrangement = ci.unit == ARRANGEMENT
        made = _answer_variables(ci, taken_a if per_arrangement else taken_r, words, local)
        by_key[ci.key] = (ci, made)
        (arrangement_vars if per_arrangement else return_vars).extend(v for v, _ in made)

    return_rows: dict[str, dict] = {}
    for ret in returns:
        row = {c: ret.get(c) for c, _ in RETURN_COLUMNS}
        return_rows[ret["partnership_code"]] = row
    arrangement_rows: dict[tuple[str, int], dict] = {}
    for ret in return_rows.values():
        for n in range(1, int(ret.get("arrangements") or 0) + 1):
            arrangement_rows[(ret["partnership_code"], n)] = {
                "collection": ret["collection"],
                "partnership_code": ret["partnership_code"],
                "region": ret["region"],
                "arrangement": n,
            }
    for answer in answers:
        found = by_key.get(answer["item"])
        if found is None:
            continue
        ci, made = found
        code, arr = answer["partnership_code"], int(answer.get("arrangement") or 0)
        if ci.unit == ARRANGEMENT:
            row = arrangement_rows.get((code, arr))
        else:
            row = return_rows.get(code)
        if row is None:
            continue
        chosen = [v for v in str(answer["value"] or "").split(";") if v]
        if ci.multi:
            for variable, oid in made:
                row[variable.name] = 1 if oid in chosen else 0
        else:
            codes = {oid: i for i, (oid, _) in enumerate(ci.options, start=1)}
            variable = made[0][0]
            row[variable.name] = codes.get(chosen[0]) if chosen else None
    return (
        Table("returns", return_vars, list(return_rows.values())),
        Table("arrangements", arrangement_vars, list(arrangement_rows.values())),
    )
