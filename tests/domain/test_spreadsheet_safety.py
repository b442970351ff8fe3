"""Formula injection: exported text that starts like a formula is shown as text."""

from datetime import date

import pytest

from selfassess.domain.spreadsheet_safety import safe_cell, safe_row


@pytest.mark.parametrize(
    "text",
    ["=SUM(A1:A2)", "+1+1", "-2+3", "@cmd", "\t=1", "\r=1", '=HYPERLINK("http://x","y")'],
)
def test_formula_like_text_is_neutralised(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Board minutes", "", "a=b", " =1", "1-2", None, 3, 2.5])
def test_other_values_pass_through(value):
    assert safe_cell(value) == value


def test_dates_and_numbers_untouched_in_a_row():
    day = date(2026, 4, 1)
    assert safe_row([day, -5, "-5", "ok"]) == [day, -5, "'-5", "ok"]
