"""Charts of the national picture like the published ones: horizontal bars of percentages, with n.

Drawn with matplotlib in the report charts' style (``selfassess.documents.charts``: one
``Figure`` each, STYLE applied while drawing, SVG text, GOV.UK colours) and returned as the
same ``Chart`` (SVG, caption, data rows), so every chart has its data table.

A national picture has a chart per question and section (53 at national scale). Two things keep
that affordable (bench/notes.md): the margins are set from the labels' measured widths, so each
chart is drawn once (a tight bounding box draws it twice), and the charts of a whole picture are
kept per picture (``picture_charts``), so a worker draws them once per state of the collection.
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Hashable
from functools import lru_cache

from flask import current_app
from flask_babel import gettext
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.ft2font import LoadFlags

from selfassess.documents.charts import Chart, drawing
from selfassess.documents.language import LANGUAGES, current_language, local, use_language
from selfassess.documents.picture_rows import national_picture
from selfassess.documents.shared_cache import Kept
from selfassess.domain import palette
from selfassess.domain.national_figures import ItemFigures, NationalPicture, SectionFigures
from selfassess.extensions import db
from selfassess.models import Collection

BAR_COLOUR = "#1d70b8"  # GOV.UK blue, for answers that are not a rating
RAG_COLOURS = {c.id: c.fill for c in palette.RAG}  # the one RAG palette
RAG_HATCHES = {c.id: c.hatch for c in palette.RAG}
FONT = "DejaVu Sans"
SIZE = 9.0  # points, the font size of selfassess.documents.charts.STYLE
WIDTH = 6.5  # inches
ROW = 0.35  # inches per answer
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
    rows = [[gettext("Answer"), gettext("Number"), gettext("Percentage")]]
    for o in figures.options:
        label = local(o.label)
        if o.suppressed:
            rows.append([label, gettext("fewer than %(threshold)s returns", threshold=3), ""])
        else:
            rows.append([label, str(o.count), "" if o.percent is None else f"{o.percent:.1f}%"])
    return rows


def _words(figures: ItemFigures | SectionFigures, unit_word: str) -> tuple[str, str]:
    """The chart's axis title and caption, in the reader's language."""
    if unit_word == "arrangements":
        return (
            gettext("Percentage of arrangements (n = %(n)s)", n=figures.n),
            gettext("Percentage of arrangements giving each answer (n = %(n)s).", n=figures.n),
        )
    return (
        gettext("Percentage of partnerships (n = %(n)s)", n=figures.n),
        gettext("Percentage of partnerships giving each answer (n = %(n)s).", n=figures.n),
    )


@drawing()
def percentage_bars(figures: ItemFigures | SectionFigures, unit_word: str) -> Chart:
    """One horizontal bar per answer: its percentage of the n that answered."""
    options = [o for o in figures.options if not o.suppressed]
    shown = [str(local(o.label)) for o in options]  # in the reader's language
    labels = [label if len(label) <= 45 else label[:42] + "..." for label in shown]
    values = [o.percent or 0 for o in options]
    colours = [RAG_COLOURS.get(o.id, BAR_COLOUR) for o in options]
    height = ROW * max(len(options), 2) + 0.8
    fig = Figure(figsize=(WIDTH, height))
    # Margins from the measured labels (points -> fraction of the figure), so no second
    # layout pass is needed: room for the longest answer on the left, "100%" on the right.
    left = (8 + max((text_width(label) for label in labels), default=0)) / (WIDTH * 72)
    right = 1 - (6 + text_width("100%")) / (WIDTH * 72)
    fig.subplots_adjust(left=left, right=right, top=1 - 0.08 / height, bottom=0.6 / height)
    ax = fig.add_subplot()
    positions = list(range(len(options)))[::-1]
    hatches = [RAG_HATCHES.get(o.id, "") for o in options]
    bars = ax.barh(
        positions, values, color=colours, hatch=hatches, edgecolor=palette.EDGE, linewidth=0.5
    )
    for bar, option in zip(bars, options, strict=True):
        bar.set_hatchcolor(palette.rag_colour(option.id).text)
    ax.set_yticks(positions, labels)
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, max(len(options), 2) - 0.4)
    axis_title, caption = _words(figures, unit_word)
    ax.set_xlabel(axis_title)
    for y, value in zip(positions, values, strict=True):
        ax.text(value + 1, y, f"{value:.0f}%", va="center")
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    svg = out.getvalue()
    return Chart(svg[svg.index("<svg") :], caption, _rows(figures))


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
Charts = dict[tuple, Chart | None]


def _encode(charts: Charts) -> bytes:
    return json.dumps(
        [[list(key), None if c is None else c._asdict()] for key, c in charts.items()]
    ).encode("utf-8")


def _as_key(value):
    # JSON keeps tuples as lists; the keys were tuples of strings and tuples.
    return tuple(_as_key(v) for v in value) if isinstance(value, list) else value


def _decode(data: bytes) -> Charts:
    return {_as_key(key): None if c is None else Chart(**c) for key, c in json.loads(data)}


_pictures: Kept[Charts] = Kept("national-charts", PICTURES_KEPT, _encode, _decode)


def _picture_key(scope: Hashable, picture: NationalPicture) -> tuple:
    """The scope and everything the picture's charts show."""
    return (
        scope,
        tuple((k, _drawn(f)) for k, f in picture.items.items()),
        tuple(
            (fid, sid, _drawn(s))
            for fid, by_id in picture.sections.items()
            for sid, s in by_id.items()
        ),
    )


def picture_charts(scope: Hashable, picture: NationalPicture) -> Charts:
    """Every chart of a picture: ``("item", key)`` and ``("section", framework, section)``.

    Kept per scope (say, the collection and region) and what the charts show, so the same
    figures are drawn once (per worker, or once for every app server when Redis is
    configured), and a new or replaced return that changes any figure draws them again. None
    where nothing can be drawn (no answers, or suppressed).
    """

    def draw() -> Charts:
        charts: Charts = {("item", k): _chart(f, _unit_word(f)) for k, f in picture.items.items()}
        for fid, by_id in picture.sections.items():
            for sid, s in by_id.items():
                charts[("section", fid, sid)] = _chart(s, "partnerships")
        return charts

    # The charts speak the reader's language: each language's are kept apart.
    language = (current_language(), bool(current_app.config.get("PSEUDO_LOCALE")))
    return _pictures.get_or_make(_picture_key((scope, language), picture), draw)


def clear_cache() -> None:
    _pictures.clear()


def draw_picture_charts_for(collection_id: int) -> None:
    """Draw the England and Wales picture's charts of a collection into the chart cache, so
    the first analyst to open the picture after its returns changed does not wait for them
    (a background job, started when returns are stored), in English and in Welsh."""
    collection = db.session.get(Collection, collection_id)
    if collection is None:
        return
    picture = national_picture(collection, region=None)
    for language in LANGUAGES:  # English first: most analysts read it
        with use_language(language):
            picture_charts((collection.id, None), picture)
