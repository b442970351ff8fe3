"""The one RAG palette: the colours of Red, Amber and Green on the web, in PDFs, charts, the
workshop and spreadsheets, with the word that always goes with them.

The colours are from the GOV.UK palette: red, yellow (for amber) and the shade of green GOV.UK
uses for the green tag's text. Yellow rather than orange, and the darker green, because they
keep each pair apart in greyscale print and for people with protanopia or deuteranopia
(tests/test_palette.py measures it); a pattern per level keeps charts readable without colour.
The stylesheets declare these as custom properties and a test holds them to this module.
"""

from __future__ import annotations

from dataclasses import dataclass

from selfassess.domain.i18n import N_


@dataclass(frozen=True)
class RagColour:
    id: str | None  # the scale value id, None for "not rated"
    word: str  # marked for the catalogue: shown as gettext(word) / _(word)
    fill: str  # the colour, as #rrggbb
    text: str  # the colour of words printed on the fill (4.5:1 or better)
    hatch: str  # matplotlib's pattern for the level in charts


RED = RagColour("red", N_("Red"), "#d4351c", "#ffffff", "////")
AMBER = RagColour("amber", N_("Amber"), "#ffdd00", "#0b0c0c", "---")
GREEN = RagColour("green", N_("Green"), "#005a30", "#ffffff", "")
NOT_RATED = RagColour(None, N_("Not rated"), "#b1b4b6", "#0b0c0c", "xx")

LEVELS = (RED, AMBER, GREEN, NOT_RATED)
RAG = (RED, AMBER, GREEN)
EDGE = "#0b0c0c"  # the outline that keeps a light fill (amber) visible on white
BY_ID = {c.id: c for c in RAG}


def rag_colour(value: str | None) -> RagColour:
    """The colour of a rating given by value id or word ("amber", "Amber"); else not rated."""
    key = (value or "").strip().lower()
    return BY_ID.get(key, NOT_RATED)


def css_properties() -> dict[str, str]:
    """The stylesheets' custom properties, by name: ``--app-rag-amber`` and its text colour."""
    props = {}
    for c in LEVELS:
        name = c.id or "none"
        props[f"--app-rag-{name}"] = c.fill
        props[f"--app-rag-{name}-text"] = c.text
    return props
