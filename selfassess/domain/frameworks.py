"""Frameworks as data: load the YAML question sets, validate them, and hold them read-only.

Nothing here imports Flask: the web app, the CLI and the tests all use the same loader, and
a broken file gives the same message everywhere: the file, the place inside it, the problem.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from selfassess.domain.framework_checks import (
    YES_NO_PARTLY,
    FrameworkError,
    Problem,
    json_path,
    read_yaml,
    schema_message,
    semantic_problems,
    unclear_order,
    version_key,
)
from selfassess.domain.framework_releases import content_hash
from selfassess.domain.framework_texts import (
    FrameworkTexts,
    Translation,
    merge,
    split_languages,
)
from selfassess.domain.survey_mapping import Comparison, load_comparisons

# re-exported: callers import them from here
__all__ = ["FrameworkError", "FrameworkVersionNotFound", "Problem", "version_key"]


class FrameworkVersionNotFound(LookupError):
    """An assessment or collection names a framework version that no framework file holds.

    Answers keep the version they were given against, so this is never papered over with
    another version: pages turn it into a message naming the framework and the version.
    """

    def __init__(self, framework_id: str, version: str, held: Iterable[str] = ()):
        self.framework_id = framework_id
        self.version = version
        self.held = tuple(held)
        where = f"it holds {', '.join(self.held)}" if self.held else "there is no such framework"
        super().__init__(
            f"{framework_id} version {version} is not among the framework files ({where})"
        )


SCHEMA_FILE = "schema.json"

# The yes / partly / no options are the code's (YES_NO_PARTLY), not a file's, so their Welsh is
# kept here; the library looks them up like any framework text. Awaiting a Welsh speaker's review.
CODE_TEXTS = FrameworkTexts(
    ("en", "cy"),
    {
        "Yes": {"cy": Translation("Ie")},
        "Partly": {"cy": Translation("Yn rhannol")},
        "No": {"cy": Translation("Na")},
    },
)


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    derived: bool = False


@dataclass(frozen=True)
class AskedIf:
    item: str
    values: tuple[str, ...]

    def holds(self, answer: str | Iterable[str] | None) -> bool:
        """True when the earlier answer (one option id, or several for multi) is among values."""
        if answer is None:
            return False
        chosen = {answer} if isinstance(answer, str) else set(answer)
        return bool(chosen & set(self.values))


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    section_id: str
    position: int
    guidance: str | None = None
    description: str | None = None
    derived: bool = False
    tags: dict[str, tuple[str, ...]] = field(default_factory=dict)
    type: str | None = None
    options: tuple[Option, ...] = ()
    unit: str | None = None
    asked_if: AskedIf | None = None
    published: dict[str, str] | None = None
    # Consistency rules: options chosen only on their own ("none"), and how many IOM
    # arrangements an option means (option id -> ("exactly" or "at_least", number)).
    exclusive: tuple[str, ...] = ()
    arrangements: dict[str, tuple[str, int]] = field(default_factory=dict)

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class FigureRule:
    """A figure a survey declares over one item's answers, with its own base.

    ``more_than_one``: units that chose two or more of ``options`` (every option of the item when
    none are listed); ``all_of``: units that chose every one of ``options``; ``any_of``: units
    that chose at least one. ``base``: ``answered`` (units that answered the item), ``asked``
    (units it was put to) or ``returns`` (every return, or arrangement).
    """

    id: str
    text: str
    item: str
    rule: str
    options: tuple[str, ...] = ()
    base: str = "answered"
    published: dict[str, str] | None = None

    def counted(self, item: Item) -> tuple[tuple[str, ...], int]:
        """(the options that count, how many of them a unit must have chosen)."""
        values = self.options or tuple(o.id for o in item.options if o.id not in item.exclusive)
        if self.rule == "more_than_one":
            return values, 2
        if self.rule == "all_of":
            return values, len(values)
        return values, 1


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    items: tuple[Item, ...]
    description: str | None = None
    derived: bool = False


@dataclass(frozen=True)
class ScaleValue:
    """One answer on a rating scale: it carries a score, or counts as a named kind of no score
    (``counts_as``: dont_know or not_applicable), which scoring counts and shows but never scores.
    """

    id: str
    label: str
    score: int | None
    description: str | None = None
    counts_as: str | None = None


@dataclass(frozen=True)
class SectionRule:
    method: str
    green_at_least: float
    amber_at_least: float
    min_scored_items: int = 1


# Labels whose plural is not the label and an "s".
IRREGULAR_PLURALS = {"criterion": "criteria", "phenomenon": "phenomena"}


def plural(label: str) -> str:
    """The plural of a section or item label, keeping its capital: "Criterion" -> "Criteria"."""
    words = label.rsplit(" ", 1)
    last = words[-1]
    found = IRREGULAR_PLURALS.get(last.lower())
    if found is None:
        last += "es" if last.endswith(("s", "x", "ch", "sh")) else "s"
    else:
        last = found[0].upper() + found[1:] if last[:1].isupper() else found
    return " ".join([*words[:-1], last])


@dataclass(frozen=True)
class Framework:
    id: str
    version: str
    title: str
    kind: str
    source: dict[str, Any]
    sections: tuple[Section, ...]
    file: str
    short_title: str | None = None
    description: str | None = None
    section_label: str = "Section"
    item_label: str = "Item"
    # Plurals given in the file, where other languages need their own word.
    section_plural: str | None = None
    item_plural: str | None = None
    scale: tuple[ScaleValue, ...] = ()
    section_rule: SectionRule | None = None
    tag_sources: dict[str, str] = field(default_factory=dict)  # tag -> framework id
    tag_versions: dict[str, str] = field(default_factory=dict)  # tag -> that framework's version
    unit_of_analysis: str | None = None
    offered: str = "never"  # in a new assessment: always, optional or never
    offered_position: int = 0  # where it comes among the frameworks an assessment offers
    content_hash: str = ""  # of what answers are given against; see content_hash()
    # Figures computed from answers: not in the hash, as they read answers and change none.
    figures: tuple[FigureRule, ...] = ()
    # The texts in its other languages (Welsh), by their English wording.
    texts: FrameworkTexts = field(default_factory=FrameworkTexts)

    def in_language(self, text: str | None, language: str) -> str | None:
        """One of this framework's texts in ``language`` (English where it has none)."""
        return None if text is None else self.texts.in_language(text, language)

    @property
    def name(self) -> str:
        return self.short_title or self.title

    @property
    def item_label_plural(self) -> str:
        """ "Questions", "Criteria": more than one item, as the labels are nouns in English."""
        return self.item_plural or plural(self.item_label)

    @property
    def section_label_plural(self) -> str:
        return self.section_plural or plural(self.section_label)

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def section_number(self, section: Section | str, language: str = "en") -> str | None:
        """ "Principle 2" for numbered sections; None where sections are named, not numbered."""
        section_id = section if isinstance(section, str) else section.id
        if section_id.replace(".", "").isdigit():
            return f"{self.texts.in_language(self.section_label, language)} {section_id}"
        return None

    def section_heading(self, section: Section | str, language: str = "en") -> str:
        """How pages head a section: "Principle 2: Delivering a local response…", or the
        title alone where sections are named ("People and relationships")."""
        found = section if isinstance(section, Section) else self.section(section)
        if found is None:
            return str(section)
        number = self.section_number(found, language)
        title = self.texts.in_language(found.title, language)
        return f"{number}: {title}" if number else title

    def section_short_name(self, section: Section | str, language: str = "en") -> str:
        """A section's name where space is tight (table headers, chart labels)."""
        found = section if isinstance(section, Section) else self.section(section)
        if found is None:
            return str(section)
        return self.section_number(found, language) or self.texts.in_language(found.title, language)

    def scale_value(self, value_id: str) -> ScaleValue | None:
        return next((v for v in self.scale if v.id == value_id), None)

    def no_score_value(self, meaning: str) -> ScaleValue | None:
        """The scale value that counts as ``meaning`` (dont_know, not_applicable), if any."""
        return next((v for v in self.scale if v.counts_as == meaning), None)

    @property
    def is_rated(self) -> bool:
        return self.kind == "rag"

    @property
    def has_derived_wording(self) -> bool:
        return any(s.derived for s in self.sections) or any(i.derived for i in self.items)


