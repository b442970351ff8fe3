"""Formula injection: exported text that starts like a formula is shown as text."""

from datetime import date

import pytest

from selfassess.domain.spreadsheet_safety import safe_cell, safe_row


@pytest.mark.parametrize(
    "text",
    ["=SUM(A1:A2)", "+1+1", "-2+3", "@cmd", "\t=1", '=HYPERLINK("http://x","y")'],
)
def test_formula_like_text_is_neutralised(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Board minutes", "", "a=b", " =1", "1-2", None, 3, 2.5])
def test_other_values_pass_through(value):
    assert safe_cell(value) == value


def test_dates_and_numbers_untouched_in_a_row():
    day = date(2026, 4, 1)
    assert safe_row([day, -5, "-5", "ok"]) == [day, -5, "'-5", "ok"]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("x;=1+1;y", "x;'=1+1;y"),
        ('a";=HYPERLINK("http://x");"b', 'a";\'=HYPERLINK("http://x");"b'),
        ('x; "=1+1"', 'x;\' "=1+1"'),
        (
            "Actions:\n- weekly tasking\r\n+ data sharing",
            "Actions:\n'- weekly tasking\r\n'+ data sharing",
        ),
        ("\r=1", "'\r'=1"),
    ],
)
def test_a_formula_where_a_semicolon_reader_starts_a_cell_is_neutralised(text, written):
    """Where ";" is the list separator a reader splits our lines at every ";" and line break."""
    assert safe_cell(text) == written


@pytest.mark.parametrize("text", ["police;probation", "a;b c", "Line one\nLine two", "1;2"])
def test_semicolons_and_line_breaks_before_plain_text_pass_through(text):
    assert safe_cell(text) == text
