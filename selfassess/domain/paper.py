"""Paper forms in plain Python: form codes, what each page's QR code says, the one-key ratings
of the keying screen, comparing two keyings of one form, and deciding what a scanned question
says from how much ink each of its boxes holds.

No Flask, no database, no image library: the image work that measures the ink is in
``documents/paper_reading.py``; the decisions here are plain numbers, so they are tested as such.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from selfassess.domain.frameworks import ScaleValue
from selfassess.domain.i18n import N_

# No 0/O, 1/I/L, 5/S, 2/Z: a code read off paper and typed back in cannot be mistyped into another.
CODE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"
CODE_LENGTH = 8
QR_PREFIX = "SAP1"
# The languages a form is printed in: each language's words, in the order printed. "cy+en" is
# the Welsh with the English under it, on the one form.
PRINT_LANGUAGES = {"en": ("en",), "cy": ("cy",), "cy+en": ("cy", "en")}


def new_form_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def clean_form_code(typed: str | None) -> str | None:
    """A code as a person types it ("k7mp-3qxd ", "K7MP 3QXD") in its stored form, or None."""
    code = re.sub(r"[\s-]", "", (typed or "")).upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def show_form_code(code: str) -> str:
    """How a code is printed and shown: two groups of four, "K7MP-3QXD"."""
    return f"{code[:4]}-{code[4:]}"


@dataclass(frozen=True)
class PageMark:
    """What one page's QR code says: which form, which page of it, which framework version,
    and which language the page was printed in."""

    code: str
    page: int
    version: str
    language: str = "en"


def qr_payload(code: str, page: int, version: str, language: str = "en") -> str:
    """An English page's code as it always was; another language's adds it at the end."""
    payload = f"{QR_PREFIX}:{code}:{page}:{version}"
    return payload if language == "en" else f"{payload}:{language}"


def read_qr_payload(text: str) -> PageMark | None:
    """The page a QR code names, or None for any other QR code (a poster, a phone number)."""
    parts = (text or "").strip().split(":")
    language = "en"
    if len(parts) == 5 and parts[4] in PRINT_LANGUAGES and parts[4] != "en":
        language = parts.pop()
    if len(parts) != 4 or parts[0] != QR_PREFIX:
        return None
    code = clean_form_code(parts[1])
    if code is None or not parts[2].isdigit() or not 0 < int(parts[2]) < 1000:
        return None
    if not re.fullmatch(r"[0-9A-Za-z.\-]{1,20}", parts[3]):
        return None
    return PageMark(code, int(parts[2]), parts[3], language)


def layout_in(layout: Mapping | None, language: str) -> Mapping | None:
    """A form's layout as printed in ``language``, or None when it was never printed so.
    The English layout is the stored layout itself (as forms printed before any other language
    keep it); each other language's is under ``languages``."""
    if not layout:
        return None
    if language == "en":
        if "pages" not in layout:
            return None
        return {k: v for k, v in layout.items() if k != "languages"}
    return (layout.get("languages") or {}).get(language)


def with_layout(layout: Mapping | None, language: str, printed: Mapping) -> dict:
    """The form's stored layouts with ``language``'s set to ``printed``, the others kept."""
    others = dict((layout or {}).get("languages") or {})
    english = {k: v for k, v in (layout or {}).items() if k != "languages"}
    if language == "en":
        english = dict(printed)
    else:
        others[language] = dict(printed)
    return {**english, **({"languages": others} if others else {})}


# --- keying in -------------------------------------------------------------------------------


def rating_keys(scale: Sequence[ScaleValue]) -> dict[str, str]:
    """One key per answer on the scale: its label's first letter where that is free ("r", "a",
    "g", "d", "n"), else the next free letter of the label, else a digit."""
    keys: dict[str, str] = {}
    taken: set[str] = set()
    for number, value in enumerate(scale, start=1):
        letters = [c for c in value.label.lower() if c.isalpha()]
        key = next((c for c in letters if c not in taken), None) or str(number % 10)
        keys[value.id] = key
        taken.add(key)
    return keys


