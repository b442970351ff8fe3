"""Importing returns from files, on plain data: CSV, XLSX (made here with openpyxl) and JSON."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import Workbook

from selfassess.config import PROJECT_ROOT
from selfassess.domain.frameworks import load_library
from selfassess.domain.returns_import import (
    ImportedReturn,
    parse_returns,
    returns_to_rows,
    rows_to_csv,
    rows_to_xlsx,
)

QUESTIONS = PROJECT_ROOT / "questions"
EXAMPLE = QUESTIONS / "examples" / "returns-2013.csv"
S13 = "national-survey-2013"
KP = "iom-key-principles"
CODES = {"E22EX001", "E22EX002", "E22EX003", "W22EX004"}


@pytest.fixture(scope="module")
def library():
    return load_library(QUESTIONS)


@pytest.fixture(scope="module")
def survey(library):
    return [library.get(S13)]


@pytest.fixture(scope="module")
def collection(library):
    """A collection of the 2013 survey and the Key Principles (for rated items)."""
    return [library.get(S13), library.get(KP)]


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append([None if cell == "" else cell for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def where(result) -> list[tuple[int | None, str | None]]:
    return [(e.row, e.column) for e in result.errors]


# --- the example file ---------------------------------------------------------------------------


def test_example_file_parses_cleanly(survey):
    result = parse_returns(EXAMPLE.name, EXAMPLE.read_bytes(), survey, CODES, set(), False)
    assert result.errors == [] and result.ok
    assert set(result.returns) == CODES
    counts = {code: r.arrangement_count for code, r in result.returns.items()}
    assert counts == {"E22EX001": 1, "E22EX002": 2, "E22EX003": 0, "W22EX004": 1}
    two = result.returns["E22EX002"]
    assert two.answers[(S13, "q4")] == ["several"]
    assert two.arrangements[2][(S13, "q6")] == ["police", "probation", "vcse"]
    assert result.returns["E22EX003"].answers == {
        (S13, "q1"): ["no"],
        (S13, "q2"): ["planning_ongoing"],
    }
    assert two.rows == [4, 5, 6]


def test_example_round_trips_through_the_writer(survey):
    first = parse_returns("a.csv", EXAMPLE.read_bytes(), survey, CODES, set())
    rows = returns_to_rows(survey, first.returns)
    written = csv.reader(io.StringIO(rows_to_csv(rows)))
    assert list(written) == list(csv.reader(io.StringIO(EXAMPLE.read_text(encoding="utf-8"))))
    again = parse_returns("b.xlsx", rows_to_xlsx(rows), survey, CODES, set())
    assert again.errors == []
    assert again.returns == {
        code: ImportedReturn(code, r.answers, r.arrangements, r.rows)
        for code, r in first.returns.items()
    }


def test_answer_rows_are_one_per_chosen_option(survey):
    result = parse_returns("a.csv", EXAMPLE.read_bytes(), survey, CODES, set())
    rows = list(result.returns["E22EX002"].answer_rows())
    assert (S13, "q1", 0, "yes") in rows
    assert [r for r in rows if r[1] == "q6"] == [
        (S13, "q6", 1, "police"),
        (S13, "q6", 1, "probation"),
        (S13, "q6", 1, "youth_offending_services"),
        (S13, "q6", 1, "prison_service"),
        (S13, "q6", 2, "police"),
        (S13, "q6", 2, "probation"),
        (S13, "q6", 2, "vcse"),
    ]


def test_utf8_with_byte_order_mark_is_read(survey):
    content = "\ufeff".encode() + EXAMPLE.read_bytes()
    assert parse_returns("a.csv", content, survey, CODES, set()).ok


# --- a bad file: every problem, with its row and column, and nothing imported -----------------

HEADINGS = ["partnership_code", "arrangement", "q1", "q2", "q3", "q6", "q12", "1.1", "colour"]
BAD_ROWS = [
    HEADINGS,
    ["E22EX001", "", "yes", "", "fully", "", "local_evaluation;idiom", "green", ""],  # 2: fine
    ["E22EX001", "1", "", "", "", "police;probation", "", "", ""],  # 3: fine
    ["E22NOPE", "", "", "", "", "", "", "", ""],  # 4
    ["E22EX002", "", "yes", "", "fully;partly", "", "local_evaluation;magic", "purple", ""],
    ["E22EX002", "", "no", "", "", "", "", "", ""],  # 6: second row for E22EX002
    ["E22EX002", "one", "", "", "", "police", "", "", ""],  # 7
    ["E22EX003", "", "no", "planning_ongoing", "fully", "police", "", "", ""],  # 8
    ["E22EX003", "1", "yes", "", "", "police", "", "", ""],  # 9
    ["W22EX004", "", "", "", "", "", "", "amber", ""],  # 10: already returned
    ["", "", "yes", "", "", "", "", "", ""],  # 11
]
EXPECTED = [
    (1, "colour", "is not partnership_code, arrangement or an item"),
    (4, "partnership_code", "'E22NOPE' is not the code of a partnership"),
    (5, "q3", "q3 takes one answer, but 2 are given ('fully' and 'partly')"),
    (5, "q12", "'magic' is not an answer to q12: use one of local_evaluation (Local evaluation);"),
    (5, "1.1", "'purple' is not a rating: use one of red; amber; green; dont_know (Don't know); "),
    (6, "partnership_code", "E22EX002 already has a row for the partnership (row 5)"),
    (7, "arrangement", "'one' is not a whole number"),
    (8, "q1", "q1 is no (No), which means 0 IOM arrangements, but the return answers for 1"),
    (8, "q3", "q3 is asked only when q1 is yes, and q1 is no"),
    (8, "q6", "q6 is answered once per IOM arrangement"),
    (9, "q1", "q1 is answered once for the partnership"),
    (9, "q6", "q6 is asked only when q1 is yes, and q1 is no"),
    (10, "partnership_code", "W22EX004 already has a return in this collection"),
    (11, "partnership_code", "is blank"),
]


def check_bad(result):
    assert result.returns == {} and not result.ok
    assert where(result) == [(row, column) for row, column, _ in EXPECTED]
    for error, (_, _, fragment) in zip(result.errors, EXPECTED, strict=True):
        assert fragment in error.message, (error, fragment)


def test_bad_csv_lists_every_problem_and_imports_nothing(collection):
    result = parse_returns("bad.csv", csv_bytes(BAD_ROWS), collection, CODES, {"W22EX004"})
    check_bad(result)
    assert str(result.errors[1]).startswith("row 4, column partnership_code: 'E22NOPE'")


def test_bad_xlsx_lists_the_same_problems(collection):
    result = parse_returns("bad.xlsx", xlsx_bytes(BAD_ROWS), collection, CODES, {"W22EX004"})
    check_bad(result)


def test_bad_json_lists_the_same_problems_by_object(collection):
    objects = [
        {h: cell for h, cell in zip(HEADINGS, row, strict=True) if cell != "" and h != "colour"}
        for row in BAD_ROWS[1:]
    ]
    objects[0]["colour"] = "blue"
    objects[3]["q12"] = ["local_evaluation", "magic"]  # a list works like ids joined by ;
    objects[9]["partnership_code"] = ""
    content = json.dumps(objects).encode()
    result = parse_returns("bad.json", content, collection, CODES, {"W22EX004"})
    assert result.returns == {}
    # JSON rows are the objects' positions from 1: one less than the CSV rows.
    expected = [(1, "colour")] + [(row - 1, column) for row, column, _ in EXPECTED[1:]]
    assert sorted(where(result)) == sorted(expected)


def test_existing_returns_are_replaced_only_when_asked(survey):
    content = EXAMPLE.read_bytes()
    refused = parse_returns("a.csv", content, survey, CODES, {"E22EX001", "W22EX004"})
    assert where(refused) == [(2, "partnership_code"), (8, "partnership_code")]
    assert "--replace" in refused.errors[0].message and refused.returns == {}
    replaced = parse_returns("a.csv", content, survey, CODES, {"E22EX001"}, replace=True)
    assert replaced.ok and len(replaced.returns) == 4


# --- columns -------------------------------------------------------------------------------------


def test_missing_partnership_code_column(survey):
    result = parse_returns("a.csv", csv_bytes([["q1"], ["yes"], ["maybe"]]), survey, CODES, set())
    assert where(result) == [(1, "partnership_code"), (3, "q1")]


def test_shared_item_ids_need_the_framework_in_the_heading(library):
    both = [library.get(S13), library.get("national-survey-2011")]
    bare = parse_returns("a.csv", csv_bytes([["partnership_code", "q1"]]), both, CODES, set())
    assert where(bare) == [(1, "q1")]
    assert "national-survey-2013:q1 or national-survey-2011:q1" in bare.errors[0].message
    rows = [
        ["partnership_code", "national-survey-2013:q1", "national-survey-2011:q1", "q38"],
        ["E22EX001", "no", "iom;ppo", "none"],
    ]
    result = parse_returns("a.csv", csv_bytes(rows), both, CODES, set())
    assert result.errors == []
    assert result.returns["E22EX001"].answers == {
        (S13, "q1"): ["no"],
        ("national-survey-2011", "q1"): ["iom", "ppo"],
        ("national-survey-2011", "q38"): ["none"],
    }


def test_bad_headings(survey):
    rows = [
        ["partnership_code", "q1", "national-survey-2013:q1", "dip:1", "national-survey-2013:q99"],
        ["E22EX001", "no", "", "", ""],
    ]
    result = parse_returns("a.csv", csv_bytes(rows), survey, CODES, set())
    assert where(result) == [
        (1, "national-survey-2013:q1"),
        (1, "dip:1"),
        (1, "national-survey-2013:q99"),
    ]
    assert "same item as column q1" in result.errors[0].message
    assert "does not collect" in result.errors[1].message
    assert "has no item 'q99'" in result.errors[2].message


def test_duplicate_heading_and_value_without_heading(survey):
    rows = [["partnership_code", "q1", "q1", ""], ["E22EX001", "no", "no", "stray"]]
    result = parse_returns("a.csv", csv_bytes(rows), survey, CODES, set())
    assert where(result) == [(1, "q1"), (2, "D")]
    assert str(result.errors[1]) == "row 2, column D: 'stray' is in a column with no heading"


# --- cells ---------------------------------------------------------------------------------------


def test_ids_and_codes_match_regardless_of_case_and_spaces(collection):
    rows = [
        ["Partnership_Code", "Arrangement", "q1", "q12", "1.1", "Q6"],
        [" e22ex001 ", "", "Yes", " idiom ; Local_Evaluation ;", "GREEN", ""],
        [" e22ex001 ", "1", "", "", "", "Police"],
    ]
    result = parse_returns("a.csv", csv_bytes(rows), collection, CODES, set())
    assert result.errors == []
    answers = result.returns["E22EX001"].answers
    assert answers[(S13, "q1")] == ["yes"]
    assert answers[(S13, "q12")] == ["local_evaluation", "idiom"]  # in the item's order
    assert answers[(KP, "1.1")] == ["green"]


def test_multi_choice_reports_each_bad_option(survey):
    rows = [
        ["partnership_code", "arrangement", "q1", "q12", "q6"],
        ["E22EX001", "", "yes", "idiom;tea;coffee", ""],
        ["E22EX001", "1", "", "", "police"],
    ]
    result = parse_returns("a.csv", csv_bytes(rows), survey, CODES, set())
    assert where(result) == [(2, "q12")]
    assert result.errors[0].message.startswith("'tea' and 'coffee' are not answers")


def test_asked_if_on_an_answer_that_is_not_given(survey):
    rows = [
        ["partnership_code", "arrangement", "q1", "q5", "q6"],
        ["E22EX001", "", "", "two", ""],
        ["E22EX002", "1", "", "", "police"],
    ]
    result = parse_returns("a.csv", csv_bytes(rows), survey, CODES, set())
    assert where(result) == [(2, "q5"), (3, "q6")]
    assert result.errors[0].message.endswith(
        "q5 is asked only when q4 is several, and q4 is not answered"
    )
    assert "the partnership's row (no arrangement) does not answer q1" in result.errors[1].message


def test_a_wrong_target_answer_is_not_piled_on(survey):
    rows = [["partnership_code", "q1", "q3"], ["E22EX001", "perhaps", "fully"]]
    result = parse_returns("a.csv", csv_bytes(rows), survey, CODES, set())
    assert where(result) == [(2, "q1")]


def test_arrangements_are_numbered_from_one_without_gaps(survey):
    rows = [
        ["partnership_code", "arrangement", "q1", "q6"],
        ["E22EX001", "", "yes", ""],
        ["E22EX001", "1", "", "police"],
        ["E22EX001", "3", "", "police"],
        ["E22EX001", "0", "", "police"],
        ["E22EX001", "1.5", "", "police"],
        ["E22EX001", "1", "", "probation"],
    ]
    result = parse_returns("a.csv", csv_bytes(rows), survey, CODES, set())
    assert where(result) == [
        (2, "arrangement"),
        (5, "arrangement"),
        (6, "arrangement"),
        (7, "arrangement"),
    ]
    assert "numbered 1, 3: number them 1 to 2" in result.errors[0].message
    assert "already has a row for arrangement 1 (row 3)" in result.errors[3].message


def test_blank_rows_are_skipped(survey):
    text = EXAMPLE.read_text(encoding="utf-8").replace("\n", "\n,,,\n", 1) + "\n\n"
    result = parse_returns("a.csv", text.encode(), survey, CODES, set())
    assert result.ok and result.returns["E22EX001"].rows == [3, 4]


# --- XLSX ----------------------------------------------------------------------------------------


def test_xlsx_matches_csv(survey):
    rows = list(csv.reader(io.StringIO(EXAMPLE.read_text(encoding="utf-8"))))
    rows = [[int(c) if c.isdigit() else c for c in row] for row in rows]  # numbers, as Excel keeps
    from_xlsx = parse_returns("a.xlsx", xlsx_bytes(rows), survey, CODES, set())
    from_csv = parse_returns("a.csv", EXAMPLE.read_bytes(), survey, CODES, set())
    assert from_xlsx.errors == []
    assert from_xlsx.returns == from_csv.returns


def test_xlsx_formulas_are_refused_not_evaluated(survey):
    rows = [["partnership_code", "q1"], ["E22EX001", '=IF(1=1,"yes","no")']]
    result = parse_returns("a.xlsx", xlsx_bytes(rows), survey, CODES, set())
    assert where(result) == [(2, "q1")]
    assert "holds a formula" in result.errors[0].message and result.returns == {}


def test_xlsx_reads_the_first_sheet_only(survey):
    workbook = Workbook()
    workbook.active.append(["partnership_code", "q1"])
    workbook.active.append(["E22EX001", "no"])
    workbook.create_sheet("notes").append(["anything", "at all"])
    out = io.BytesIO()
    workbook.save(out)
    result = parse_returns("a.xlsx", out.getvalue(), survey, CODES, set())
    assert result.ok and result.returns["E22EX001"].answers == {(S13, "q1"): ["no"]}


# --- JSON ----------------------------------------------------------------------------------------


def test_json_returns(survey):
    objects = [
        {"partnership_code": "E22EX001", "q1": "yes", "q12": ["idiom", "local_evaluation"]},
        {"partnership_code": "E22EX001", "arrangement": 1, "q6": "police;probation"},
        {"partnership_code": "E22EX003", "q1": "no", "q2": None, "q13": []},
    ]
    result = parse_returns("a.json", json.dumps(objects).encode(), survey, CODES, set())
    assert result.errors == []
    one = result.returns["E22EX001"]
    assert one.answers[(S13, "q12")] == ["local_evaluation", "idiom"]
    assert one.arrangements == {1: {(S13, "q6"): ["police", "probation"]}}
    assert result.returns["E22EX003"].answers == {(S13, "q1"): ["no"]}


def test_json_bad_values(survey):
    objects = [
        {"partnership_code": "E22EX001", "q1": True, "q13": [1, 2]},
        {"partnership_code": "E22EX002", "arrangement": "two", "q6": "police"},
        {"q1": "yes"},
        "E22EX003",
        {"partnership_code": 17, "q1": "no"},
    ]
    result = parse_returns("a.json", json.dumps(objects).encode(), survey, CODES, set())
    assert where(result) == [
        (1, "q1"),
        (1, "q13"),
        (2, "arrangement"),
        (3, "partnership_code"),
        (4, None),
        (5, "partnership_code"),
    ]
    assert result.returns == {}


# --- files that cannot be read -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "content", "fragment"),
    [
        ("returns.txt", b"partnership_code\n", "is not a .csv, .xlsx or .json file"),
        ("returns.csv", "partnership_code,q1\nE22EX001,oui\xe9\n".encode("latin-1"), "UTF-8"),
        ("returns.csv", b"", "empty"),
        ("returns.json", b"{not json", "is not valid JSON"),
        ("returns.json", b'{"partnership_code": "E22EX001"}', "must be a JSON list"),
        ("returns.json", b"[]", "holds no returns"),
        ("returns.xlsx", b"PK\x03\x04 not really a zip", "cannot be read as an Excel workbook"),
        ("returns.csv", b"partnership_code,q1\n", "holds no returns"),
    ],
)
def test_unreadable_files(survey, filename, content, fragment):
    result = parse_returns(filename, content, survey, CODES, set())
    assert result.returns == {}
    assert len(result.errors) == 1 and result.errors[0].row is None
    assert fragment in result.errors[0].message


def test_a_file_without_a_heading_row(survey):
    result = parse_returns("a.csv", b",,\nE22EX001,yes\n", survey, CODES, set())
    assert where(result) == [(1, None)]
    assert "first row must hold the column headings" in result.errors[0].message
