"""An assessment's life: draft → open → agreed → submitted. Plain rules, no Flask.

Only a lead moves an assessment (the views check the role); a submitted assessment is locked for
good. A lead may reopen an agreed assessment for rating while it is not yet submitted.
"""

from __future__ import annotations

from dataclasses import dataclass

from selfassess.domain.i18n import N_

STATUS_NAMES = {
    "draft": N_("Draft"),
    "open": N_("Open for rating"),
    "agreed": N_("Agreed"),
    "submitted": N_("Submitted"),
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
        N_("Open for rating"),
        N_("If you open it for rating, members can rate every question with their evidence."),
    ),
    ("open", "agreed"): Move(
        "agreed",
        N_("Mark as agreed"),
        N_(
            "If you mark it as agreed, members can no longer change their ratings and the "
            "board's agreed ratings stand."
        ),
        confirm=True,
    ),
    ("agreed", "open"): Move(
        "open",
        N_("Reopen for rating"),
        N_("If you reopen it for rating, members can change their ratings again."),
    ),
}


def can_start_next_cycle(status: str) -> bool:
    """A next cycle starts from an assessment that has been open for rating: a draft has no
    ratings or agreements to carry forward (and may itself be the newest cycle)."""
    return status != "draft"


class StatusError(ValueError):
    """A move the rules do not allow. ``message`` (marked for translation) and ``params`` let
    a page say it in its reader's language; ``str()`` is the English."""

    def __init__(self, message: str, **params: str) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


def can_move(current: str, to: str, manual: bool = True) -> bool:
    table = MANUAL_TRANSITIONS if manual else TRANSITIONS
    return to in table.get(current, ())


def next_status(current: str, to: str, manual: bool = True) -> str:
    if current not in TRANSITIONS:
        raise StatusError(N_("Unknown status %(status)s"), status=repr(current))
    if current == "submitted":
        raise StatusError(N_("A submitted assessment is locked and cannot change"))
    if not can_move(current, to, manual):
        raise StatusError(
            N_("An assessment cannot move from %(current)s to %(to)s"), current=current, to=to
        )
    return to


def moves_from(current: str) -> list[Move]:
    """The buttons a lead sees on an assessment in this status."""
    return [MOVES[(current, to)] for to in MANUAL_TRANSITIONS.get(current, ())]


def is_rateable(status: str) -> bool:
    """Members rate, and change their ratings, only while the assessment is open."""
    return status == "open"
