"""One RAG palette everywhere, and its colours stay apart for everyone.

The palette (selfassess/domain/palette.py) is simulated as people with protanopia and
deuteranopia see it (Machado, Oliveira and Fernandes 2009, severity 1) and as greyscale print
shows it; each pair of levels must differ by a clear CIE76 colour difference in Lab. Then every
place that writes a colour is held to the palette: the stylesheets, the templates, the charts
and the spreadsheet cells.
"""

from __future__ import annotations

import io
import math
import re
from itertools import combinations
from pathlib import Path

import pytest
from openpyxl import load_workbook

from selfassess.domain import palette

ROOT = Path(__file__).resolve().parent.parent
PROTANOPIA = (
    (0.152286, 1.052583, -0.204868),
    (0.114503, 0.786281, 0.099216),
    (-0.003882, -0.048116, 1.051998),
)
DEUTERANOPIA = (
    (0.367322, 0.860646, -0.227968),
    (0.280085, 0.672501, 0.047413),
    (-0.011820, 0.042940, 0.968881),
)
# Clear apart at a glance (CIE76 ΔE around 2 is just noticeable); amber and red, the pair that
# was confused in print, further still.
MIN_DIFFERENCE = 12
MIN_AMBER_RED = 30


def rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))


def linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def encoded(c: float) -> float:
    c = min(1.0, max(0.0, c))
    return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def simulate(matrix):
    def seen(colour):
        lin = [linear(c) for c in colour]
        return tuple(encoded(sum(m * c for m, c in zip(row, lin, strict=True))) for row in matrix)

    return seen


def greyscale(colour):
    r, g, b = (linear(c) for c in colour)
    grey = encoded(0.2126 * r + 0.7152 * g + 0.0722 * b)
    return (grey, grey, grey)


def lab(colour) -> tuple[float, float, float]:
    r, g, b = (linear(c) for c in colour)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))


def delta_e(a, b) -> float:
    return math.dist(lab(a), lab(b))


VIEWS = {
    "full colour": lambda c: c,
    "protanopia": simulate(PROTANOPIA),
    "deuteranopia": simulate(DEUTERANOPIA),
    "greyscale": greyscale,
}


def test_the_colour_science_agrees_with_known_values():
    assert lab(rgb("#ffffff")) == pytest.approx((100, 0, 0), abs=0.05)
    assert delta_e(rgb("#000000"), rgb("#ffffff")) == pytest.approx(100, abs=0.05)
    # Pure red and pure green, the classic confusion, are close for a deuteranope.
    red, green = rgb("#ff0000"), rgb("#00ff00")
    assert delta_e(red, green) > 80 > delta_e(*map(VIEWS["deuteranopia"], (red, green)))


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize(("a", "b"), list(combinations(palette.RAG, 2)), ids=lambda c: c.word)
def test_each_pair_of_levels_stays_apart(view, a, b):
    seen = VIEWS[view]
    difference = delta_e(seen(rgb(a.fill)), seen(rgb(b.fill)))
    floor = MIN_AMBER_RED if {a.id, b.id} == {"red", "amber"} else MIN_DIFFERENCE
    assert difference >= floor, f"{a.word} and {b.word} in {view}: ΔE {difference:.1f}"


@pytest.mark.parametrize("level", palette.LEVELS, ids=lambda c: c.word)
def test_words_on_each_fill_are_readable(level):
    def luminance(colour):
        r, g, b = (linear(c) for c in rgb(colour))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(level.fill), luminance(level.text)), reverse=True)
    assert (high + 0.05) / (low + 0.05) >= 4.5


def test_each_level_has_its_own_pattern_for_charts():
    hatches = [c.hatch for c in palette.LEVELS]
    assert len(set(hatches)) == len(hatches)


# --- every place that writes a colour uses the palette ---------------------------------------

HEX = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")
# Colours that are not ratings: GOV.UK text, borders, backgrounds, focus and links; black ink
# on the printed paper forms; the GOV.UK button in emails (which no stylesheet reaches); the
# blues that shade counts in the national PDF's heat tables.
NEUTRAL = {"#0b0c0c", "#505a5f", "#b1b4b6", "#f3f2f1", "#1d70b8", "#ffffff", "#eeefef"}
NEUTRAL |= {"#000", "#000000", "#00703c", "#002d18"}
NEUTRAL |= {"#d2e2f1", "#8eb8dc", "#2b70b3", "#003078"}
RAG_FILLS = {c.fill for c in palette.RAG}
ROOT_BLOCK = re.compile(r":root\s*\{(.*?)\}", re.S)
STYLESHEETS = ("selfassess/assets/app.css", "exports/print.css")


