"""Which partnerships and which option names a returns file may use, on plain data."""

from __future__ import annotations

import pytest

from selfassess.config import PROJECT_ROOT
from selfassess.domain.expected_partnerships import parse_expected
from selfassess.domain.frameworks import load_library
from selfassess.domain.returns_import import parse_returns

QUESTIONS = PROJECT_ROOT / "questions"
EXAMPLES = QUESTIONS / "examples"
CODES = {"E22EX001", "E22EX002", "E22EX003", "W22EX004"}


@pytest.fixture(scope="module")
def survey():
    return [load_library(QUESTIONS).get("national-survey-2013")]


def _parse(survey, text: str, **kwargs):
    return parse_returns("returns.csv", text.encode(), survey, CODES, **kwargs)


def test_the_example_lists_expect_every_partnership_of_the_example_returns(survey):
    rows, problems = parse_expected((EXAMPLES / "expected-partnerships-2013.csv").read_bytes())
    assert not problems
    content = (EXAMPLES / "returns-2013.csv").read_bytes()
    result = parse_returns(
        "returns-2013.csv", content, survey, CODES, expected_codes={r.code for r in rows}
    )
    assert result.ok, result.errors
    assert set(result.returns) == CODES


def test_a_partnership_not_expected_is_refused_once_on_its_first_row(survey):
    text = "partnership_code,arrangement,q1,q6\nE22EX001,,yes,\nE22EX001,1,,police\n"
    result = _parse(survey, text, expected_codes={"E22EX002"})
    assert [(p.row, p.column) for p in result.errors] == [(2, "partnership_code")]
    assert "E22EX001 is not expected to return to this collection" in result.errors[0].message
    assert "--add-expected" in result.errors[0].message
    assert _parse(survey, text, expected_codes={"E22EX002"}, add_expected=True).ok


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        ("probation", ["probation"]),
        ("PROBATION", ["probation"]),
        ("Probation service", ["probation"]),
        ("probation SERVICE ; Police", ["police", "probation"]),
        ("Voluntary, community and social enterprise sector (VCSE)", ["vcse"]),
    ],
)
def test_an_option_is_its_id_or_its_label_whatever_the_case(survey, cell, stored):
    text = f'partnership_code,arrangement,q1,q6\nE22EX001,,yes,\nE22EX001,1,,"{cell}"\n'
    result = _parse(survey, text)
    assert result.ok, result.errors
    assert result.returns["E22EX001"].arrangements[1][("national-survey-2013", "q6")] == stored


@pytest.mark.parametrize("cell", ["Probation services", "probatio", "Probation;;X"])
def test_near_misses_are_refused_with_the_allowed_values(survey, cell):
    text = f"partnership_code,arrangement,q1,q6\nE22EX001,,yes,\nE22EX001,1,,{cell}\n"
    result = _parse(survey, text)
    assert [(p.row, p.column) for p in result.errors] == [(3, "q6")]
    assert "use one of police; probation (Probation service); local_authority" in (
        result.errors[0].message
    )


def test_semicolon_separated_headings_get_a_hint(survey):
    result = _parse(survey, "partnership_code;q1\nE22EX001;yes\n")
    assert [(p.row, p.column) for p in result.errors] == [(1, "partnership_code")]
    assert "separated by semicolons (;), not commas" in result.errors[0].message
