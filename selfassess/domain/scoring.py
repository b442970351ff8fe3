"""Aggregation: from the partners' votes to item ratings, section RAGs and a framework's picture.

Plain Python (no Flask, no database). The input is what one grouped SQL query returns: rows of
(framework_id, item_id, agency, value, count), plus the ratings the board agreed. Every rating
and RAG computed here carries an ``explanation``: one plain-English sentence saying how it was
reached, so every page and document can show its working.

The rules:

- Scores come from the framework's scale (red 1, amber 2, green 3); the values the scale declares
  as counting as "don't know" or "not applicable" carry no score but are counted and shown.
- An item's derived rating is the median of its scored votes. With an even number of votes the
  median can fall between two levels; it then rounds towards red (the lower of the two).
- An item's rating is the board's agreed rating where there is one, else the derived rating,
  marked provisional.
- A section's RAG comes from its items' ratings by the framework's ``section_rule``.

The Hallmarks lens (the same answers grouped by a tag) is in ``selfassess.domain.lens``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from selfassess.domain import rating_words, sentences
from selfassess.domain.framework_checks import DONT_KNOW, NOT_APPLICABLE
from selfassess.domain.frameworks import Framework, FrameworkLibrary, Item, Section, SectionRule
from selfassess.domain.reference import AGENCIES
from selfassess.domain.strengths import StrengthsAndGaps, strengths_and_gaps

if TYPE_CHECKING:
    from selfassess.domain.lens import LensResult

__all__ = ["DONT_KNOW", "NOT_APPLICABLE"]  # the no-score meanings, re-exported for callers
DEFAULT_UNCERTAIN_SHARE = 0.3

# One row of the grouped query: framework_id, item_id, agency, value, count.
CountRow = tuple[str, str, str, str, int]


@dataclass(frozen=True)
class AgreedInput:
    """The rating the board agreed for an item (or carried forward from the last cycle)."""

    value: str
    rationale: str | None = None
    carried_forward: bool = False


@dataclass(frozen=True)
class ItemResult:
    """Everything the pages say about one item: the votes, the derived and the final rating.

    ``agreement`` is the share of the scored votes that equal the derived rating, as a whole
    percentage from 0 to 100 (rounded half up); None when there are no scored votes. 100 means
    every partner who gave a score gave the derived rating.
    """

    framework_id: str
    item: Item
    distribution: dict[str, int]  # scale value id -> votes, in scale order, zeros included
    by_agency: dict[str, dict[str, int]]  # agency -> its own distribution
    n: int  # all votes, scored or not
    n_scored: int
    dont_know: int
    not_applicable: int
    derived: str | None  # median of the scored votes, rounded towards red
    agreement: int | None
    agency_medians: dict[str, str]  # agency -> its own median (agencies with scored votes)
    contested: bool
    contested_reason: str | None
    uncertain: bool
    rating: str | None  # agreed where agreed, else derived; None when not rated at all
    rating_label: str | None
    rating_score: int | None
    provisional: bool
    carried_forward: bool
    rationale: str | None
    explanation: str

    @property
    def item_id(self) -> str:
        return self.item.id

    @property
    def agreed(self) -> bool:
        return not self.provisional

    @property
    def settled(self) -> bool:
        """The board agreed a rating in this cycle: that settles a contest or an uncertainty
        (a rating carried forward from the last cycle settles nothing)."""
        return self.agreed and not self.carried_forward

    @property
    def settled_note(self) -> str | None:
        """For a contested or uncertain item the board has agreed: the sentence that says so."""
        if not (self.settled and (self.contested or self.uncertain)):
            return None
        return sentences.settled_note_for(self.rating_label)


@dataclass(frozen=True)
class SectionResult:
    """A RAG for a group of items by a section rule: a section, a whole framework or a hallmark."""

    id: str
    name: str  # how sentences name it: "Principle 2", "IOM Key Principles", a hallmark's name
    title: str
    items: tuple[ItemResult, ...]
    score: float | None  # mean score, 2 decimal places; None when not rated
    rag: str | None  # a scale value id (red, amber, green), None when not rated
    rag_label: str | None
    items_scored: int
    items_total: int
    explanation: str

    @property
    def heading(self) -> str:
        """How a page heads it: "Principle 1: All partners…", or 'Enabler "Data and analysis"'
        where the name already holds the title (never the title twice)."""
        return self.name if self.title in self.name else f"{self.name}: {self.title}"

    @property
    def provisional(self) -> bool:
        """True when any item counted in the score is not yet agreed by the board."""
        return any(i.provisional for i in self.items if i.rating_score is not None)


@dataclass(frozen=True)
class FrameworkResult:
    framework: Framework
    items: tuple[ItemResult, ...]
    sections: tuple[SectionResult, ...]
    overall: SectionResult

    def item(self, item_id: str) -> ItemResult | None:
        return next((i for i in self.items if i.item_id == item_id), None)

    def section(self, section_id: str) -> SectionResult | None:
        return next((s for s in self.sections if s.id == section_id), None)


@dataclass(frozen=True)
class AssessmentResults:
    """What ``assess`` returns: one result per framework in the assessment's order, and lenses."""

    frameworks: tuple[FrameworkResult, ...]
    lenses: tuple[LensResult, ...]

    def framework(self, framework_id: str) -> FrameworkResult | None:
        return next((r for r in self.frameworks if r.framework.id == framework_id), None)

    @property
    def lens(self) -> LensResult | None:
        return self.lenses[0] if self.lenses else None

    def strengths_and_gaps(self) -> StrengthsAndGaps:
        return strengths_and_gaps(self.frameworks)


