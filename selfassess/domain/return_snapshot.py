"""What a return stores: its answer rows and its snapshot. Plain Python (no Flask, no database).

A return is one row per chosen option per unit (``(framework_id, item_id, arrangement, value)``,
arrangement 0 being the partnership), plus one row per section RAG of a rated framework whose
item id is ``section:<section id>``, so the national picture is grouped counts. Its snapshot is
the same return as one JSON document, kept whole for the analyst's page and for history. A
submission from the app, an import and the demo data all build them here, so they look alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from selfassess.domain.frameworks import Framework, FrameworkLibrary
from selfassess.domain.scoring import AgreedInput, assess

SECTION_PREFIX = "section:"
RAGS = ("red", "amber", "green")
AnswerRow = tuple[str, str, int, str]  # framework_id, item_id, arrangement, value


def section_rows(sections: Mapping[str, Mapping[str, str | None]]) -> list[AnswerRow]:
    """The stored rows of section RAGs ({fid: {section_id: rag or None}}): sections without a
    RAG have none."""
    return [
        (fid, f"{SECTION_PREFIX}{sid}", 0, rag)
        for fid, by_id in sections.items()
        for sid, rag in by_id.items()
        if rag in RAGS
    ]


def survey_snapshot(rows: Iterable[AnswerRow]) -> dict[str, dict[str, dict[str, list[str]]]]:
    """Survey answer rows as the snapshot holds them: {fid: {item_id: {arrangement: [values]}}}."""
    out: dict[str, dict[str, dict[str, list[str]]]] = {}
    for fid, iid, arr, value in rows:
        out.setdefault(fid, {}).setdefault(iid, {}).setdefault(str(arr), []).append(value)
    return out


def return_snapshot(
    collection_slug: str,
    partnership_code: str,
    assessment_id: int | None,
    frameworks: Sequence[Framework],
    ratings: Mapping[str, Any],
    sections: Mapping[str, Mapping[str, str | None]],
    survey: Iterable[AnswerRow],
    arrangements: int,
) -> dict[str, Any]:
    """The snapshot of a return (its version is added as it is stored)."""
    return {
        "collection": collection_slug,
        "partnership_code": partnership_code,
        "assessment_id": assessment_id,
        "frameworks": [{"id": fw.id, "version": fw.version} for fw in frameworks],
        "ratings": ratings,
        "sections": sections,
        "survey": survey_snapshot(survey),
        "arrangements": arrangements,
    }


def section_rags(
    library: FrameworkLibrary,
    frameworks: Iterable[Framework],
    values: Mapping[tuple[str, str], str],
) -> dict[str, dict[str, str | None]]:
    """Section RAGs of the rated frameworks from item ratings ((fid, iid) -> value), as scoring
    computes them: {fid: {section_id: rag or None}}."""
    rated = [fw for fw in frameworks if fw.is_rated]
    if not rated:
        return {}
    agreed = {key: AgreedInput(value) for key, value in values.items()}
    results = assess(library, [(fw.id, fw.version) for fw in rated], [], agreed)
    return {r.framework.id: {s.id: s.rag for s in r.sections} for r in results.frameworks}
