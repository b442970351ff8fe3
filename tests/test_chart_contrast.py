"""Numbers printed on chart fills stay readable: at least 4.5:1 (WCAG 2.2 AA, 1.4.3)."""

from __future__ import annotations

import pytest
from matplotlib.colors import to_rgba

from selfassess.documents.charts import LEVELS, RAG_MAP, TEXT_ON, text_colour_on


def luminance(colour) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in to_rgba(colour)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("step", range(101))
def test_heatmap_numbers_contrast_with_every_cell_colour(step):
    fill = RAG_MAP(step / 100)
    assert contrast(text_colour_on(fill), fill) >= 4.5


@pytest.mark.parametrize(("value", "label", "colour", "hatch"), LEVELS)
def test_section_bar_counts_contrast_with_their_bar(value, label, colour, hatch):
    assert contrast(TEXT_ON[value], colour) >= 4.5, label  # as section_bars prints them
