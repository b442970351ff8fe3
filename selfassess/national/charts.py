"""Charts of the national picture like the published ones: horizontal bars of percentages, with n.

Uses the report charts' style (``selfassess.charts``: matplotlib Agg, SVG text, GOV.UK colours)
and returns the same ``Chart`` (SVG, caption, data rows), so every chart has its data table.
"""

from __future__ import annotations

import io

import matplotlib.pyplot as plt

from selfassess.charts import Chart, cached
from selfassess.domain.national_figures import ItemFigures, SectionFigures

BAR_COLOUR = "#1d70b8"  # GOV.UK blue
RAG_COLOURS = {"red": "#d4351c", "amber": "#f47738", "green": "#00703c"}


def _svg(fig) -> str:
    out = io.StringIO()
    fig.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = out.getvalue()
    return text[text.index("<svg") :]


def _rows(figures: ItemFigures | SectionFigures) -> list[list[str]]:
    rows = [["Answer", "Number", "Percentage"]]
    for o in figures.options:
        if o.suppressed:
            rows.append([o.label, "fewer than 3 returns", ""])
        else:
            rows.append([o.label, str(o.count), "" if o.percent is None else f"{o.percent:.1f}%"])
    return rows


def percentage_bars(figures: ItemFigures | SectionFigures, unit_word: str) -> Chart:
    """One horizontal bar per answer: its percentage of the n that answered."""
    key = (
        "national",
        getattr(figures, "key", getattr(figures, "section_id", "")),
        figures.n,
        tuple((o.id, o.count) for o in figures.options),
    )

    def draw() -> Chart:
        options = [o for o in figures.options if not o.suppressed]
        labels = [o.label if len(o.label) <= 45 else o.label[:42] + "..." for o in options]
        values = [o.percent or 0 for o in options]
        colours = [RAG_COLOURS.get(o.id, BAR_COLOUR) for o in options]
        fig, ax = plt.subplots(figsize=(6.5, 0.35 * max(len(options), 2) + 0.8))
        positions = list(range(len(options)))[::-1]
        ax.barh(positions, values, color=colours)
        ax.set_yticks(positions, labels)
        ax.set_xlim(0, 100)
        ax.set_xlabel(f"Percentage of {unit_word} (n = {figures.n})")
        for y, value in zip(positions, values, strict=True):
            ax.text(value + 1, y, f"{value:.0f}%", va="center")
        caption = f"Percentage of {unit_word} giving each answer (n = {figures.n})."
        return Chart(_svg(fig), caption, _rows(figures))

    return cached(key, draw)
