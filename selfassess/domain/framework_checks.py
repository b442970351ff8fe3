"""Checking framework files: reading YAML strictly, and the rules the JSON Schema cannot state.

Every problem is located by file and by a path inside it (`sections[0].items[3].text`, or a
line and column for YAML that does not parse), so whoever edits a file can fix it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

YES_NO_PARTLY = (("yes", "Yes"), ("partly", "Partly"), ("no", "No"))
# Their Welsh is in frameworks.py (CODE_TEXTS), where the library looks texts up.
CHOICE_TYPES = {"single", "multi", "band"}
RAG_IDS = ("red", "amber", "green")
# What a scale value without a score can count as; scoring counts and names each of these.
DONT_KNOW = "dont_know"
NOT_APPLICABLE = "not_applicable"
NO_SCORE_MEANINGS = (DONT_KNOW, NOT_APPLICABLE)


# --- versions ---------------------------------------------------------------------------


def _version_parts(version: str) -> list[str]:
    return re.split(r"[.\-]", version)


def _is_number(part: str) -> bool:
    return re.fullmatch(r"[0-9]+", part) is not None  # ASCII digits only: int() must accept it


def version_key(version: str) -> tuple:
    """Order versions naturally ("2010.10" after "2010.9"); any string has a place.

    Each part is (0, number) or (1, text), so a number is never compared with text: numbers
    come before text ("2010.1" before "2010.rc1"), texts compare alphabetically.
    """
    return tuple((0, int(p)) if _is_number(p) else (1, p) for p in _version_parts(version))


def unclear_order(older: str, newer: str) -> str | None:
    """Why two versions of one framework have no obvious order, or None when they do.

    The newest version is what every new assessment takes, so its choice must not hang on a
    guess: two versions must first differ in a number ("2010.2" after "2010.1"), and must not
    sort as equals ("2010.1" and "2010-01").
    """
    if version_key(older) == version_key(newer):
        return f"sorts the same as {older!r}; number versions differently"
    for a, b in zip(_version_parts(older), _version_parts(newer), strict=False):
        if version_key(a) != version_key(b):
            if _is_number(a) and _is_number(b):
                return None
            return (
                f"cannot be put in order with {older!r}: {b!r} and {a!r} are not both numbers; "
                "use numbers only, such as '2010.2'"
            )
    return None  # one extends the other: "2010" before "2010.1"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a framework file, located precisely enough to fix it."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.message}"


class FrameworkError(Exception):
    """Raised when one or more framework files are invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# --- reading YAML -----------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys instead of silently keeping the last one."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False):
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path, name: str) -> tuple[Any, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(name, "", f"cannot be read: {exc}")]
    try:
        return yaml.load(text, Loader=_StrictLoader), []  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        return None, [Problem(name, where, f"is not valid YAML: {exc.problem or exc}")]
    except yaml.YAMLError as exc:
        return None, [Problem(name, "", f"is not valid YAML: {exc}")]


