"""A returns file's cells: the option ids a cell names and what is wrong with it; an
arrangement number. Plain Python (no Flask, no database); ``returns_import`` reads the file."""

from __future__ import annotations

from typing import Any

from selfassess.domain.i18n import N_
from selfassess.domain.national_figures import CollectionItem
from selfassess.domain.phrases import FrameworkText, Phrase
from selfassess.domain.returns_files import CODE_COLUMN, SEPARATOR, quoted


def join_values(values: list[str]) -> str:
    shown = [quoted(v) for v in values]
    if len(shown) == 1:
        return shown[0]
    return Phrase(N_("%(some)s and %(last)s"), some=", ".join(shown[:-1]), last=shown[-1])


def option_names(ci: CollectionItem) -> dict[str, str]:
    """What a cell may say for each option, case folded: its id, or its label exactly as the
    framework words it (``probation`` or ``Probation service``). An id wins over another
    option's label of the same text."""
    names = {label.casefold(): oid for oid, label in ci.options}
    names.update((oid.casefold(), oid) for oid, _ in ci.options)
    return names


def separator_hint(headings: list[str]) -> str:
    """Why a heading row may lack the code column: a file saved with ``;`` between columns (as
    spreadsheet programs do where the decimal mark is a comma) reads as one column."""
    if any(SEPARATOR in h and CODE_COLUMN in h.lower() for h in headings):
        return Phrase(
            N_(
                ": the headings are separated by semicolons (%(separator)s), not commas; save "
                "the file as 'CSV UTF-8 (Comma delimited)', or import it as .xlsx"
            ),
            separator=SEPARATOR,
        )
    return ""


def parse_cell(ci: CollectionItem, raw: Any) -> tuple[list[str], list[str]]:
    """The option ids a cell gives (in the item's option order) and what is wrong with it."""
    if raw is None or raw == []:
        return [], []
    if isinstance(raw, str):
        parts = [p.strip() for p in raw.split(SEPARATOR)]
    elif isinstance(raw, list) and all(isinstance(p, str) for p in raw):
        parts = [p.strip() for p in raw]
    else:
        return [], [
            Phrase(
                N_("%(value)s is not an answer: give an option id, or a list of option ids"),
                value=quoted(raw),
            )
        ]
    parts = [p for p in parts if p]
    if not parts:
        return [], []
    order = [oid for oid, _ in ci.options]
    by_text = option_names(ci)
    chosen: set[str] = set()
    bad: list[str] = []
    for part in parts:
        oid = by_text.get(part.casefold())
        if oid is None:
            bad.append(part)
        else:
            chosen.add(oid)
    problems = []
    if not ci.multi and len(parts) > 1:
        problems.append(
            Phrase(
                N_("%(item)s takes one answer, but %(count)s are given (%(values)s)"),
                item=ci.key,
                count=len(parts),
                values=join_values(parts),
            )
        )
    if bad:
        allowed = {
            f"o{i}": oid
            if label.casefold() == oid.casefold()
            else Phrase(N_("%(id)s (%(label)s)"), id=oid, label=FrameworkText(label))
            for i, (oid, label) in enumerate(ci.options)
        }
        allowed_text = Phrase("; ".join(f"%({key})s" for key in allowed), **allowed)
        if len(bad) == 1 and ci.kind == "rag":
            template = N_("%(values)s is not a rating: use one of %(allowed)s")
        elif len(bad) == 1:
            template = N_("%(values)s is not an answer to %(item)s: use one of %(allowed)s")
        elif ci.kind == "rag":
            template = N_("%(values)s are not ratings: use one of %(allowed)s")
        else:
            template = N_("%(values)s are not answers: use one of %(allowed)s")
        problems.append(
            Phrase(template, values=join_values(bad), item=ci.key, allowed=allowed_text)
        )
    return [oid for oid in order if oid in chosen], problems


def arrangement_number(raw: Any) -> tuple[int | None, str | None]:
    """0 for the partnership's own row (blank), 1..n for an arrangement; or a message."""
    if raw is None or raw == "":
        return 0, None
    number: int | None = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        number = raw
    elif isinstance(raw, float) and raw.is_integer():
        number = int(raw)
    elif isinstance(raw, str) and raw.strip().isdigit():
        number = int(raw.strip())
    if number is None:
        return None, Phrase(
            N_("%(value)s is not a whole number: number arrangements 1, 2, 3..."),
            value=quoted(raw),
        )
    if number < 1:
        return None, Phrase(
            N_("%(number)s is not an arrangement number: number them from 1"), number=number
        )
    return number, None