class FrameworkLibrary:
    """Every loaded framework, by id and version; the newest version answers plain lookups."""

    def __init__(self, frameworks: Iterable[Framework], comparisons: Iterable[Comparison] = ()):
        # Mappings between surveys (questions/comparisons/), for comparing collections.
        self.comparisons: tuple[Comparison, ...] = tuple(comparisons)
        self._by_key: dict[tuple[str, str], Framework] = {}
        for fw in frameworks:
            self._by_key[(fw.id, fw.version)] = fw
        # Every framework's translations in one lookup, for labels that come from any of them.
        # The code's own option labels come last: a framework's wording of a text wins.
        self.texts = merge([*(fw.texts for fw in self._by_key.values()), CODE_TEXTS])

    def in_language(self, text: str | None, language: str) -> str | None:
        """A framework text in ``language`` (English where no framework translates it)."""
        return None if text is None else self.texts.in_language(text, language)

    def __iter__(self) -> Iterator[Framework]:
        return iter(self.latest_all())

    def __len__(self) -> int:
        return len(self.latest_all())

    def __contains__(self, framework_id: object) -> bool:
        return any(fid == framework_id for fid, _ in self._by_key)

    def get(self, framework_id: str, version: str | None = None) -> Framework | None:
        """The newest version (what a new assessment takes), or None. Prefer ``resolve`` for
        anything already answered: it never swaps in another version."""
        if version is not None:
            return self._by_key.get((framework_id, version))
        versions = [fw for (fid, _), fw in self._by_key.items() if fid == framework_id]
        return max(versions, key=lambda fw: version_key(fw.version), default=None)

    def resolve(self, framework_id: str, version: str) -> Framework:
        """Exactly that version of the framework, or FrameworkVersionNotFound."""
        found = self._by_key.get((framework_id, version))
        if found is None:
            held = [fw.version for fw in self.versions(framework_id)]
            raise FrameworkVersionNotFound(framework_id, version, held)
        return found

    def versions(self, framework_id: str) -> list[Framework]:
        found = [fw for (fid, _), fw in self._by_key.items() if fid == framework_id]
        return sorted(found, key=lambda fw: version_key(fw.version))

    def latest_all(self) -> list[Framework]:
        ids = dict.fromkeys(fid for fid, _ in self._by_key)
        return [self.get(fid) for fid in ids]  # type: ignore[misc]

    def of_kind(self, kind: str) -> list[Framework]:
        return [fw for fw in self.latest_all() if fw.kind == kind]

    def offered(self, how: str) -> list[Framework]:
        """The newest version of each framework a new assessment offers ``how`` (always or
        optional), in the order the files declare."""
        found = [fw for fw in self.latest_all() if fw.offered == how]
        return sorted(found, key=lambda fw: (fw.offered_position, fw.id))


