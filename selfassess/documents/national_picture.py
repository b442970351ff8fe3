"""The national picture as a PDF report for analysts (exports/national_picture.html).

What it shows is what the national picture page shows, from the same queries: the response
rate overall and by region, then per section and per item the share at each answer with n and
missing, its chart with the data table, the change since the previous collection and (for the
national report) the breakdown by region, where groups under the threshold are suppressed.
Rendering goes through the reports' PDF machinery (``selfassess.documents.pdf``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext

from selfassess.documents import pdf as documents
from selfassess.documents import picture_rows as kept
from selfassess.documents.charts import Chart
from selfassess.documents.language import current_language, local, use_language
from selfassess.documents.national_charts import picture_charts
from selfassess.domain.i18n import N_
from selfassess.domain.national_figures import ARRANGEMENT, ItemFigures, SectionFigures
from selfassess.domain.reference import REGIONS, region_name
from selfassess.extensions import db
from selfassess.models import Collection
from selfassess.queries import national as q

MULTI_NOTE = N_(
    "Percentages do not add up to 100 because partnerships could choose more than one answer."
)


@dataclass
class Entry:
    """One section or item: its figures, its chart (None when nothing can be drawn) and, in the
    national report, the same figures per region (suppressed below the threshold)."""

    figures: ItemFigures | SectionFigures
    heading: str
    unit_word: str
    chart: Chart | None
    regions: list[tuple[str, ItemFigures | SectionFigures]] = field(default_factory=list)


@dataclass
class Part:
    """A heading of the contents: one framework's section ratings, or its questions."""

    anchor: str
    title: str
    framework_title: str
    entries: list[Entry]


def _regional(pictures, region_order, get) -> list[tuple[str, object]]:
    out = []
    for region in region_order:
        found = get(pictures[region])
        if found is not None:
            out.append((gettext(region_name(region)), found))
    return out


def picture_context(
    collection: Collection, region: str | None = None, earlier: Collection | None = None
) -> dict:
    """Everything exports/national_picture.html needs."""
    picture = kept.national_picture(collection, region=region)
    comparison = (
        kept.compared_with(collection, earlier, picture)
        if earlier is not None and region is None
        else None
    )
    charts = picture_charts((collection.id, region), picture)
    fws = q.collection_frameworks(collection)
    by_id = {fw.id: fw for fw in fws}
    regional = {}
    order: list[str] = []
    if region is None:
        regional = kept.regional_pictures(collection, with_previous=True)
        with_returns = set(q.distinct_regions_with_returns(collection))
        order = [r for r, _ in REGIONS if r in with_returns]
        order += sorted(r for r in with_returns if r not in order and r in regional)

    parts: list[Part] = []
    for fid, sections in picture.sections.items():
        fw = by_id.get(fid)
        if fw is None or not sections:
            continue
        entries = [
            Entry(
                s,
                fw.section_heading(sid, current_language()),
                "partnerships",
                charts[("section", fid, sid)],
                _regional(regional, order, lambda p, f=fid, s_=sid: p.section(f, s_)),
            )
            for sid, s in sections.items()
        ]
        parts.append(
            Part(
                f"sections-{fid}",
                gettext("Section ratings: %(framework)s", framework=local(fw.name)),
                local(fw.title),
                entries,
            )
        )
    for fw in fws:
        items = [f for f in picture.items.values() if f.framework_id == fw.id]
        if not items:
            continue
        entries = []
        for f in items:
            unit_word = "arrangements" if f.unit == ARRANGEMENT else "partnerships"
            entries.append(
                Entry(
                    f,
                    f"{f.item_id}. {local(f.text)}",
                    unit_word,
                    charts[("item", f.key)],
                    _regional(regional, order, lambda p, k=f.key: p.items.get(k)),
                )
            )
        if fw.is_rated:
            heading = gettext("Ratings: %(framework)s", framework=local(fw.name))
        else:
            heading = gettext("Questions: %(framework)s", framework=local(fw.name))
        parts.append(Part(f"items-{fw.id}", heading, local(fw.title), entries))

    rates = q.response_rates(collection)
    return {
        "collection": collection,
        "frameworks": fws,
        "picture": picture,
        "region": region,
        "region_label": gettext(region_name(region)) if region else None,
        "rates": rates,
        "parts": parts,
        "threshold": q.threshold_or_default(None),
        "multi_note": gettext(MULTI_NOTE),
        "earlier": earlier,
        "comparison": comparison,
        "combined_regions": (
            [(gettext(region_name(r)), regional[r]) for r in order] if regional else []
        ),
    }


def picture_pdf_key(
    collection: Collection,
    region: str | None,
    marking: str,
    earlier: Collection | None = None,
    language: str = "en",
) -> tuple:
    """Everything the PDF shows depends on: the collection's returns (and the previous one's,
    and those of the one it is compared with), the region, the marking and the suppression
    threshold."""
    previous = q.previous_collection(collection)
    return (
        "national-picture",
        collection.id,
        collection.title,
        region,
        marking,
        q.threshold_or_default(None),
        q.returns_fingerprint(collection),
        q.returns_fingerprint(previous) if previous else None,
        (earlier.id, earlier.title, q.returns_fingerprint(earlier)) if earlier else None,
        language,
    )


def render_picture_pdf(
    collection: Collection,
    region: str | None,
    marking: str,
    earlier: Collection | None = None,
    language: str = "en",
) -> bytes:
    """The PDF in the reader's language (its words, charts, region and framework texts)."""
    with use_language(language):
        return documents.render_pdf(
            "national_picture.html",
            marking=marking,
            **picture_context(collection, region, earlier),
        )


def render_picture_pdf_for(
    collection_id: int,
    region: str | None,
    marking: str,
    earlier_id: int | None = None,
    language: str = "en",
) -> bytes:
    """The PDF built by a background job, which has the collections' ids, not the collections."""
    earlier = db.session.get(Collection, earlier_id) if earlier_id is not None else None
    return render_picture_pdf(
        db.session.get(Collection, collection_id), region, marking, earlier, language
    )


def picture_pdf(
    collection: Collection,
    region: str | None,
    marking: str,
    earlier: Collection | None = None,
    language: str = "en",
) -> bytes:
    """The PDF, made once per state of the collection (and of the one before it, and of the
    one it is compared with)."""
    return documents.cached_pdf(
        picture_pdf_key(collection, region, marking, earlier, language),
        lambda: render_picture_pdf(collection, region, marking, earlier, language),
    )
