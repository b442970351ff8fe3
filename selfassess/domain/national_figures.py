"""The figures of the national picture, and the items of a collection (no Flask, no database).

``selfassess.domain.national`` builds these from grouped counts; this module holds what it
builds: one :class:`ItemFigures` per item, one :class:`SectionFigures` per RAG section, the whole
in a :class:`NationalPicture` whose ``to_json()`` is the report shape.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from selfassess.domain.frameworks import Framework, Item

PARTNERSHIP = "partnership"
ARRANGEMENT = "arrangement"

# --- the items of a collection ---------------------------------------------------------


@dataclass(frozen=True)
class CollectionItem:
    """One answerable item of a collection, with the key it has in reports and import files.

    The key is the item id when no other framework of the collection has an item of that id,
    otherwise ``framework_id:item_id`` (two survey years in one collection both have a ``q1``).
    """

    framework: Framework
    item: Item
    key: str
    unit: str

    @property
    def framework_id(self) -> str:
        return self.framework.id

    @property
    def item_id(self) -> str:
        return self.item.id

    @property
    def kind(self) -> str:
        """``rag`` for rated items, else the survey type (single, multi, band, yes_no_partly)."""
        return "rag" if self.framework.is_rated else (self.item.type or "single")

    @property
    def multi(self) -> bool:
        return self.kind == "multi"

    @property
    def options(self) -> tuple[tuple[str, str], ...]:
        """(id, label) of every answer it takes: the scale for rated items, else its options."""
        if self.framework.is_rated:
            return tuple((v.id, v.label) for v in self.framework.scale)
        return tuple((o.id, o.label) for o in self.item.options)


def item_unit(framework: Framework, item: Item) -> str:
    return item.unit or framework.unit_of_analysis or PARTNERSHIP


def collection_items(frameworks: Iterable[Framework]) -> list[CollectionItem]:
    """Every rated or survey item of the frameworks, in order; lens frameworks hold no answers."""
    pairs = [(fw, item) for fw in frameworks if fw.kind in ("rag", "survey") for item in fw.items]
    seen: dict[str, int] = defaultdict(int)
    for _, item in pairs:
        seen[item.id] += 1
    return [
        CollectionItem(
            fw, item, item.id if seen[item.id] == 1 else f"{fw.id}:{item.id}", item_unit(fw, item)
        )
        for fw, item in pairs
    ]


def collection_figures(frameworks: Iterable[Framework]) -> list[tuple[Framework, Any, str]]:
    """(framework, figure rule, key) of every figure the survey frameworks declare; the key is
    the figure id unless another framework declares the same id, then ``framework:figure``."""
    pairs = [(fw, fig) for fw in frameworks if fw.kind == "survey" for fig in fw.figures]
    seen: dict[str, int] = defaultdict(int)
    for _, fig in pairs:
        seen[fig.id] += 1
    return [(fw, fig, fig.id if seen[fig.id] == 1 else f"{fw.id}:{fig.id}") for fw, fig in pairs]


# --- arithmetic --------------------------------------------------------------------------


def _round1(num: int, den: int) -> float:
    """num / den to one decimal place, halves away from zero (ROUND_HALF_UP), exactly: in
    integers, as the national picture computes hundreds of these per request."""
    if den < 0:
        num, den = -num, den * -1
    tenths = (20 * abs(num) + den) // (2 * den)
    # -(x / 10), not -x / 10: a small fall rounds to -0.0, as Decimal gives it.
    return tenths / 10 if num >= 0 else -(tenths / 10)


def percent(count: int | None, n: int | None) -> float | None:
    """100 * count / n to one decimal place, halves rounded up; None when n is 0 or unknown."""
    if count is None or not n:
        return None
    return _round1(100 * count, n)


def change_pp(
    now: tuple[int | None, int | None], then: tuple[int | None, int | None]
) -> float | None:
    """Percentage-point change between two (count, n) pairs, from the exact shares."""
    (c1, n1), (c0, n0) = now, then
    if c1 is None or c0 is None or not n1 or not n0:
        return None
    return _round1(100 * (c1 * n0 - c0 * n1), n1 * n0)


# --- the figures -------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionFigure:
    """One answer of an item (or one RAG of a section): how many units gave it, and the share.

    ``change`` is the percentage-point difference from the previous collection, when both
    percentages exist. A suppressed figure has count, percent and change None.
    """

    id: str
    label: str
    count: int | None
    percent: float | None
    suppressed: bool = False
    change: float | None = None

    def to_json(self, detail: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"label": self.label, "count": self.count, "percent": self.percent}
        if self.suppressed:
            out["suppressed"] = True
        if detail:
            out["change"] = self.change
        return out


@dataclass(frozen=True)
class ItemFigures:
    framework_id: str
    item_id: str
    key: str
    text: str
    unit: str
    kind: str
    n: int | None
    asked: int | None
    missing: int | None
    options: tuple[OptionFigure, ...]
    suppressed: bool = False

    @property
    def multi(self) -> bool:
        """Multi-choice: a unit may choose several options, so percentages can pass 100."""
        return self.kind == "multi"

    @property
    def percentages_sum_to_100(self) -> bool:
        return not self.multi

    def option(self, option_id: str) -> OptionFigure | None:
        return next((o for o in self.options if o.id == option_id), None)

    def to_json(self, detail: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "framework": self.framework_id,
            "text": self.text,
            "unit": self.unit,
            "n": self.n,
            "missing": self.missing,
            "options": {o.id: o.to_json(detail) for o in self.options},
        }
        if detail:
            out.update(
                item=self.item_id,
                type=self.kind,
                multi=self.multi,
                percentages_sum_to_100=self.percentages_sum_to_100,
                asked=self.asked,
                suppressed=self.suppressed,
            )
        return out


@dataclass(frozen=True)
class SectionFigures:
    """The share of returns whose section RAG is red, amber or green."""

    framework_id: str
    section_id: str
    title: str
    n: int
    missing: int
    options: tuple[OptionFigure, ...]
    suppressed: bool = False

    def option(self, rag: str) -> OptionFigure | None:
        return next((o for o in self.options if o.id == rag), None)

    def to_json(self, detail: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "title": self.title,
            "n": self.n,
            "missing": self.missing,
            "options": {o.id: o.to_json(detail) for o in self.options},
        }
        if detail:
            out["suppressed"] = self.suppressed
        return out


@dataclass(frozen=True)
class CombinedFigure:
    """A figure a framework declares over one item's answers (``FigureRule``): ``n`` units
    chose as the rule says, out of ``base`` (the item's answered or asked units, or every
    return). Suppressed, n, percent and change are None; the base stays, as it says how many
    but not what.
    """

    framework_id: str
    figure_id: str
    key: str
    text: str
    item_key: str
    rule: str
    options: tuple[str, ...]
    base_of: str
    n: int | None
    base: int | None
    percent: float | None
    suppressed: bool = False
    change: float | None = None
    unit: str = PARTNERSHIP

    @property
    def base_words(self) -> str:
        """What the base counts, in words: "partnerships that answered q11"."""
        units = "arrangements" if self.unit == ARRANGEMENT else "partnerships"
        question = self.item_key.split(":")[-1]
        if self.base_of == "asked":
            return f"{units} asked {question}"
        if self.base_of == "returns":
            return f"all {units}"
        return f"{units} that answered {question}"

    def to_json(self, detail: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "framework": self.framework_id,
            "text": self.text,
            "item": self.item_key,
            "rule": self.rule,
            "options": list(self.options),
            "base_of": self.base_of,
            "n": self.n,
            "base": self.base,
            "percent": self.percent,
        }
        if self.suppressed:
            out["suppressed"] = True
        if detail:
            out["change"] = self.change
        return out


@dataclass(frozen=True)
class NationalPicture:
    """The figures of one collection, nationally (region None) or for one region.

    ``to_json()`` gives exactly the report shape ``{"collection", "returns", "items"}`` (plus
    ``"region"`` on a regional picture, and ``"suppressed": true`` on suppressed cells);
    ``to_json(detail=True)`` adds the type, multi flag and asked count of each item, the change
    since the previous collection of each figure, and the section RAGs.
    """

    collection: str
    returns: int
    items: dict[str, ItemFigures]
    sections: dict[str, dict[str, SectionFigures]] = field(default_factory=dict)
    arrangements: int | None = None
    region: str | None = None
    threshold: int | None = None  # set on regional pictures: groups below it are suppressed
    previous_collection: str | None = None
    # How people name the collections (their titles); the slugs above are for machines.
    title: str | None = None
    previous_title: str | None = None
    figures: dict[str, CombinedFigure] = field(default_factory=dict)

    def item(self, framework_id: str, item_id: str) -> ItemFigures | None:
        return next(
            (
                f
                for f in self.items.values()
                if f.framework_id == framework_id and f.item_id == item_id
            ),
            None,
        )

    def figure(self, framework_id: str, figure_id: str) -> CombinedFigure | None:
        return next(
            (
                f
                for f in self.figures.values()
                if f.framework_id == framework_id and f.figure_id == figure_id
            ),
            None,
        )

    def section(self, framework_id: str, section_id: str) -> SectionFigures | None:
        return self.sections.get(framework_id, {}).get(section_id)

    def to_json(self, detail: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"collection": self.collection}
        if self.region is not None:
            out["region"] = self.region
        out["returns"] = self.returns
        out["items"] = {key: f.to_json(detail) for key, f in self.items.items()}
        if self.figures:
            out["figures"] = {key: f.to_json(detail) for key, f in self.figures.items()}
        if detail:
            out["arrangements"] = self.arrangements
            out["threshold"] = self.threshold
            out["previous_collection"] = self.previous_collection
            out["sections"] = {
                fid: {sid: s.to_json(detail) for sid, s in by_id.items()}
                for fid, by_id in self.sections.items()
            }
        return out