# --- building the read-only objects -----------------------------------------------------


def _build(data: dict, name: str) -> Framework:
    sections = []
    position = 0
    for section in data["sections"]:
        items = []
        for raw in section["items"]:
            if raw.get("type") == "yes_no_partly":
                options = tuple(Option(oid, label) for oid, label in YES_NO_PARTLY)
            else:
                options = tuple(
                    Option(o["id"], o["label"], o.get("derived", False))
                    for o in raw.get("options") or []
                )
            asked = raw.get("asked_if")
            items.append(
                Item(
                    id=raw["id"],
                    text=raw["text"],
                    section_id=section["id"],
                    position=position,
                    guidance=raw.get("guidance"),
                    description=raw.get("description"),
                    derived=raw.get("derived", False),
                    tags={k: tuple(v) for k, v in (raw.get("tags") or {}).items()},
                    type=raw.get("type"),
                    options=options,
                    unit=raw.get("unit") or data.get("unit_of_analysis"),
                    asked_if=AskedIf(asked["item"], tuple(asked["in"])) if asked else None,
                    published=raw.get("published"),
                    exclusive=tuple(raw.get("exclusive") or ()),
                    arrangements={
                        oid: next(iter(bound.items()))
                        for oid, bound in (raw.get("arrangements") or {}).items()
                    },
                )
            )
            position += 1
        sections.append(
            Section(
                id=section["id"],
                title=section["title"],
                items=tuple(items),
                description=section.get("description"),
                derived=section.get("derived", False),
            )
        )
    rule = data.get("section_rule")
    offer = data.get("assessment") or {}
    return Framework(
        id=data["id"],
        version=data["version"],
        title=data["title"],
        kind=data["kind"],
        source=dict(data["source"]),
        sections=tuple(sections),
        file=name,
        short_title=data.get("short_title"),
        description=data.get("description"),
        section_label=data.get("section_label", "Section"),
        item_label=data.get("item_label", "Item"),
        section_plural=data.get("section_label_plural"),
        item_plural=data.get("item_label_plural"),
        scale=tuple(
            ScaleValue(
                v["id"], v["label"], v.get("score"), v.get("description"), v.get("counts_as")
            )
            for v in (data.get("scale") or {}).get("values", [])
        ),
        section_rule=SectionRule(**rule) if rule else None,
        tag_sources={k: v["framework"] for k, v in (data.get("tags") or {}).items()},
        tag_versions={k: v["version"] for k, v in (data.get("tags") or {}).items()},
        unit_of_analysis=data.get("unit_of_analysis"),
        offered=offer.get("offered", "never"),
        offered_position=offer.get("position", 0),
        content_hash=content_hash(data),
        figures=tuple(
            FigureRule(
                id=f["id"],
                text=f["text"],
                item=f["item"],
                rule=f["rule"],
                options=tuple(f.get("options") or ()),
                base=f.get("base", "answered"),
                published=f.get("published"),
            )
            for f in data.get("figures") or ()
        ),
    )