# --- items ------------------------------------------------------------------------------


def agreed_choices(framework: Framework) -> list[tuple[str, str]]:
    """What a board can agree for a question, wherever it agrees it: the scored ratings, and not
    applicable where the scale has it (not "don't know": agreeing settles the question)."""
    return [
        (v.id, v.label)
        for v in framework.scale
        if v.score is not None or v.counts_as == NOT_APPLICABLE
    ]


def low_median(scores: Sequence[int]) -> int | None:
    """The median of some scores; between two levels, the lower one (towards red)."""
    if not scores:
        return None
    ordered = sorted(scores)
    return ordered[(len(ordered) - 1) // 2]


def _agency_order(agency: str) -> tuple[int, str]:
    known = [a for a, _ in AGENCIES]
    return (known.index(agency) if agency in known else len(known), agency)


def item_result(
    framework: Framework,
    item: Item,
    votes: Mapping[str, Mapping[str, int]] | None = None,
    agreed: AgreedInput | None = None,
    uncertain_share: float = DEFAULT_UNCERTAIN_SHARE,
) -> ItemResult:
    """Aggregate one item's votes, given as {agency: {scale value id: count}}.

    Values that are not on the framework's scale are left out (they cannot be shown or scored).
    """
    scores = {v.id: v.score for v in framework.scale}
    levels = sorted({s for s in scores.values() if s is not None})
    by_score = {v.score: v.id for v in framework.scale if v.score is not None}

    distribution = dict.fromkeys(scores, 0)
    by_agency: dict[str, dict[str, int]] = {}
    scored: list[int] = []
    agency_scores: dict[str, list[int]] = {}
    for agency in sorted(votes or {}, key=_agency_order):
        counts = dict.fromkeys(scores, 0)
        for value, count in votes[agency].items():
            if value in counts and count:
                counts[value] += count
                distribution[value] += count
                if scores[value] is not None:
                    scored.extend([scores[value]] * count)
                    agency_scores.setdefault(agency, []).extend([scores[value]] * count)
        if any(counts.values()):
            by_agency[agency] = counts

    n = sum(distribution.values())
    # The scale says which of its values count as which kind of no score.
    meaning = {v.id: v.counts_as for v in framework.scale}
    dont_know = sum(c for vid, c in distribution.items() if meaning[vid] == DONT_KNOW)
    not_applicable = sum(c for vid, c in distribution.items() if meaning[vid] == NOT_APPLICABLE)
    median = low_median(scored)
    derived = by_score[median] if median is not None else None
    agreement = None
    if scored:
        agreement = int(Fraction(100 * scored.count(median), len(scored)) + Fraction(1, 2))
    agency_medians = {a: by_score[low_median(s)] for a, s in agency_scores.items()}

    # Contested: the scale's two ends both voted, or two agencies' medians two levels apart.
    ends = None
    if levels and levels[0] in scored and levels[-1] in scored and len(levels) > 2:
        ends = (by_score[levels[0]], by_score[levels[-1]])
    apart = None
    if agency_medians:
        rank = {a: levels.index(scores[v]) for a, v in agency_medians.items()}
        low, high = min(rank, key=rank.get), max(rank, key=rank.get)
        if rank[high] - rank[low] >= 2:
            # Each agency's own middle rating: "Police rated it red and Housing green".
            apart = (low, agency_medians[low], high, agency_medians[high])
    reason = sentences.contested_reason(framework, ends, apart)
    uncertain = n > 0 and dont_know >= Fraction(str(uncertain_share)) * n

    rating = agreed.value if agreed is not None else derived
    explanation = sentences.item_explanation(
        framework,
        agreed=agreed.value if agreed is not None else None,
        carried_forward=bool(agreed and agreed.carried_forward),
        derived=derived,
        scored=len(scored),
        n=n,
        unscored_counts={DONT_KNOW: dont_know, NOT_APPLICABLE: not_applicable},
    )

    value = framework.scale_value(rating) if rating else None
    return ItemResult(
        framework_id=framework.id,
        item=item,
        distribution=distribution,
        by_agency=by_agency,
        n=n,
        n_scored=len(scored),
        dont_know=dont_know,
        not_applicable=not_applicable,
        derived=derived,
        agreement=agreement,
        agency_medians=agency_medians,
        contested=reason is not None,
        contested_reason=reason,
        uncertain=uncertain,
        rating=rating,
        rating_label=value.label if value else rating,
        rating_score=value.score if value else None,
        provisional=agreed is None,
        carried_forward=bool(agreed and agreed.carried_forward),
        rationale=agreed.rationale if agreed else None,
        explanation=explanation,
    )


# --- sections and frameworks ------------------------------------------------------------


def rate_group(
    framework: Framework,
    rule: SectionRule,
    items: Iterable[ItemResult],
    *,
    id: str,
    name: str,
    title: str,
) -> SectionResult:
    """Apply a section rule to some item results. Only items with a scored rating count.

    Method "mean": the mean of the scores of the items' ratings; green when it is at least
    ``green_at_least``, amber when at least ``amber_at_least``, else red; not rated when fewer
    than ``min_scored_items`` items have a scored rating. The comparison is exact (fractions),
    so a mean of exactly 2.5 is green when green needs 2.5.
    """
    if rule.method != "mean":
        raise ValueError(f"{framework.id}: unknown section rule method {rule.method!r}")
    items_ = tuple(items)
    scores = [i.rating_score for i in items_ if i.rating_score is not None]
    total = len(items_)
    if len(scores) < rule.min_scored_items:
        explanation = sentences.group_not_rated(
            name,
            lambda language: framework.in_language(framework.item_label_plural, language).lower(),
            len(scores),
            total,
            rule.min_scored_items,
        )
        return SectionResult(
            id, name, title, items_, None, None, None, len(scores), total, explanation
        )

    mean = Fraction(sum(scores), len(scores))
    if mean >= Fraction(str(rule.green_at_least)):
        rag = "green"
    elif mean >= Fraction(str(rule.amber_at_least)):
        rag = "amber"
    else:
        rag = "red"
    value = framework.scale_value(rag)
    label = value.label if value else rag
    score = float(int(mean * 100 + Fraction(1, 2))) / 100  # 2 dp, half up: 2.125 -> 2.13
    explanation = sentences.Sentence(
        lambda t, language: rating_words.section_sentence(
            framework,
            rule,
            sentences.said(name, t, language),
            label,
            mean,
            len(scores),
            total,
            t,
            language,
        )
    )
    return SectionResult(
        id, name, title, items_, score, rag, label, len(scores), total, explanation
    )


def section_name(framework: Framework, section: Section) -> str:
    """How sentences name a section: "Principle 2", or 'Enabler "Data and analysis"'."""
    return sentences.section_name(framework, section)


def framework_result(
    framework: Framework,
    votes: Mapping[str, Mapping[str, Mapping[str, int]]] | None = None,
    agreed: Mapping[str, AgreedInput] | None = None,
    uncertain_share: float = DEFAULT_UNCERTAIN_SHARE,
) -> FrameworkResult:
    """Results for one rated framework; votes as {item_id: {agency: {value: count}}}."""
    if framework.section_rule is None:
        raise ValueError(f"{framework.id} is not a rated framework (kind {framework.kind!r})")
    votes, agreed = votes or {}, agreed or {}
    by_id = {
        item.id: item_result(
            framework, item, votes.get(item.id), agreed.get(item.id), uncertain_share
        )
        for item in framework.items
    }
    rule = framework.section_rule
    sections = tuple(
        rate_group(
            framework,
            rule,
            (by_id[i.id] for i in section.items),
            id=section.id,
            name=section_name(framework, section),
            title=section.title,
        )
        for section in framework.sections
    )
    overall = rate_group(
        framework,
        rule,
        by_id.values(),
        id=framework.id,
        name=sentences.overall_name(framework),
        title=framework.title,
    )
    return FrameworkResult(framework, tuple(by_id.values()), sections, overall)


# --- one call for the views -------------------------------------------------------------


def group_rows(rows: Iterable[CountRow]) -> dict[str, dict[str, dict[str, dict[str, int]]]]:
    """Rows of (framework_id, item_id, agency, value, count) as nested dicts, counts summed."""
    grouped: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(int))))
    for framework_id, item_id, agency, value, count in rows:
        if value is not None:
            grouped[framework_id][item_id][agency or ""][value] += int(count)
    return grouped


