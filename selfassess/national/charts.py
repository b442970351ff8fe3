"""Charts of the national picture like the published ones: horizontal bars of percentages, with n.

Returns the report charts' ``Chart`` (SVG, caption, data rows), so every chart has its data
table, in their style (SVG text in DejaVu Sans 9 pt, no top or right spine, GOV.UK colours).

The SVG is written here rather than by matplotlib: a national picture has a chart per question
and section (53 at national scale) and matplotlib took about 100 ms each, so a worker's first
page took 5 s alone and 25-30 s with four analysts at once (bench/notes.md). Only the text
widths come from the font, through matplotlib's FreeType, so labels never overlap the bars.
The charts of a whole picture are also kept per picture (``picture_charts``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from functools import lru_cache
from xml.sax.saxutils import escape

from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.ft2font import LoadFlags

from selfassess.charts import Chart
from selfassess.domain.national_figures import ItemFigures, NationalPicture, SectionFigures

BAR_COLOUR = "#1d70b8"  # GOV.UK blue
RAG_COLOURS = {"red": "#d4351c", "amber": "#f47738", "green": "#00703c"}
FONT = "DejaVu Sans"
SIZE = 9.0  # points; the SVG's user unit is the point, as matplotlib's is
WIDTH = 468.0  # 6.5 in
ROW = 25.2  # 0.35 in per answer
BAR = 0.8 * ROW
TICK = 3.5
_font_lock = threading.Lock()


@lru_cache(maxsize=4096)
def text_width(text: str, size: float = SIZE) -> float:
    """Width in points of text set in FONT at size (FreeType metrics, no hinting)."""
    font = get_font(findfont(FontProperties(family=FONT)))
    with _font_lock:  # the font object is shared: size and text are set, then read
        font.set_size(size, 72)
        font.set_text(text, 0.0, flags=LoadFlags.NO_HINTING)
        return font.get_width_height()[0] / 64


def _rows(figures: ItemFigures | SectionFigures) -> list[list[str]]:
    rows = [["Answer", "Number", "Percentage"]]
    for o in figures.options:
        if o.suppressed:
            rows.append([o.label, "fewer than 3 returns", ""])
        else:
            rows.append([o.label, str(o.count), "" if o.percent is None else f"{o.percent:.1f}%"])
    return rows


def _text(x: float, y: float, text: str, anchor: str = "start", size: float = SIZE) -> str:
    return (
        f'<text x="{x:.2f}" y="{y:.2f}" text-anchor="{anchor}" '
        f"style=\"font: {size:g}px '{FONT}'\">{escape(text)}</text>"
    )


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return (
        f'<line x1="{x1:.2f}" y1="{y1:.2f}" x2="{x2:.2f}" y2="{y2:.2f}" '
        'stroke="#000000" stroke-width="0.8"/>'
    )


def percentage_bars(figures: ItemFigures | SectionFigures, unit_word: str) -> Chart:
    """One horizontal bar per answer: its percentage of the n that answered."""
    options = [o for o in figures.options if not o.suppressed]
    labels = [o.label if len(o.label) <= 45 else o.label[:42] + "..." for o in options]
    values = [o.percent or 0 for o in options]
    xlabel = f"Percentage of {unit_word} (n = {figures.n})"
    rows = max(len(options), 2)
    left = 6 + max((text_width(label) for label in labels), default=0) + TICK + 4
    right = WIDTH - 6 - text_width("100%") - 4  # room for a full bar's figure
    top, plot_height = 6.0, rows * ROW
    bottom = top + plot_height
    height = bottom + TICK + 4 + SIZE + 6 + SIZE + 6

    def x(value: float) -> float:
        return left + (right - left) * min(max(value, 0), 100) / 100

    parts = []
    for i, (option, label, value) in enumerate(zip(options, labels, values, strict=True)):
        centre = top + (i + 0.5) * ROW
        colour = RAG_COLOURS.get(option.id, BAR_COLOUR)
        parts.append(
            f'<rect x="{left:.2f}" y="{centre - BAR / 2:.2f}" width="{x(value) - left:.2f}" '
            f'height="{BAR:.2f}" fill="{colour}"/>'
        )
        baseline = centre + 0.35 * SIZE
        parts.append(_line(left - TICK, centre, left, centre))
        parts.append(_text(left - TICK - 3.5, baseline, label, "end"))
        parts.append(_text(x(value) + 3, baseline, f"{value:.0f}%"))
    parts.append(_line(left, top, left, bottom))
    parts.append(_line(left, bottom, right, bottom))
    for tick in range(0, 101, 20):
        parts.append(_line(x(tick), bottom, x(tick), bottom + TICK))
        parts.append(_text(x(tick), bottom + TICK + 3.5 + SIZE, str(tick), "middle"))
    parts.append(_text((left + right) / 2, height - 6, xlabel, "middle"))
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH:g}pt" height="{height:.2f}pt" '
        f'viewBox="0 0 {WIDTH:g} {height:.2f}" version="1.1">' + "".join(parts) + "</svg>"
    )
    caption = f"Percentage of {unit_word} giving each answer (n = {figures.n})."
    return Chart(svg, caption, _rows(figures))


def _chart(figures: ItemFigures | SectionFigures, unit_word: str) -> Chart | None:
    if figures.suppressed or not figures.n:
        return None
    return percentage_bars(figures, unit_word)


def _unit_word(figures: ItemFigures) -> str:
    return "arrangements" if figures.unit == "arrangement" else "partnerships"


def _drawn(figures: ItemFigures | SectionFigures) -> tuple:
    """Everything a chart shows: two pictures with the same of these have the same charts."""
    return (
        figures.n,
        getattr(figures, "unit", None),
        figures.suppressed,
        tuple((o.id, o.label, o.count, o.percent, o.suppressed) for o in figures.options),
    )


# --- the charts of a whole picture, kept per picture ----------------------------------------

PICTURES_KEPT = 24  # the national picture and its regions, for a few collections
_pictures: OrderedDict[Hashable, dict] = OrderedDict()
_lock = threading.Lock()


def picture_charts(scope: Hashable, picture: NationalPicture) -> dict[tuple, Chart | None]:
    """Every chart of a picture: ``("item", key)`` and ``("section", framework, section)``.

    Kept per scope (say, the collection and region) and what the charts show, so the same
    figures are drawn once per worker, and a new or replaced return that changes any figure
    draws them again. None where nothing can be drawn (no answers, or suppressed).
    """
    key = (
        scope,
        tuple((k, _drawn(f)) for k, f in picture.items.items()),
        tuple(
            (fid, sid, _drawn(s))
            for fid, by_id in picture.sections.items()
            for sid, s in by_id.items()
        ),
    )
    with _lock:
        if key in _pictures:
            _pictures.move_to_end(key)
            return _pictures[key]
    charts: dict[tuple, Chart | None] = {
        ("item", k): _chart(f, _unit_word(f)) for k, f in picture.items.items()
    }
    for fid, by_id in picture.sections.items():
        for sid, s in by_id.items():
            charts[("section", fid, sid)] = _chart(s, "partnerships")
    with _lock:
        _pictures[key] = charts
        while len(_pictures) > PICTURES_KEPT:
            _pictures.popitem(last=False)
    return charts


def clear_cache() -> None:
    with _lock:
        _pictures.clear()
