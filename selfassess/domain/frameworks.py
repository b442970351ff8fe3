"""Frameworks as data: load the YAML question sets, validate them, and hold them read-only.

Nothing here imports Flask: the web app, the CLI and the tests all use the same loader, and
a broken file gives the same message everywhere: the file, the place inside it, the problem.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

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
from selfassess.domain.framework_model import (
    IRREGULAR_PLURALS,
    AskedIf,
    FigureRule,
    Framework,
    Item,
    Option,
    ScaleValue,
    Section,
    SectionRule,
    plural,
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
__all__ = [
    "IRREGULAR_PLURALS",
    "AskedIf",
    "FigureRule",
    "Framework",
    "FrameworkError",
    "FrameworkVersionNotFound",
    "Item",
    "Option",
    "Problem",
    "ScaleValue",
    "Section",
    "SectionRule",
    "plural",
    "version_key",
]


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