@dataclass(frozen=True)
class Keyed:
    """One question as keyed from paper."""

    value: str | None
    evidence: str = ""
    improvement: str = ""

    @property
    def blank(self) -> bool:
        return not (self.value or self.evidence.strip() or self.improvement.strip())


@dataclass(frozen=True)
class Difference:
    item_id: str
    first: Keyed
    second: Keyed


def differences(
    order: Iterable[str], first: Mapping[str, Keyed], second: Mapping[str, Keyed]
) -> list[Difference]:
    """Questions the two keyings of one form disagree on, in the paper's order. Text is compared
    as a person reads it: spaces at the ends and runs of spaces do not count."""

    def norm(k: Keyed) -> tuple:
        return (k.value or None, " ".join(k.evidence.split()), " ".join(k.improvement.split()))

    blank = Keyed(None)
    found = []
    for item_id in order:
        a, b = first.get(item_id, blank), second.get(item_id, blank)
        if norm(a) != norm(b):
            found.append(Difference(item_id, a, b))
    return found


def entered_from_paper(lead_name: str, on: str, checked_by: str | None = None) -> str:
    """How the history names a rating keyed from paper (``on`` already in words)."""
    if checked_by:
        return f"Entered from paper by {lead_name}, checked by {checked_by}, on {on}"
    return f"Entered from paper by {lead_name} on {on}"


# --- reading scans ---------------------------------------------------------------------------

EMPTY, MARKED, CANCELLED, DOUBTFUL = "empty", "marked", "cancelled", "doubtful"

# Shares of a box's inside covered by ink (dark) or by any trace of ink (light). Measured on
# pen marks of 0.25-0.65 mm strokes (tests/paper_pen.py): a tick or cross covers 12-51% of the
# inside, a box filled in to cancel it nearly all, printing dust and scanner noise under 1%, a
# faint pencil-like mark 14-28% light and no dark. The bands leave room either side; anything
# between them is doubtful, never guessed.
EMPTY_BELOW = 0.02
MARK_FROM = 0.06
MARK_BELOW = 0.72
CANCEL_FROM = 0.85
FAINT_FROM = 0.05  # light ink over this with too little dark ink: a faint mark


@dataclass(frozen=True)
class BoxInk:
    dark: float  # share of the box's inside darker than ink
    light: float  # share with any trace of ink, faint pencil included


def box_state(ink: BoxInk) -> str:
    if ink.dark >= CANCEL_FROM:
        return CANCELLED
    if MARK_FROM <= ink.dark < MARK_BELOW:
        return MARKED
    if ink.dark < EMPTY_BELOW and ink.light < FAINT_FROM:
        return EMPTY
    return DOUBTFUL


@dataclass(frozen=True)
class QuestionReading:
    item_id: str
    states: dict[str, str]  # answer id -> box state
    value: str | None  # what the boxes say, when they say one thing
    doubtful: bool
    reason: str | None

    @property
    def sure(self) -> bool:
        return not self.doubtful


def read_question(item_id: str, inks: Mapping[str, BoxInk]) -> QuestionReading:
    """What one question's boxes say. Sure only when every box is plainly empty or plainly
    marked and at most one is marked; anything else is put to the lead with the reason."""
    states = {value: box_state(ink) for value, ink in inks.items()}
    marked = [v for v, s in states.items() if s == MARKED]
    reason = None
    if any(s == DOUBTFUL for s in states.values()):
        reason = N_("A box holds a faint or partial mark")
    elif len(marked) > 1:
        reason = N_("More than one box is marked")
    elif any(s == CANCELLED for s in states.values()):
        reason = N_("A box is filled in (a changed answer)")
    value = marked[0] if len(marked) == 1 else None
    return QuestionReading(item_id, states, value, reason is not None, reason)
