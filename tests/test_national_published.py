"""Done when: returns generated to the published marginals of the 2013 survey (seed 001) and
the 2010/11 survey (seed 000), imported with the command line alone (create the collection,
load its expected partnerships, import the returns), give every figure the two publications
print, within rounding and with the published base: each answer's share, the figures combining
answers, and the 2011 to 2013 comparisons. The printed figures are in
tests/data/published-national-surveys.yaml."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from selfassess.cli import cli, register_commands

PUBLISHED = yaml.safe_load(
    (Path(__file__).parent / "data" / "published-national-surveys.yaml").read_text("utf-8")
)
SURVEYS = {
    "2011": ("survey-2011", "IOM survey 2010/11", "2010-12-01", "2011-01-31"),
    "2013": ("survey-2013", "IOM survey 2013", "2013-04-01", "2013-04-30"),
}


def run(runner, *args) -> str:
    result = runner.invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, (args, result.output)
    return result.output


@pytest.fixture
def reports(app, tmp_path):
    """Both collections made and filled from the command line; their JSON reports."""
    register_commands()
    runner = app.test_cli_runner()
    for year, (slug, title, opens, closes) in SURVEYS.items():
        folder = tmp_path / year
        run(runner, "demo", "published-returns", "--survey", year, "--dir", folder)
        framework = PUBLISHED[year]["framework"]
        run(runner, "national", "create-collection", "--slug", slug, "--title", title,
            "--framework", framework, "--opens", opens, "--closes", closes)  # fmt: skip
        run(runner, "national", "expected", "load", folder / "expected-partnerships.csv",
            "--collection", slug)  # fmt: skip
        out = run(runner, "national", "import", folder / "returns.csv", "--collection", slug)
        assert f"Imported {PUBLISHED[year]['returns']} return(s)" in out
    report = {
        year: json.loads(run(runner, "national", "report", "--collection", slug, "--detail"))
        for year, (slug, *_) in SURVEYS.items()
    }
    compared = json.loads(
        run(runner, "national", "report", "--collection", "survey-2013", "--compare", "survey-2011")
    )
    return report, compared["comparison"]


def _close(got: float | None, printed: float, tolerance: float) -> bool:
    return got is not None and abs(got - printed) <= tolerance


def test_published_figures_from_the_command_line_alone(reports):
    """One import of each survey (some seconds each), every check on it."""
    for year in ("2013", "2011"):
        check_printed_figures(reports[0][year], year)
    check_comparisons(reports[1])
    check_rules_kept(reports[0]["2013"])


def check_printed_figures(report: dict, year: str) -> None:
    published = PUBLISHED[year]
    assert report["returns"] == published["returns"]
    wrong = []
    for f in published["figures"]:
        tolerance = f.get("tolerance", 0.5)
        if "figure" in f:
            got = report["figures"][f["figure"]]
            count, base, percent = got["n"], got["base"], got["percent"]
        else:
            item = report["items"][f["item"]]
            option = item["options"][f["option"]]
            count, base, percent = option["count"], item["n"], option["percent"]
        if "percent" in f and not _close(percent, f["percent"], tolerance):
            wrong.append((f, percent))
        if "count" in f and count != f["count"]:
            wrong.append((f, count))
        if "base" in f and base != f["base"]:
            wrong.append((f, "base", base))
    assert not wrong, (year, wrong)
    if "under_half" in published:
        rule = published["under_half"]
        others = report["items"][rule["item"]]["options"]
        assert all(o["percent"] < 50 for k, o in others.items() if k not in rule["except"])


def check_comparisons(comparison: dict) -> None:
    by = {(f["item"], f["option"]): f for f in comparison["figures"]}
    wrong = []
    for c in PUBLISHED["comparisons"]:
        got = by[(c["item"], c["option"])]
        if "within" in c:
            if abs(got["change"]) > c["within"]:
                wrong.append((c, got["change"]))
            continue
        if not _close(got["earlier"]["percent"], c["earlier"], 0.5):
            wrong.append((c, "earlier", got["earlier"]))
        if not _close(got["later"]["percent"], c["later"], 0.5):
            wrong.append((c, "later", got["later"]))
        # The change is of the exact shares; the printed one of the rounded: within a point.
        printed = c.get("change", c["later"] - c["earlier"])
        if not _close(got["change"], printed, 1.0):
            wrong.append((c, "change", got["change"]))
    assert not wrong, wrong
    # None of them like for like, each saying why.
    assert all(not f["like_for_like"] and f["note"] for f in comparison["figures"])


def check_rules_kept(report: dict) -> None:
    """Every arrangement answered, and the combined figure over the item's own base."""
    assert report["items"]["q6"]["n"] == report["arrangements"] == 224
    assert report["figures"]["several_offender_types"]["base"] == report["items"]["q11"]["n"]