def load_schema(directory: Path) -> Draft202012Validator:
    schema = json.loads((directory / SCHEMA_FILE).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def load_framework_file(
    path: Path, validator: Draft202012Validator, name: str | None = None
) -> tuple[Framework | None, list[Problem]]:
    """Read and check one file. Returns the framework, or None with the problems found."""
    name = name or path.name
    data, problems = read_yaml(path, name)
    if problems:
        return None, problems
    if not isinstance(data, dict):
        return None, [Problem(name, "(top level)", "must be a mapping of keys such as id, title")]
    # A text missing a language is reported with whatever else is wrong, not instead of it.
    data, texts, language_problems = split_languages(data, name)
    schema_errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if schema_errors:
        return None, language_problems + [
            Problem(name, json_path(e.absolute_path), schema_message(e)) for e in schema_errors
        ]
    problems = language_problems + semantic_problems(data, name)
    if problems:
        return None, problems
    return replace(_build(data, name), texts=texts), []


def _cross_file_problems(frameworks: list[Framework], others_failed: bool) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[tuple[str, str], str] = {}
    for fw in frameworks:
        key = (fw.id, fw.version)
        if key in seen:
            problems.append(
                Problem(fw.file, "id", f"{fw.id} version {fw.version} is also in {seen[key]}")
            )
        seen.setdefault(key, fw.file)
    problems.extend(_version_order_problems(frameworks))
    library = FrameworkLibrary(frameworks)
    for fw in frameworks:
        for tag, source_id in fw.tag_sources.items():
            pinned = fw.tag_versions[tag]
            if source_id not in library:
                if others_failed:
                    continue  # the source file is broken and already reported; don't pile on
                problems.append(
                    Problem(fw.file, f"tags.{tag}.framework", f"no framework {source_id!r} exists")
                )
                continue
            try:
                source = library.resolve(source_id, pinned)
            except FrameworkVersionNotFound as exc:
                if not others_failed:
                    problems.append(Problem(fw.file, f"tags.{tag}.version", str(exc)))
                continue
            valid = {i.id for i in source.items}
            for s, section in enumerate(fw.sections):
                for i, item in enumerate(section.items):
                    for value in item.tags.get(tag, ()):
                        if value not in valid:
                            problems.append(
                                Problem(
                                    fw.file,
                                    f"sections[{s}].items[{i}].tags.{tag}",
                                    f"{value!r} is not an item of {source_id} {pinned}",
                                )
                            )
    return problems


def _version_order_problems(frameworks: list[Framework]) -> list[Problem]:
    """Each framework's versions must have a clear order: the newest is what new assessments
    take, so an order that rests on comparing text is refused rather than guessed."""
    problems: list[Problem] = []
    by_id: dict[str, list[Framework]] = {}
    for fw in frameworks:
        by_id.setdefault(fw.id, []).append(fw)
    for versions in by_id.values():
        ordered = sorted(versions, key=lambda fw: (version_key(fw.version), fw.file))
        for i, fw in enumerate(ordered):
            for other in ordered[:i]:
                if other.version == fw.version:
                    continue  # the same version twice is reported on its own
                why = unclear_order(other.version, fw.version)
                if why:
                    problems.append(
                        Problem(
                            fw.file,
                            "version",
                            f"{fw.version!r} {why} ({other.version!r} is in {other.file})",
                        )
                    )
                    break
    return problems


def check_directory(directory: Path) -> tuple[list[Framework], list[Problem]]:
    """Validate every framework file in a directory; returns what loaded and every problem."""
    directory = Path(directory)
    try:
        validator = load_schema(directory)
    except (OSError, ValueError) as exc:
        return [], [Problem(SCHEMA_FILE, "", f"cannot be used: {exc}")]
    frameworks: list[Framework] = []
    problems: list[Problem] = []
    files = sorted(p for p in directory.glob("*.y*ml") if p.is_file())
    if not files:
        problems.append(Problem(str(directory), "", "holds no framework files (*.yaml)"))
    for path in files:
        fw, file_problems = load_framework_file(path, validator)
        problems.extend(file_problems)
        if fw is not None:
            frameworks.append(fw)
    problems.extend(_cross_file_problems(frameworks, others_failed=bool(problems)))
    if not problems:  # a mapping is checked against frameworks that loaded cleanly
        problems.extend(load_comparisons(directory, frameworks)[1])
    return frameworks, problems


def load_library(directory: Path) -> FrameworkLibrary:
    """Load every framework in a directory, or raise FrameworkError listing all problems."""
    frameworks, problems = check_directory(directory)
    if problems:
        raise FrameworkError(problems)
    return FrameworkLibrary(frameworks, load_comparisons(directory, frameworks)[0])
