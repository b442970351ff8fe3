"""Charts for the report page and the PDF report: matplotlib figures, SVG text, with their data.

Every chart function returns a ``Chart``: the SVG as a string, a one-sentence caption and the
data as table rows (the first row is the header), so pages and documents show the figures as
a table beside the picture: a chart is never the only way to read them. RAG bars carry their
word in the legend and a hatch per level, so the picture does not rely on colour alone.

Drawing is slow (tens of milliseconds), so ``cached`` keeps recent charts keyed by the
assessment's state (see ``selfassess.queries.reports``): in a small in-process LRU, or in Redis
shared by every app server when one is configured (``selfassess.documents.shared_cache``).
SVG output is deterministic: fixed hash salt, fixed font, no date in the metadata.

Each chart is its own ``Figure`` (no pyplot, whose figures are global state shared by the
server's threads), drawn inside ``drawing()``, which applies STYLE for that chart only.
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import NamedTuple

import matplotlib
from flask import current_app, has_app_context
from flask_babel import gettext as _
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from selfassess.documents.language import current_language, local
from selfassess.documents.shared_cache import Kept
from selfassess.domain import palette
from selfassess.domain.frameworks import Framework
from selfassess.domain.reference import agency_name
from selfassess.domain.scoring import FrameworkResult, SectionResult

# Every chart's style, report and national alike.
STYLE = {
    "svg.hashsalt": "selfassess",
    "svg.fonttype": "none",  # text stays text: searchable, and read aloud
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
# The SVG settings are read only from matplotlib's settings, while the figure is saved, and
# rc_context sets them process-wide for its duration: one chart is drawn at a time, so two
# threads never see each other's (or no) style. Drawing holds the GIL anyway.
_drawing_lock = threading.RLock()


@contextmanager
def drawing() -> Iterator[None]:
    """Draw and save a chart inside this (or decorate its function with ``@drawing()``):
    STYLE applies to it, and nothing stays changed."""
    with _drawing_lock, matplotlib.rc_context(STYLE):
        yield


# The RAG palette's colours; each level also has its own hatch and always its word.
LEVELS = tuple((c.id, c.word, c.fill, c.hatch) for c in palette.LEVELS)
TEXT_ON = {c.id: c.text for c in palette.LEVELS}
# The heatmap's colours run through the same red, amber and green.
RAG_MAP = LinearSegmentedColormap.from_list("rag", [c.fill for c in palette.RAG])
PREVIOUS_COLOUR = palette.NOT_RATED.fill  # last cycle's bars: grey, hatched
NOW_COLOUR = "#1d70b8"  # GOV.UK blue: this cycle's bars, not a rating
CACHE_SIZE = 64


class Chart(NamedTuple):
    svg: str
    caption: str
    rows: list[list[str]]  # rows[0] is the header

    @property
    def header(self) -> list[str]:
        return self.rows[0] if self.rows else []

    @property
    def body(self) -> list[list[str]]:
        return self.rows[1:]


# --- cache -------------------------------------------------------------------------------


def encode_chart(chart: Chart | None) -> bytes:
    return json.dumps(None if chart is None else chart._asdict()).encode("utf-8")


def decode_chart(data: bytes) -> Chart | None:
    fields = json.loads(data)
    return None if fields is None else Chart(**fields)


_kept: Kept[Chart] = Kept("report-chart", CACHE_SIZE, encode_chart, decode_chart)


def cached(key: Hashable, draw: Callable[[], Chart]) -> Chart:
    """The chart for key, drawn once: kept in this process among the CACHE_SIZE most recent,
    or in Redis for every app server when one is configured (``shared_cache``)."""
    return _kept.get_or_make(key, draw)


def clear_cache() -> None:
    _kept.clear()


def cache_size() -> int:
    return len(_kept)


# --- helpers -----------------------------------------------------------------------------


def _svg(fig: Figure) -> str:
    out = io.StringIO()
    fig.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = out.getvalue()
    # Drop the XML prologue and doctype: the SVG is placed inside an HTML page.
    return text[text.index("<svg") :]


def text_colour_on(rgba) -> str:
    """Black or white, whichever contrasts more with the fill (WCAG relative luminance)."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgba[:3])
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "black" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "white"


def language_key() -> str:
    """What a cached chart's words depend on: the language it is drawn in (a chart's labels,
    legend, caption and table are in the reader's language)."""
    if has_app_context() and current_app.config.get("PSEUDO_LOCALE"):
        return "pseudo"
    return current_language()