def _written_colours():
    for folder, pattern in (
        ("selfassess", "*.py"),
        ("selfassess/assets", "*.css"),
        ("templates", "*.html"),
        ("exports", "*.html"),
        ("exports", "*.css"),
    ):
        for path in sorted((ROOT / folder).rglob(pattern)):
            if path.name == "palette.py" or "migrations" in path.parts:
                continue
            text = ROOT_BLOCK.sub("", path.read_text(encoding="utf-8"))
            for found in HEX.findall(text):
                yield path.relative_to(ROOT), found.lower()


def test_no_colour_is_written_outside_the_palette_and_the_neutrals():
    stray = [(str(p), c) for p, c in _written_colours() if c not in NEUTRAL]
    assert stray == []


@pytest.mark.parametrize("stylesheet", STYLESHEETS)
def test_stylesheets_declare_the_palette_as_it_is(stylesheet):
    text = (ROOT / stylesheet).read_text(encoding="utf-8")
    declared = dict(re.findall(r"(--app-rag-[\w-]+)\s*:\s*(#[0-9a-fA-F]{6})", text))
    assert {k: v.lower() for k, v in declared.items()} == palette.css_properties()
    # Every RAG rule takes its colours from the properties, for the tag and the fill alike.
    for level in ("red", "amber", "green"):
        rule = re.search(rf"\.(?:app-)?rag--{level}\s*\{{([^}}]*)\}}", text)
        assert rule and f"var(--app-rag-{level})" in rule.group(1)


def test_charts_draw_with_the_palette_and_its_patterns(app):
    from selfassess.documents import charts
    from selfassess.domain.scoring import framework_result
    from selfassess.extensions import frameworks

    framework = frameworks().get("iom-key-principles")
    ids = [i.id for i in framework.items]
    votes = {ids[0]: {"police": {"red": 2}}, ids[1]: {"police": {"amber": 2}}}
    votes[ids[2]] = {"police": {"green": 2}}
    svg = charts.section_bars(framework_result(framework, votes)).svg.lower()
    for c in palette.RAG:
        assert c.fill in svg
    assert svg.count("<pattern") >= 2  # red and amber hatched (green is plain)
    assert "#f47738" not in svg and "#00703c" not in svg


def test_national_bars_take_the_rag_colours_and_patterns():
    from selfassess.documents.national_charts import percentage_bars
    from selfassess.domain.national_figures import ItemFigures, OptionFigure

    options = tuple(
        OptionFigure(c.id, c.word, n, 100 * n / 10)
        for c, n in zip(palette.RAG, (4, 3, 3), strict=True)
    )
    figures = ItemFigures(
        "kp", "1.1", "kp/1.1", "Question?", "partnership", "rag", 10, 10, 0, options
    )
    svg = percentage_bars(figures, "partnerships").svg.lower()
    for c in palette.RAG:
        assert c.fill in svg
    assert "<pattern" in svg  # red and amber keep their hatching


def test_spreadsheet_rating_cells_take_the_palette_fill_beside_the_word():
    from datetime import datetime

    from selfassess.documents.exports import ACTION_HEADER, AboutFile, to_xlsx

    rows = []
    for word in ("Red", "Amber", "Green", "Not rated"):
        row = [""] * len(ACTION_HEADER)
        row[ACTION_HEADER.index("Current rating")] = word
        rows.append(row)
    about = AboutFile("An action plan", "OFFICIAL-SENSITIVE", "None", datetime(2026, 12, 2))
    sheet = load_workbook(io.BytesIO(to_xlsx("Action plan", ACTION_HEADER, rows, about))).active
    column = ACTION_HEADER.index("Current rating") + 1
    cells = [sheet.cell(row=r, column=column) for r in range(2, 6)]
    assert [c.value for c in cells] == ["Red", "Amber", "Green", "Not rated"]
    fills = [c.fill.fgColor.rgb[-6:].lower() for c in cells[:3]]
    assert fills == [c.fill[1:] for c in palette.RAG]
    assert cells[3].fill.fill_type is None  # no rating, no colour