def assess(
    library: FrameworkLibrary,
    framework_versions: Iterable[tuple[str, str]],
    rows: Iterable[CountRow],
    agreed: Mapping[tuple[str, str], AgreedInput] | None = None,
    uncertain_share: float = DEFAULT_UNCERTAIN_SHARE,
) -> AssessmentResults:
    """Results for each rated framework of an assessment, in its order, and the lenses over them.

    ``framework_versions`` lists (framework_id, version) as the assessment pinned them; a
    version missing from the library raises FrameworkVersionNotFound. Frameworks that are not
    rated (surveys, lenses) are skipped, as are rows for frameworks or items the assessment
    does not cover.
    """
    from selfassess.domain.lens import lens_results  # lens builds on this module

    votes = group_rows(rows)
    agreed_by_fw: dict[str, dict[str, AgreedInput]] = defaultdict(dict)
    for (framework_id, item_id), value in (agreed or {}).items():
        agreed_by_fw[framework_id][item_id] = value
    results = []
    for framework_id, version in framework_versions:
        framework = library.resolve(framework_id, version)
        if framework.is_rated:
            results.append(
                framework_result(
                    framework,
                    votes.get(framework_id),
                    agreed_by_fw.get(framework_id),
                    uncertain_share,
                )
            )
    return AssessmentResults(tuple(results), tuple(lens_results(library, results)))
