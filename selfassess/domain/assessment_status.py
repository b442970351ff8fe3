"""An assessment's life: draft → open → agreed → submitted. Plain rules, no Flask.

Only a lead moves an assessment (the views check the role); a submitted assessment is locked for
good. A lead may reopen an agreed assessment for rating while it is not yet submitted.
"""

from __future__ import annotations

from dataclasses import dataclass

STATUS_NAMES = {
    "draft": "Draft",
    "open": "Open for rating",
    "agreed": "Agreed",
    "submitted": "Submitted",
}
# GOV.UK tag colours for each status.
STATUS_COLOURS = {"draft": "grey", "open": "blue", "agreed": "green", "submitted": "purple"}

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "draft": ("open",),
    "open": ("agreed",),
    "agreed": ("open", "submitted"),
    "submitted": (),
}
# Moves a lead makes from the assessment page; submission goes through a national return.
MANUAL_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "draft": ("open",),
    "open": ("agreed",),
    "agreed": ("open",),
    "submitted": (),
}


@dataclass(frozen=True)
class Move:
    to: str
    button: str
    explanation: str  # what the move would do, said as "if": the page states the current state
    confirm: bool = False  # asked on a confirmation page first: it stops everyone's rating


MOVES = {
    ("draft", "open"): Move(
        "open",
        "Open for rating",
        "If you open it for rating, members can rate every question with their evidence.",
    ),
    ("open", "agreed"): Move(
        "agreed",
        "Mark as agreed",
        "If you mark it as agreed, members can no longer change their ratings and the board's "
        "agreed ratings stand.",
        confirm=True,
    ),
    ("agreed", "open"): Move(
        "open",
        "Reopen for rating",
        "If you reopen it for rating, members can change their ratings again.",
    ),
}


def can_start_next_cycle(status: str) -> bool:
    """A next cycle starts from an assessment that has been open for rating: a draft has no
    ratings or agreements to carry forward (and may itself be the newest cycle)."""
    return status != "draft"


class StatusError(ValueError):
    """A move the rules do not allow."""


def can_move(current: str, to: str, manual: bool = True) -> bool:
    table = MANUAL_TRANSITIONS if manual else TRANSITIONS
    return to in table.get(current, ())


def next_status(current: str, to: str, manual: bool = True) -> str:
    if current not in TRANSITIONS:
        raise StatusError(f"Unknown status {current!r}")
    if current == "submitted":
        raise StatusError("A submitted assessment is locked and cannot change")
    if not can_move(current, to, manual):
        raise StatusError(f"An assessment cannot move from {current} to {to}")
    return to


def moves_from(current: str) -> list[Move]:
    """The buttons a lead sees on an assessment in this status."""
    return [MOVES[(current, to)] for to in MANUAL_TRANSITIONS.get(current, ())]


def is_rateable(status: str) -> bool:
    """Members rate, and change their ratings, only while the assessment is open."""
    return status == "open"
