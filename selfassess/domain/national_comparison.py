"""Two national pictures side by side, on a mapping between their surveys
(``selfassess.domain.survey_mapping``): both shares, the change, and whether it is like for like.
No Flask, no database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from selfassess.domain.national_figures import NationalPicture, change_pp, percent
from selfassess.domain.survey_mapping import Comparison


@dataclass(frozen=True)
class ComparedFigure:
    """One option of a later item beside its earlier counterpart; a share is None where the
    item is missing, unanswered or suppressed on that side."""

    item_id: str
    item_text: str
    option_id: str
    label: str
    earlier_item: str
    later_percent: float | None
    later_n: int | None
    earlier_percent: float | None
    earlier_n: int | None
    change: float | None
    like_for_like: bool
    note: str | None

    def to_json(self) -> dict:
        return {
            "item": self.item_id,
            "option": self.option_id,
            "label": self.label,
            "earlier_item": self.earlier_item,
            "earlier": {"percent": self.earlier_percent, "n": self.earlier_n},
            "later": {"percent": self.later_percent, "n": self.later_n},
            "change": self.change,
            "like_for_like": self.like_for_like,
            "note": self.note,
        }


# --- comparing -------------------------------------------------------------------------------


def comparison_between(
    comparisons: Iterable[Comparison], later_ids: Iterable[str], earlier_ids: Iterable[str]
) -> Comparison | None:
    """The mapping from one of the earlier collection's frameworks to one of the later's."""
    later_ids, earlier_ids = set(later_ids), set(earlier_ids)
    return next((c for c in comparisons if c.later in later_ids and c.earlier in earlier_ids), None)


def _share(picture: NationalPicture, framework_id: str, item_id: str, options: tuple[str, ...]):
    figures = picture.item(framework_id, item_id)
    if figures is None or figures.suppressed or not figures.n:
        return None, None if figures is None else figures.n, None
    counts = [figures.option(o).count for o in options if figures.option(o) is not None]
    if any(c is None for c in counts):
        return None, figures.n, None
    count = sum(counts)
    return percent(count, figures.n), figures.n, count


def compare(
    comparison: Comparison, later: NationalPicture, earlier: NationalPicture
) -> list[ComparedFigure]:
    """Each mapped option of the later picture beside the earlier, with the change in points."""
    out = []
    for pair in comparison.pairs:
        now_item = later.item(comparison.later, pair.later)
        if now_item is None:
            continue  # the later collection's version lacks the item
        for later_opt, earlier_opts in pair.options:
            now_pct, now_n, now_count = _share(later, comparison.later, pair.later, (later_opt,))
            then_pct, then_n, then_count = _share(
                earlier, comparison.earlier, pair.earlier, earlier_opts
            )
            option = now_item.option(later_opt)
            out.append(
                ComparedFigure(
                    item_id=pair.later,
                    item_text=now_item.text,
                    option_id=later_opt,
                    label=option.label if option is not None else later_opt,
                    earlier_item=pair.earlier,
                    later_percent=now_pct,
                    later_n=now_n,
                    earlier_percent=then_pct,
                    earlier_n=then_n,
                    change=change_pp((now_count, now_n), (then_count, then_n)),
                    like_for_like=pair.like_for_like,
                    note=pair.note,
                )
            )
    return out


def unmapped_items(comparison: Comparison, later: NationalPicture) -> list[str]:
    """Items of the later survey the mapping gives no earlier counterpart."""
    mapped = comparison.item_ids()
    return [
        f.item_id
        for f in later.items.values()
        if f.framework_id == comparison.later and f.item_id not in mapped
    ]


@dataclass(frozen=True)
class PictureComparison:
    """A national picture beside an earlier collection's, on a survey mapping."""

    mapping: Comparison
    earlier_collection: str
    earlier_title: str
    figures: tuple[ComparedFigure, ...]
    unmapped: tuple[str, ...]

    def by_item(self) -> list[tuple[str, list[ComparedFigure]]]:
        out: dict[str, list[ComparedFigure]] = {}
        for f in self.figures:
            out.setdefault(f.item_id, []).append(f)
        return list(out.items())

    def to_json(self) -> dict:
        return {
            "mapping": self.mapping.id,
            "earlier_collection": self.earlier_collection,
            "earlier_framework": self.mapping.earlier,
            "later_framework": self.mapping.later,
            "figures": [f.to_json() for f in self.figures],
            "not_compared": list(self.unmapped),
        }


def compare_pictures(
    mappings: Iterable[Comparison],
    later: NationalPicture,
    later_frameworks: Iterable[str],
    earlier: NationalPicture,
    earlier_frameworks: Iterable[str],
) -> PictureComparison | None:
    """The later picture beside the earlier on the mapping between their surveys, or None when
    no mapping joins them."""
    mapping = comparison_between(mappings, later_frameworks, earlier_frameworks)
    if mapping is None:
        return None
    return PictureComparison(
        mapping,
        earlier.collection,
        earlier.title or earlier.collection,
        tuple(compare(mapping, later, earlier)),
        tuple(unmapped_items(mapping, later)),
    )
