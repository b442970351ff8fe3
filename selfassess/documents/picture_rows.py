"""The national picture, built from rows kept per state of the collection's returns.

Grouping every answer of a collection is most of a national picture's cost, yet the rows only
change when returns are stored (an import, a submission, a replacement). So the rows each
picture is built from (``selfassess.queries.national.picture_rows``: plain lists of tuples) are
kept in the shared cache (``selfassess.documents.shared_cache``), keyed by the collection, its
framework versions and the state of its returns (``returns_state``, one small statement over
``return``); a view while nothing changed builds the picture from them without grouping. A
region's rows are keyed by the returns' state region by region, so a partnership moved to
another region is a new key. Suppression is applied as the picture is built, after: it is not
in the rows.

Every page, document, API answer and command that shows the national picture asks here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal

from selfassess.documents.shared_cache import Kept
from selfassess.domain.frameworks import Framework
from selfassess.domain.national import NationalPicture
from selfassess.domain.national_comparison import PictureComparison
from selfassess.models import Collection
from selfassess.queries import national as q

# The national and regional rows of a few collections (each is tens of kilobytes at most).
ROWS_KEPT = 32


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _encode(rows: q.PictureRows) -> bytes:
    return json.dumps(rows, default=_number).encode("utf-8")


def _decode(data: bytes) -> q.PictureRows:
    # JSON keeps the rows' tuples as lists.
    return {name: [tuple(row) for row in found] for name, found in json.loads(data).items()}


_rows: Kept[q.PictureRows] = Kept("picture-rows", ROWS_KEPT, _encode, _decode)


def kept_rows(
    collection: Collection, fws: Sequence[Framework], by_region: bool = False
) -> q.PictureRows:
    """The rows the collection's picture (with by_region, its regions' pictures) is built
    from: grouped once per state of its returns."""
    state = q.regional_returns_state(collection.id) if by_region else q.returns_state(collection.id)
    key = (collection.id, tuple((fw.id, fw.version) for fw in fws), by_region, state)
    return _rows.get_or_make(key, lambda: q.picture_rows(collection, fws, by_region))


def national_picture(
    collection: Collection,
    region: str | None = None,
    threshold: int | None = None,
    with_previous: bool = True,
) -> NationalPicture:
    """``selfassess.queries.national.national_picture`` from kept rows."""
    return q.national_picture(collection, region, threshold, with_previous, rows=kept_rows)


def regional_pictures(
    collection: Collection,
    threshold: int | None = None,
    with_previous: bool = True,
    regions: Sequence[str] | None = None,
) -> dict[str, NationalPicture]:
    """``selfassess.queries.national.regional_pictures`` from kept rows."""
    return q.regional_pictures(collection, threshold, with_previous, regions, rows=kept_rows)


def compared_with(
    collection: Collection, earlier: Collection, picture: NationalPicture | None = None
) -> PictureComparison | None:
    """``selfassess.queries.national.compared_with`` from kept rows."""
    return q.compared_with(collection, earlier, picture, rows=kept_rows)


def clear_cache() -> None:
    _rows.clear()
