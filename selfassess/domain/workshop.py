"""The live workshop as plain data: join codes, the order the board walks the items, progress.

No Flask, no database. The views keep where the board is (framework id and item id) on the
workshop session; everything here works from that pair and the assessment's frameworks.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from selfassess.domain.frameworks import Framework, Item

# No look-alikes: no I or L (1), no O (0), no 0 or 1 themselves.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8


def new_join_code(length: int = JOIN_CODE_LENGTH) -> str:
    """A fresh join code from the unambiguous alphabet, drawn with ``secrets``."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(length))


def normalise_join_code(raw: str | None) -> str:
    """What someone typed as a code, as stored: capitals, without spaces or dashes."""
    return "".join(ch for ch in (raw or "").upper() if ch not in " -\t")


def is_valid_join_code(code: str) -> bool:
    return len(code) == JOIN_CODE_LENGTH and all(ch in JOIN_CODE_ALPHABET for ch in code)


@dataclass(frozen=True)
class Stop:
    """One item on the board's walk: which framework, which item, and where it falls."""

    framework_id: str
    item: Item
    index: int  # 0-based position in the whole walk

    @property
    def item_id(self) -> str:
        return self.item.id

    @property
    def key(self) -> tuple[str, str]:
        return (self.framework_id, self.item.id)

    @property
    def number(self) -> int:
        return self.index + 1


@dataclass(frozen=True)
class Progress:
    number: int
    total: int

    @property
    def label(self) -> str:
        return f"Question {self.number} of {self.total}"

    @property
    def percent(self) -> int:
        return round(100 * self.number / self.total) if self.total else 0


class Walk:
    """The items of an assessment's rated frameworks in framework order, then item order."""

    def __init__(self, frameworks: Iterable[Framework]):
        stops: list[Stop] = []
        for framework in frameworks:
            if not framework.is_rated:
                continue
            for item in framework.items:
                stops.append(Stop(framework.id, item, len(stops)))
        self.stops: tuple[Stop, ...] = tuple(stops)
        self._by_key = {stop.key: stop for stop in self.stops}

    def __len__(self) -> int:
        return len(self.stops)

    def __iter__(self):
        return iter(self.stops)

    @property
    def first(self) -> Stop | None:
        return self.stops[0] if self.stops else None

    def find(self, framework_id: str | None, item_id: str | None) -> Stop | None:
        return self._by_key.get((framework_id or "", item_id or ""))

    def next(
        self, current: Stop | None, include: Callable[[Stop], bool] | None = None
    ) -> Stop | None:
        """The next stop after current that include accepts (all, when include is None).

        With no current stop, the first accepted stop. None at the end of the walk.
        """
        start = current.index + 1 if current else 0
        return next((s for s in self.stops[start:] if include is None or include(s)), None)

    def previous(
        self, current: Stop | None, include: Callable[[Stop], bool] | None = None
    ) -> Stop | None:
        """The nearest stop before current that include accepts; None at the start."""
        if current is None:
            return None
        before = reversed(self.stops[: current.index])
        return next((s for s in before if include is None or include(s)), None)

    def only(self, keys: Iterable[tuple[str, str]]) -> tuple[Stop, ...]:
        """The stops whose (framework id, item id) is among keys, in walking order."""
        wanted = set(keys)
        return tuple(s for s in self.stops if s.key in wanted)

    def progress(self, current: Stop | None) -> Progress:
        return Progress(current.number if current else 0, len(self.stops))


def contested_filter(contested: Iterable[tuple[str, str]]) -> Callable[[Stop], bool]:
    """An include function for Walk.next/previous: only the contested items."""
    keys = frozenset(contested)
    return lambda stop: stop.key in keys


def progress_among(stops: Sequence[Stop], current: Stop | None) -> Progress | None:
    """Where current falls among some stops (for "contested item 2 of 5"); None if not among."""
    for n, stop in enumerate(stops, start=1):
        if current is not None and stop.key == current.key:
            return Progress(n, len(stops))
    return None


# --- rounds -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One person's vote in an earlier round and in a later one."""

    agency: str
    name: str
    before: str
    after: str

    @property
    def moved(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class AgencyMovement:
    """Who moved between two rounds in one agency: how many voted in both, and what changed."""

    agency: str
    voted_both: int
    # (before, after, how many), most common first; only people whose vote changed.
    shifts: tuple[tuple[str, str, int], ...]
    # (name, before, after) of everyone who moved; shown only when the session shows names.
    movers: tuple[tuple[str, str, str], ...]

    @property
    def moved(self) -> int:
        return sum(n for _, _, n in self.shifts)


def movement(changes: Iterable[Change]) -> list[AgencyMovement]:
    """Per agency (in alphabetical order of id), who moved between two rounds. Only people who
    voted in both rounds are compared; someone who did not vote again has not moved."""
    by_agency: dict[str, list[Change]] = {}
    for change in changes:
        by_agency.setdefault(change.agency, []).append(change)
    out = []
    for agency in sorted(by_agency):
        people = by_agency[agency]
        counted: dict[tuple[str, str], int] = {}
        for c in people:
            if c.moved:
                counted[(c.before, c.after)] = counted.get((c.before, c.after), 0) + 1
        shifts = tuple(
            (before, after, n)
            for (before, after), n in sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        movers = tuple(sorted((c.name, c.before, c.after) for c in people if c.moved))
        out.append(AgencyMovement(agency, len(people), shifts, movers))
    return out


def tally_words(counts: dict[str, int], labels: Sequence[tuple[str, str]]) -> str:
    """A round's votes in words for the history: "Red 1, Amber 3, Green 0, ... (4 votes)"."""
    total = sum(counts.values())
    parts = ", ".join(f"{label} {counts.get(value, 0)}" for value, label in labels)
    return f"{parts} ({total} {'vote' if total == 1 else 'votes'})"


def seconds_left(shown_seconds_ago: float | None, countdown: int | None) -> int | None:
    """What is left of the question's countdown (never below 0); None without a countdown."""
    if not countdown or shown_seconds_ago is None:
        return None
    return max(0, int(countdown - shown_seconds_ago))
