"""An audit event's change in words: "Rating: Amber → Green", "Due: 1 May 2026", never the
stored values ("amber", "not_started", "2026-05-01") the audit trail keeps."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

# What each stored field is called on the page; fields not named here are not shown.
FIELD_NAMES = {
    "value": "Rating",
    "rationale": "Rationale",
    "evidence": "Evidence",
    "improvement": "Measures to improve",
    "agency": "Agency",
    "description": "What will be done",
    "owner": "Owner",
    "due_on": "Due",
    "status": "Status",
    "round": "Round",  # a workshop's round of votes on the question
    "votes": "Votes",
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
) -> list[str]:
    """One line per field that changed, in FIELD_NAMES order, values in words.

    ``words`` turns a stored value into its label per field (a scale value into "Amber", an
    action status into "Not started", an agency id into its name); dates need no help.
    """
    before, after = before or {}, after or {}

    def say(field: str, value: Any) -> str:
        if value is None or value == "":
            return "blank"
        if field in words:
            return words[field](value)
        return str(long_date(value))

    lines = []
    for field, name in FIELD_NAMES.items():
        if field not in after or before.get(field) == after[field]:
            continue
        new = say(field, after[field])
        lines.append(
            f"{name}: {say(field, before.get(field))} → {new}" if before else f"{name}: {new}"
        )
    return lines