def _t(text: str) -> str:
    """A framework text (a label, a section's name) in the language being drawn in."""
    return str(local(text)) if has_app_context() and text else text


def _word(text: str) -> str:
    """A rating's word: the framework's own (scale labels), else the catalogue's."""
    translated = _t(text)
    return _(text) if translated == text else translated


def _short(section: SectionResult, framework: Framework | None = None) -> str:
    if framework is not None and language_key() != "pseudo":
        number = framework.section_number(section.id, current_language())
        if number:
            return number
    return _t(section.name).replace('"', "")


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


# --- stacked RAG bars per section ----------------------------------------------------------


@drawing()
def section_bars(result: FrameworkResult) -> Chart:
    """How many items in each section are rated red, amber, green or not rated."""
    fw = result.framework
    sections = result.sections
    counts = {
        value: [
            sum(1 for i in s.items if i.rating_score is not None and i.rating == value)
            for s in sections
        ]
        for value, *_ in LEVELS
        if value is not None
    }
    counts[None] = [sum(1 for i in s.items if i.rating_score is None) for s in sections]

    labels = [_short(s, fw) for s in sections]
    fig = Figure(figsize=(7.5, 0.45 * len(sections) + 1.4))
    ax = fig.subplots()
    left = [0] * len(sections)
    for value, label, colour, hatch in LEVELS:
        widths = counts[value]
        bars = ax.barh(
            labels,
            widths,
            left=left,
            color=colour,
            hatch=hatch,
            edgecolor=palette.EDGE,
            hatchcolor=TEXT_ON[value],  # the pattern as plain as the words on the fill
            linewidth=0.5,
            label=_word(label),
        )
        for bar, width in zip(bars, widths, strict=True):
            if width:
                ax.text(
                    bar.get_x() + bar.get_width() / 2,
                    bar.get_y() + bar.get_height() / 2,
                    str(width),
                    ha="center",
                    va="center",
                    color=TEXT_ON[value],
                    fontweight="bold",
                    bbox={"boxstyle": "round,pad=0.15", "fc": colour, "ec": "none"},
                )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.invert_yaxis()
    ax.set_xlabel(_("Number of %(items)s", items=_t(fw.item_label_plural).lower()))
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12 - 0.5 / max(len(sections), 1)),
        ncol=4,
        frameon=False,
    )
    svg = _svg(fig)

    caption = _(
        "%(framework)s: %(items)s in each %(section)s by rating "
        "(agreed where agreed, otherwise provisional).",
        framework=_t(fw.name),
        items=_t(fw.item_label_plural).lower(),
        section=_t(fw.section_label).lower(),
    )
    rows = [
        [
            _t(fw.section_label),
            _word("Red"),
            _word("Amber"),
            _word("Green"),
            _("Not rated"),
            _("RAG"),
        ]
    ]
    for n, s in enumerate(sections):
        rows.append(
            [
                _short(s, fw),
                *(str(counts[v][n]) for v in ("red", "amber", "green", None)),
                _word(s.rag_label) if s.rag_label else _("Not rated"),
            ]
        )
    return Chart(svg, caption, rows)


# --- agencies x sections heatmap -----------------------------------------------------------


def agency_means(
    framework: Framework, result: FrameworkResult
) -> tuple[list[str], list[list[float | None]]]:
    """Each agency's mean score per section, over all its scored votes on the section's items."""
    scores = {v.id: v.score for v in framework.scale if v.score is not None}
    agencies: list[str] = []
    for item in result.items:
        for agency in item.by_agency:
            if agency not in agencies:
                agencies.append(agency)
    from selfassess.domain.scoring import _agency_order  # the one agency order everywhere

    agencies.sort(key=_agency_order)
    grid: list[list[float | None]] = []
    for agency in agencies:
        row: list[float | None] = []
        for section in result.sections:
            total = count = 0
            for item in section.items:
                for value, n in item.by_agency.get(agency, {}).items():
                    if value in scores:
                        total += scores[value] * n
                        count += n
            row.append(round(total / count, 2) if count else None)
        grid.append(row)
    return agencies, grid


