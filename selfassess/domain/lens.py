"""Lenses: the same item ratings read a second way, grouped by a tag.

A rated framework declares tags whose values are the items of one version of another framework
(for example ``tags: {hallmarks: {framework: hallmarks, version: "2010.1"}}``). When that
other framework is of kind ``lens``, each of its items (each Hallmark) gets a RAG from the
ratings of the items tagged with it, by the same section rule as the frameworks those items
come from. Plain Python, no Flask.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from selfassess.domain.frameworks import Framework, FrameworkLibrary
from selfassess.domain.scoring import FrameworkResult, SectionResult, rate_group


@dataclass(frozen=True)
class LensResult:
    """One lens over an assessment: a RAG per lens item (e.g. per Hallmark), in the lens's order.

    ``rule_from`` is the framework whose section rule scored the groups: the first framework,
    in the assessment's order, whose items carry the tag.
    """

    framework: Framework  # the lens framework itself
    tag: str
    rule_from: str
    groups: tuple[SectionResult, ...]  # each holds the tagged item results it was scored from

    def group(self, lens_item_id: str) -> SectionResult | None:
        return next((g for g in self.groups if g.id == lens_item_id), None)


def lens_results(library: FrameworkLibrary, results: Iterable[FrameworkResult]) -> list[LensResult]:
    """Every lens the given framework results can be read through, in order of first use.

    Items from several frameworks that share a tag (Key Principles, PPO, DIP all tag
    ``hallmarks``) are pooled; an item tagged with two Hallmarks counts towards both.
    """
    results = [r for r in results if r.framework.section_rule is not None]
    # Keyed by the pinned lens version too: items tagged against different versions of a lens
    # are different groupings and are never pooled.
    users: dict[tuple[str, str, str], list[FrameworkResult]] = {}
    for r in results:
        for tag, source_id in r.framework.tag_sources.items():
            version = r.framework.tag_versions[tag]
            if library.resolve(source_id, version).kind == "lens":
                users.setdefault((tag, source_id, version), []).append(r)

    out = []
    for (tag, source_id, version), tagged in users.items():
        lens = library.resolve(source_id, version)
        ruler = tagged[0].framework
        groups = tuple(
            rate_group(
                ruler,
                ruler.section_rule,
                (i for r in tagged for i in r.items if lens_item.id in i.item.tags.get(tag, ())),
                id=lens_item.id,
                name=lens_item.text,
                title=lens_item.text,
            )
            for lens_item in lens.items
        )
        out.append(LensResult(lens, tag, ruler.id, groups))
    return out
