"""Charts: deterministic SVG, words beside colours, the figures as a table, drawn once."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from selfassess.config import PROJECT_ROOT
from selfassess.documents import charts
from selfassess.domain.frameworks import load_library
from selfassess.domain.scoring import assess

KP = "iom-key-principles"


@pytest.fixture(scope="module")
def library():
    return load_library(PROJECT_ROOT / "questions")


def results(library, rows):
    kp = library.get(KP)
    return assess(library, [(kp.id, kp.version)], rows).framework(KP)


ROWS = [
    (KP, "1.1", "police", "red", 2),
    (KP, "1.2", "police", "green", 1),
    (KP, "1.2", "probation", "amber", 1),
    (KP, "2.1", "probation", "amber", 3),
]


def test_section_bars_count_items_by_rating_with_words(library):
    chart = charts.section_bars(results(library, ROWS))
    assert chart.svg.startswith("<svg")
    for word in ("Red", "Amber", "Green", "Not rated"):
        assert word in chart.svg  # legend words, kept as text
    assert chart.header == ["Principle", "Red", "Amber", "Green", "Not rated", "RAG"]
    first = chart.body[0]
    # 1.1 red (two reds), 1.2 amber (low median of amber and green); the rest not rated.
    assert first[:5] == [
        "Principle 1",
        "1",
        "1",
        "0",
        str(len(library.get(KP).sections[0].items) - 2),
    ]
    assert first[5] == "Red"


def test_svg_is_the_same_every_time(library):
    r = results(library, ROWS)
    assert charts.section_bars(r).svg == charts.section_bars(r).svg
    assert charts.agency_heatmap(r).svg == charts.agency_heatmap(r).svg


def test_heatmap_prints_each_agencys_mean(library):
    chart = charts.agency_heatmap(results(library, ROWS))
    assert chart.header[0] == "Agency"
    rows = {row[0]: row[1:] for row in chart.body}
    assert rows["Police"][0] == "1.67"  # (1 + 1 + 3) / 3
    assert rows["Police"][1] == "–"
    assert rows["Probation Service"][:2] == ["2.00", "2.00"]
    assert "1.67" in chart.svg


def test_no_ratings_still_draws(library):
    r = results(library, [])
    assert "No ratings yet" in charts.agency_heatmap(r).svg
    assert charts.section_bars(r).body[0][5] == "Not rated"


def test_change_chart_says_which_way(library):
    before = results(library, [(KP, "1.1", "police", "red", 1)])
    now = results(library, [(KP, "1.1", "police", "green", 1)])
    chart = charts.change_chart(now, before)
    assert chart.body[0] == ["Principle 1", "Red 1.00", "Green 3.00", "up 2.00"]
    assert chart.body[1][3] == "not rated"


def test_cache_draws_once_per_key():
    charts.clear_cache()
    drawn = []

    def draw():
        drawn.append(1)
        return charts.Chart("<svg/>", "c", [["h"]])

    assert charts.cached(("k", 1), draw) is charts.cached(("k", 1), draw)
    charts.cached(("k", 2), draw)
    assert len(drawn) == 2
    for n in range(charts.CACHE_SIZE + 5):
        charts.cached(("fill", n), draw)
    assert charts.cache_size() == charts.CACHE_SIZE


def test_drawing_leaves_matplotlib_as_it_found_it():
    # Other code in the process drawing with matplotlib gets matplotlib's own settings, and
    # no pyplot figure is left open: each chart is a Figure of its own, styled while drawn.
    script = """
import sys, matplotlib
def settings():  # reading "backend" would itself import pyplot to choose one
    return {k: matplotlib.rcParams[k] for k in matplotlib.rcParams if k != "backend"}
defaults = settings()
from selfassess.config import PROJECT_ROOT
from selfassess.documents import charts, national_charts
from selfassess.domain.frameworks import load_library
from selfassess.domain.scoring import assess
assert settings() == defaults, "changed on import"
library = load_library(PROJECT_ROOT / "questions")
kp = library.get("iom-key-principles")
result = assess(library, [(kp.id, kp.version)], []).framework(kp.id)
svg = charts.section_bars(result).svg
assert "<text" in svg and "font-size: 9px; font-family: 'DejaVu Sans'" in svg  # the style
assert settings() == defaults, "changed by drawing"
assert "matplotlib.pyplot" not in sys.modules
print("ok")
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.stdout.strip() == "ok", done.stderr


def test_charts_drawn_at_the_same_time_look_the_same(library):
    # A threaded server draws several people's charts at once; each must have the style.
    r = results(library, ROWS)
    expected = charts.section_bars(r).svg
    with ThreadPoolExecutor(max_workers=4) as pool:
        drawn = list(pool.map(lambda _: charts.section_bars(r).svg, range(8)))
    assert drawn == [expected] * 8