def json_path(parts: Iterable[Any]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def schema_message(error) -> str:
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return "unknown key " + ", ".join(repr(k) for k in extra)
    if error.validator == "required":
        return error.message.replace("is a required property", "is missing")
    if error.validator == "pattern" and error.schema.get("pattern") == "\\S":
        return "text is empty"
    if error.validator == "minLength" and error.instance == "":
        return "text is empty"
    return error.message


# --- validation beyond the schema -------------------------------------------------------


def semantic_problems(data: dict, name: str) -> list[Problem]:
    problems: list[Problem] = []

    def add(path: str, message: str) -> None:
        problems.append(Problem(name, path, message))

    kind = data["kind"]
    declared_tags = set((data.get("tags") or {}).keys())

    offered = (data.get("assessment") or {}).get("offered", "never")
    if offered != "never" and kind != "rag":
        add("assessment.offered", f"only rag frameworks are rated in an assessment, not {kind}")

    if kind == "rag":
        values = data["scale"]["values"]
        ids = [v["id"] for v in values]
        meanings: list[str] = []
        for i, value in enumerate(values):
            vpath = f"scale.values[{i}]"
            if value["id"] in ids[:i]:
                add(f"{vpath}.id", f"duplicate scale value {value['id']!r}")
            _check_scale_value(value, vpath, meanings, add)
        scores = {v["id"]: v.get("score") for v in values}
        missing = [r for r in RAG_IDS if r not in scores]
        if missing:
            add("scale.values", f"a RAG scale needs red, amber and green; missing {missing}")
        elif not (scores["red"] or 0) < (scores["amber"] or 0) < (scores["green"] or 0):
            add("scale.values", "scores must rise from red to amber to green")
        rule = data["section_rule"]
        if rule["green_at_least"] < rule["amber_at_least"]:
            add("section_rule", "green_at_least is below amber_at_least")

    section_ids: dict[str, int] = {}
    item_index: dict[str, tuple[int, dict]] = {}
    position = 0
    for s, section in enumerate(data["sections"]):
        spath = f"sections[{s}]"
        if section["id"] in section_ids:
            add(f"{spath}.id", f"duplicate section id {section['id']!r}")
        section_ids[section["id"]] = s
        # Pages show a description as a sentence of its own, so it starts with a capital.
        described = (section.get("description") or "").lstrip()
        if described[:1].islower():
            add(f"{spath}.description", "starts with a small letter; begin it with a capital")
        for i, item in enumerate(section["items"]):
            ipath = f"{spath}.items[{i}]"
            iid = item["id"]
            if iid in item_index:
                add(f"{ipath}.id", f"duplicate item id {iid!r}")
            for tag in item.get("tags") or {}:
                if tag not in declared_tags:
                    add(f"{ipath}.tags.{tag}", f"tag {tag!r} is not declared under 'tags'")
            if kind == "survey":
                _check_survey_item(item, ipath, item_index, add)
            else:
                for key in ("type", "options", "unit", "asked_if", "exclusive", "arrangements"):
                    if key in item:
                        add(f"{ipath}.{key}", f"{key!r} belongs to survey items, not {kind} items")
            item_index.setdefault(iid, (position, item))
            position += 1
    if data.get("figures"):
        if kind != "survey":
            add("figures", f"figures are computed from survey answers, not {kind} ratings")
        else:
            _check_figures(data["figures"], item_index, add)
    return problems


def _check_figures(figures: list[dict], items: dict[str, tuple[int, dict]], add) -> None:
    """Each figure names an item of the file and options it has, and can be non-zero."""
    seen: set[str] = set()
    for f, figure in enumerate(figures):
        fpath = f"figures[{f}]"
        if figure["id"] in seen:
            add(f"{fpath}.id", f"duplicate figure id {figure['id']!r}")
        seen.add(figure["id"])
        found = items.get(figure["item"])
        if found is None:
            add(f"{fpath}.item", f"refers to {figure['item']!r}, which is not an item of this file")
            continue
        item = found[1]
        allowed = option_ids(item)
        listed = figure.get("options") or []
        for value in listed:
            if value not in allowed:
                add(
                    f"{fpath}.options",
                    f"{value!r} is not an option of item {figure['item']!r} "
                    f"(options: {', '.join(allowed)})",
                )
        rule = figure["rule"]
        multi = item.get("type") == "multi"
        exclusive = set(item.get("exclusive") or ())
        if rule in ("all_of", "any_of") and not listed:
            add(f"{fpath}.options", f"a {rule} figure lists the options it counts")
        if rule in ("more_than_one", "all_of") and not multi:
            add(f"{fpath}.rule", f"{rule} needs a multi item; {figure['item']!r} takes one answer")
        elif rule == "all_of" and len(listed) < 2:
            add(f"{fpath}.options", "all_of needs two options or more (one is the option itself)")
        elif rule == "more_than_one" and len(listed or allowed) < 2:
            add(f"{fpath}.options", "more_than_one needs two options or more to choose from")
        if rule in ("more_than_one", "all_of") and exclusive & set(listed):
            add(
                f"{fpath}.options",
                f"{', '.join(sorted(exclusive & set(listed)))} is chosen only on its own, "
                "so no return could count",
            )


def _check_scale_value(value: dict, vpath: str, meanings: list[str], add) -> None:
    """A value carries a score or counts as one kind of no score that scoring knows."""
    meaning = value.get("counts_as")
    if "score" in value and meaning is not None:
        add(vpath, "has a score and counts_as; a value is either scored or counts as no score")
    elif "score" not in value and meaning is None:
        add(vpath, f"needs a score or counts_as ({' or '.join(NO_SCORE_MEANINGS)})")
    elif meaning is not None and meaning not in NO_SCORE_MEANINGS:
        add(
            f"{vpath}.counts_as",
            f"{meaning!r} is not known to scoring (known: {', '.join(NO_SCORE_MEANINGS)})",
        )
    elif meaning is not None:
        if meaning in meanings:
            add(f"{vpath}.counts_as", f"another value already counts as {meaning!r}")
        meanings.append(meaning)


def _check_survey_item(item: dict, ipath: str, earlier: dict[str, tuple[int, dict]], add) -> None:
    itype = item.get("type")
    if itype is None:
        add(f"{ipath}.type", "survey item has no type (single, multi, yes_no_partly or band)")
        return
    options = item.get("options")
    if itype in CHOICE_TYPES:
        if not options:
            add(f"{ipath}.options", f"a {itype} item needs at least two options")
        else:
            ids = [o["id"] for o in options]
            for o, oid in enumerate(ids):
                if oid in ids[:o]:
                    add(f"{ipath}.options[{o}].id", f"duplicate option id {oid!r}")
    elif options:
        add(f"{ipath}.options", "a yes_no_partly item takes no options (yes, partly, no)")
    _check_rules(item, ipath, add)
    asked_if = item.get("asked_if")
    if asked_if:
        target = asked_if["item"]
        if target == item["id"]:
            add(f"{ipath}.asked_if.item", "an item cannot depend on itself")
        elif target not in earlier:
            add(f"{ipath}.asked_if.item", f"refers to {target!r}, which is not an earlier item")
        else:
            allowed = set(option_ids(earlier[target][1]))
            for value in asked_if["in"]:
                if value not in allowed:
                    add(
                        f"{ipath}.asked_if.in",
                        f"{value!r} is not an option of item {target!r} "
                        f"(options: {', '.join(sorted(allowed))})",
                    )


def _check_rules(item: dict, ipath: str, add) -> None:
    """The consistency rules an item declares name its own options and can be kept."""
    allowed = option_ids(item)
    exclusive = item.get("exclusive") or []
    if exclusive and item.get("type") != "multi":
        add(f"{ipath}.exclusive", "only a multi item can have options chosen on their own")
    for value in exclusive:
        if value not in allowed:
            add(
                f"{ipath}.exclusive",
                f"{value!r} is not an option of this item (options: {', '.join(allowed)})",
            )
    if exclusive and set(allowed) <= set(exclusive):
        add(f"{ipath}.exclusive", "every option is exclusive: then it is a single item")
    counts = item.get("arrangements") or {}
    if counts and item.get("unit") == "arrangement":
        add(f"{ipath}.arrangements", "an item answered per arrangement cannot set their number")
    if counts and item.get("type") == "multi":
        add(f"{ipath}.arrangements", "a multi item's options cannot each set the number")
    for value in counts:
        if value not in allowed:
            add(
                f"{ipath}.arrangements",
                f"{value!r} is not an option of this item (options: {', '.join(allowed)})",
            )


def option_ids(item: dict) -> list[str]:
    if item.get("type") == "yes_no_partly":
        return [oid for oid, _ in YES_NO_PARTLY]
    return [o["id"] for o in item.get("options") or []]
