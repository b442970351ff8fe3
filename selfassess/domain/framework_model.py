"""A framework as the rest of the service reads it: read-only objects built by the loader
(``selfassess.domain.frameworks``), with its sections, items, scale and texts in each language."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from selfassess.domain.framework_texts import FrameworkTexts


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
