"""Broken framework files: each gives a message naming the file, the place and the problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from selfassess.config import PROJECT_ROOT
from selfassess.domain.frameworks import FrameworkError, check_directory, load_library

QUESTIONS = PROJECT_ROOT / "questions"


@pytest.fixture
def questions(tmp_path) -> Path:
    target = tmp_path / "questions"
    shutil.copytree(QUESTIONS, target)
    return target


def edit(folder: Path, name: str, change) -> None:
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def kp_item(data, section=0, item=0):
    return data["sections"][section]["items"][item]


BROKEN = [
    pytest.param(
        "iom-key-principles.yaml",
        lambda d: d["sections"][0].update(description="local partners agree the means."),
        "sections[0].description",
        "starts with a small letter",
        id="description-in-lower-case",
    ),
    pytest.param(
        "iom-key-principles.yaml",
        lambda d: kp_item(d).update(colour="blue"),
        "sections[0].items[0]",
        "unknown key 'colour'",
        id="unknown-key",
    ),
    pytest.param(
        "iom-key-principles.yaml",
        lambda d: kp_item(d, 0, 1).update(id="1.1"),
        "sections[0].items[1].id",
        "duplicate item id '1.1'",
        id="duplicate-item-id",
    ),
    pytest.param(
        "iom-key-principles.yaml",
        lambda d: kp_item(d).pop("text"),
        "sections[0].items[0]",
        "'text' is missing",
        id="missing-text",
    ),
    pytest.param(
        "iom-key-principles.yaml",
        lambda d: kp_item(d).update(text="   "),
        "sections[0].items[0].text",
        "text is empty",
        id="empty-text",
    ),
    pytest.param(
        "national-survey-2013.yaml",
        lambda d: next(i for s in d["sections"] for i in s["items"] if "asked_if" in i)[
            "asked_if"
        ].update(item="q999"),
        ".asked_if.item",
        "refers to 'q999', which is not an earlier item",
        id="asked-if-unknown-item",
    ),
    pytest.param(
        "national-survey-2013.yaml",
        lambda d: next(i for s in d["sections"] for i in s["items"] if "asked_if" in i)[
            "asked_if"
        ].update({"in": ["maybe"]}),
        ".asked_if.in",
        "'maybe' is not an option of item",
        id="asked-if-unknown-option",
    ),
    pytest.param(
        "national-survey-2013.yaml",
        lambda d: d["sections"][0]["items"][0].update(asked_if={"item": "q13", "in": ["yes"]}),
        "sections[0].items[0].asked_if.item",
        "which is not an earlier item",
        id="asked-if-later-item",
    ),
    pytest.param(
        "national-survey-2013.yaml",
        lambda d: next(i for s in d["sections"] for i in s["items"] if i["type"] == "single").pop(
            "options"
        ),
        ".options",
        "needs at least two options",
        id="choice-without-options",
    ),
    pytest.param(
        "iom-key-principles.yaml",
        lambda d: kp_item(d).update(tags={"hallmarks": ["charisma"]}),
        "sections[0].items[0].tags.hallmarks",
        "'charisma' is not an item of hallmarks",
        id="unknown-tag-value",
    ),
    pytest.param(
        "iom-key-principles.yaml",
        lambda d: kp_item(d).update(tags={"themes": ["x"]}),
        "sections[0].items[0].tags.themes",
        "tag 'themes' is not declared",
        id="undeclared-tag",
    ),
    pytest.param(
        "dip.yaml",
        lambda d: d.pop("scale"),
        "(top level)",
        "'scale' is missing",
        id="rag-without-scale",
    ),
    pytest.param(
        "dip.yaml",
        lambda d: d["section_rule"].update(green_at_least=1.5),
        "section_rule",
        "green_at_least is below amber_at_least",
        id="thresholds-reversed",
    ),
    pytest.param(
        "iom-key-principles.yaml",
        lambda d: kp_item(d).update(type="single"),
        "sections[0].items[0].type",
        "belongs to survey items",
        id="survey-key-on-rated-item",
    ),
    pytest.param(
        "iom-key-principles.yaml",
        lambda d: kp_item(d).update(id=1.1),
        "sections[0].items[0].id",
        "is not of type 'string'",
        id="unquoted-number-id",
    ),
]


@pytest.mark.parametrize(("name", "change", "where", "message"), BROKEN)
def test_broken_file_is_reported_with_file_place_and_problem(
    questions, name, change, where, message
):
    edit(questions, name, change)
    _, problems = check_directory(questions)
    assert problems, "the broken file was accepted"
    text = [str(p) for p in problems]
    assert any(p.file == name and where in p.path and message in p.message for p in problems), text


def test_invalid_yaml_names_line_and_column(questions):
    path = questions / "dip.yaml"
    path.write_text("id: dip\ntitle: [unclosed\n", encoding="utf-8")
    _, problems = check_directory(questions)
    assert len(problems) == 1
    assert problems[0].file == "dip.yaml"
    assert problems[0].path.startswith("line ")
    assert "is not valid YAML" in problems[0].message


def test_duplicate_yaml_key_is_refused_not_silently_overwritten(questions):
    path = questions / "hallmarks.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "title: Another title\n", encoding="utf-8")
    _, problems = check_directory(questions)
    assert [p.file for p in problems] == ["hallmarks.yaml"]
    assert "duplicate key 'title'" in problems[0].message


def test_same_id_and_version_twice_is_refused(questions):
    shutil.copy(questions / "dip.yaml", questions / "dip-copy.yaml")
    _, problems = check_directory(questions)
    assert any("dip version 2010.1 is also in" in p.message for p in problems)


def test_a_new_version_is_a_new_file_and_the_newest_answers(questions):
    edit(questions, "dip.yaml", lambda d: None)
    (questions / "dip-2011.yaml").write_text(
        (questions / "dip.yaml")
        .read_text(encoding="utf-8")
        .replace("version: '2010.1'", "version: '2011.1'", 1),  # its own, not the lens pin
        encoding="utf-8",
    )
    library = load_library(questions)
    assert library.get("dip").version == "2011.1"
    assert library.get("dip", "2010.1") is not None
    assert [fw.version for fw in library.versions("dip")] == ["2010.1", "2011.1"]


def test_load_library_raises_with_every_problem(questions):
    edit(questions, "dip.yaml", lambda d: d.update(colour="blue"))
    edit(questions, "hallmarks.yaml", lambda d: d.pop("title"))
    with pytest.raises(FrameworkError) as raised:
        load_library(questions)
    message = str(raised.value)
    assert "dip.yaml: (top level): unknown key 'colour'" in message
    assert "hallmarks.yaml: (top level): 'title' is missing" in message
