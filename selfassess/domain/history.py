"""An audit event's change in words: "Rating: Amber → Green", "Due: 1 May 2026", never the
stored values ("amber", "not_started", "2026-05-01") the audit trail keeps."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from selfassess.domain.i18n import N_

# What each stored field is called on the page; fields not named here are not shown.
FIELD_NAMES = {
    "value": N_("Rating"),
    "rationale": N_("Rationale"),
    "evidence": N_("Evidence"),
    "improvement": N_("Measures to improve"),
    "agency": N_("Agency"),
    "description": N_("What will be done"),
    "owner": N_("Owner"),
    "due_on": N_("Due"),
    "status": N_("Status"),
    "round": N_("Round"),  # a workshop's round of votes on the question
    "votes": N_("Votes"),
}


def long_date(value: Any) -> Any:
    """An ISO date ("2026-05-01") as people write it ("1 May 2026"); anything else as it is."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    return value


def change_lines(
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    words: Mapping[str, Callable[[Any], str]],
    translate: Callable[[str], str] = lambda text: text,
    dates: Callable[[Any], Any] = long_date,
) -> list[str]:
    """One line per field that changed, in FIELD_NAMES order, values in words.

    ``words`` turns a stored value into its label per field (a scale value into "Amber", an
    action status into "Not started", an agency id into its name); dates need no help.
    ``translate`` puts the field names and the line's words into the reader's language (the
    page's gettext) and ``dates`` writes a date in it; both default to English.
    """
    before, after = before or {}, after or {}

    def say(field: str, value: Any) -> str:
        if value is None or value == "":
            return translate(N_("blank"))
        if field in words:
            return words[field](value)
        return str(dates(value))

    lines = []
    for field, name in FIELD_NAMES.items():
        if field not in after or before.get(field) == after[field]:
            continue
        new = say(field, after[field])
        if before:
            line = translate(N_("%(field)s: %(before)s → %(after)s")) % {
                "field": translate(name),
                "before": say(field, before.get(field)),
                "after": new,
            }
        else:
            line = translate(N_("%(field)s: %(value)s")) % {"field": translate(name), "value": new}
        lines.append(line)
    return lines