@drawing()
def agency_heatmap(result: FrameworkResult) -> Chart:
    """Agencies down the side, sections across, each cell the agency's mean score printed."""
    fw = result.framework
    agencies, grid = agency_means(fw, result)
    sections = [s.id for s in result.sections]
    levels = sorted(v.score for v in fw.scale if v.score is not None)
    low, high = (levels[0], levels[-1]) if levels else (1, 3)

    fig = Figure(figsize=(max(4.0, 0.55 * len(sections) + 2.6), 0.4 * max(len(agencies), 1) + 1.3))
    ax = fig.subplots()
    if agencies:
        data = [[float("nan") if v is None else v for v in row] for row in grid]
        image = ax.imshow(data, cmap=RAG_MAP, vmin=low, vmax=high, aspect="auto")
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                ax.text(
                    c,
                    r,
                    "–" if value is None else f"{value:.2f}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="black"
                    if value is None
                    else text_colour_on(image.cmap(image.norm(value))),
                )
        bar = fig.colorbar(image, ax=ax, shrink=0.8)
        bar.set_label(_("Mean score (1 red, 2 amber, 3 green)"))
        ax.set_yticks(range(len(agencies)), [_(agency_name(a)) for a in agencies])
    else:
        ax.text(0.5, 0.5, _("No ratings yet"), ha="center", va="center", transform=ax.transAxes)
        ax.set_yticks([])
    ax.set_xticks(range(len(sections)), sections)
    ax.set_xlabel(_t(fw.section_label))
    ax.spines[:].set_visible(False)
    svg = _svg(fig)

    caption = _(
        "%(framework)s: each agency's mean score per %(section)s "
        "(red 1, amber 2, green 3; don't know and not applicable left out).",
        framework=_t(fw.name),
        section=_t(fw.section_label).lower(),
    )
    if language_key() == "pseudo":
        names = [_short(s) for s in result.sections]
    else:
        names = [fw.section_short_name(s, current_language()) for s in sections]
    rows = [[_("Agency"), *names]]
    for agency, row in zip(agencies, grid, strict=True):
        rows.append([_(agency_name(agency)), *["–" if v is None else f"{v:.2f}" for v in row]])
    return Chart(svg, caption, rows)


# --- change since the previous assessment --------------------------------------------------


@drawing()
def change_chart(result: FrameworkResult, previous: FrameworkResult) -> Chart:
    """Each section's mean score last cycle and now, side by side, with the RAG words."""
    fw = result.framework
    before = {s.id: s for s in previous.sections}
    sections = list(result.sections)
    labels = [_short(s, fw) for s in sections]
    then = [before[s.id].score if s.id in before else None for s in sections]
    now = [s.score for s in sections]

    fig = Figure(figsize=(7.5, 0.5 * len(sections) + 1.4))
    ax = fig.subplots()
    ys = range(len(sections))
    ax.barh(
        [y - 0.2 for y in ys],
        [v or 0 for v in then],
        height=0.38,
        color=PREVIOUS_COLOUR,
        hatch="////",
        edgecolor="white",
        label=_("Previous assessment"),
    )
    ax.barh(
        [y + 0.2 for y in ys],
        [v or 0 for v in now],
        height=0.38,
        color=NOW_COLOUR,
        edgecolor="white",
        label=_("This assessment"),
    )
    for y, a, b in zip(ys, then, now, strict=True):
        ax.text((a or 0) + 0.03, y - 0.2, _score(a) or _("not rated"), va="center", fontsize=8)
        ax.text((b or 0) + 0.03, y + 0.2, _score(b) or _("not rated"), va="center", fontsize=8)
    ax.set_yticks(list(ys), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 3.6)
    ax.set_xlabel(_("Mean score (1 red, 2 amber, 3 green)"))
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12 - 0.5 / max(len(sections), 1)),
        ncol=2,
        frameon=False,
    )
    svg = _svg(fig)

    caption = _(
        "%(framework)s: each %(section)s's mean score last cycle and now.",
        framework=_t(fw.name),
        section=_t(fw.section_label).lower(),
    )
    rows = [[_t(fw.section_label), _("Previous"), _("Now"), _("Change")]]
    for s, a, b in zip(sections, then, now, strict=True):
        old = before.get(s.id)
        rows.append(
            [
                _short(s, fw),
                f"{_word(old.rag_label)} {_score(a)}" if old and old.rag else _("Not rated"),
                f"{_word(s.rag_label)} {_score(b)}" if s.rag else _("Not rated"),
                change_words(a, b),
            ]
        )
    return Chart(svg, caption, rows)


def change_words(before: float | None, now: float | None) -> str:
    """A change in mean score in words: "up 0.50", "down 0.25", "no change", "new"."""
    if before is None and now is None:
        return _("not rated")
    if before is None:
        return _("newly rated")
    if now is None:
        return _("no longer rated")
    diff = round(now - before, 2)
    if diff > 0:
        return _("up %(change)s", change=format(diff, ".2f"))
    if diff < 0:
        return _("down %(change)s", change=format(-diff, ".2f"))
    return _("no change")
