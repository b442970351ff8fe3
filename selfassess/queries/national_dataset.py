"""The national dataset, for SPSS, Stata, CSV and Excel: every answer of a collection's returns,
one row per return and item (and arrangement), and one row per return.

Section RAGs, stored with the answers (``item_id`` ``section:<section id>``), are left out.
"""

from __future__ import annotations

from sqlalchemy import select

from selfassess.domain.national import collection_items
from selfassess.extensions import db
from selfassess.models import Collection, Partnership, Return, ReturnAnswer
from selfassess.queries.national import collection_frameworks
from selfassess.queries.national_rows import SECTION_PREFIX


def _is_item():
    return ~ReturnAnswer.item_id.startswith(SECTION_PREFIX)


def dataset_rows(collection: Collection) -> list[dict]:
    """The national dataset: one row per return × item (× arrangement), values joined by ';'."""
    fws = collection_frameworks(collection)
    keys = {(ci.framework_id, ci.item_id): ci.key for ci in collection_items(fws)}
    order = {k: i for i, k in enumerate(keys)}
    stmt = (
        select(
            Partnership.code,
            Partnership.name,
            Partnership.region,
            Return.version,
            Return.source,
            ReturnAnswer.framework_id,
            ReturnAnswer.item_id,
            ReturnAnswer.arrangement,
            ReturnAnswer.value,
        )
        .join(Return, Return.id == ReturnAnswer.return_id)
        .join(Partnership, Partnership.id == Return.partnership_id)
        .where(ReturnAnswer.collection_id == collection.id, _is_item())
        .order_by(Partnership.code, ReturnAnswer.arrangement, ReturnAnswer.id)
    )
    grouped: dict[tuple, dict] = {}
    for code, name, region, version, source, fid, iid, arr, value in db.session.execute(stmt):
        key = (code, fid, iid, arr)
        row = grouped.get(key)
        if row is None:
            row = grouped[key] = {
                "collection": collection.slug,
                "partnership_code": code,
                "partnership": name,
                "region": region,
                "return_version": version,
                "source": source,
                "framework": fid,
                "item": keys.get((fid, iid), iid),
                "arrangement": arr or None,
                "values": [],
            }
        row["values"].append(value)
    rows = sorted(
        grouped.values(),
        key=lambda r: (
            r["partnership_code"],
            order.get((r["framework"], r["item"]), order.get(_pair(r, keys), 10**6)),
            r["arrangement"] or 0,
        ),
    )
    for row in rows:
        row["value"] = ";".join(row.pop("values"))
    return rows


def dataset_items(collection: Collection):
    """The collection's answerable items, with their keys in reports and files."""
    return collection_items(collection_frameworks(collection))


def dataset_returns(collection: Collection) -> list[dict]:
    """One dict per return: whose it is, its version, how it was made, its arrangements."""
    rows = db.session.execute(
        select(
            Partnership.code,
            Partnership.name,
            Partnership.region,
            Return.version,
            Return.source,
            Return.arrangements,
        )
        .join(Partnership, Partnership.id == Return.partnership_id)
        .where(Return.collection_id == collection.id)
        .order_by(Partnership.code)
    )
    return [
        {
            "collection": collection.slug,
            "partnership_code": code,
            "partnership": name,
            "region": region,
            "return_version": version,
            "source": source,
            "arrangements": arrangements,
        }
        for code, name, region, version, source, arrangements in rows
    ]


def _pair(row: dict, keys: dict) -> tuple[str, str]:
    for pair, key in keys.items():
        if key == row["item"] and pair[0] == row["framework"]:
            return pair
    return (row["framework"], row["item"])


DATASET_COLUMNS = (
    "collection",
    "partnership_code",
    "partnership",
    "region",
    "return_version",
    "source",
    "framework",
    "item",
    "arrangement",
    "value",
)
