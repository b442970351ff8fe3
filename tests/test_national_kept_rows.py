"""The national picture is built from rows kept per state of the collection's returns: the same
picture as one grouped afresh, changed as soon as a return is stored, and no grouping over the
answers while nothing changed."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from sqlalchemy import event

from selfassess.documents import picture_rows as kept
from selfassess.documents import shared_cache
from selfassess.extensions import db
from selfassess.queries import national as q
from selfassess.services.collections import create_collection
from tests.conftest import close_second_app, second_app
from tests.factories import make_partnership
from tests.national_helpers import KP, REGIONS, S, import_rows, known_returns


@pytest.fixture
def collections(app):
    """Last year's collection with the known returns, this year's with the first nine."""
    partnerships = [make_partnership(region=region) for region in REGIONS]
    codes = [p.code for p in partnerships]
    earlier = create_collection(
        "National returns 2012", "returns-2012", [KP, S], date(2012, 4, 1), date(2012, 5, 31),
        expected=partnerships,
    )  # fmt: skip
    collection = create_collection(
        "National returns 2013", "returns-2013", [KP, S], date(2013, 4, 1), date(2013, 5, 31),
        expected=partnerships,
    )  # fmt: skip
    import_rows(earlier, known_returns(codes))
    import_rows(collection, known_returns(codes)[:9])
    db.session.commit()
    return earlier, collection, partnerships


@contextlib.contextmanager
def statements():
    """The SQL statements run meanwhile, whitespace collapsed."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, _parameters, _context, _many):
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def _computed(collection, region=None):
    return q.national_picture(collection, region=region).to_json(detail=True)


def _kept(collection, region=None):
    return kept.national_picture(collection, region=region).to_json(detail=True)


def _green(picture: dict) -> int:
    return picture["sections"][KP]["1"]["options"]["green"]["count"]


def test_the_picture_from_kept_rows_is_the_picture_grouped_afresh(collections):
    earlier, collection, _ = collections
    computed = _computed(collection)
    assert _kept(collection) == computed  # made and kept
    assert _kept(collection) == computed  # from the kept rows
    assert _kept(earlier) == _computed(earlier)
    for region in ("north_west", "london", "wales"):  # wales is suppressed: fewer than 3
        assert _kept(collection, region) == _computed(collection, region)
        assert _kept(collection, region) == _computed(collection, region)
    assert kept.compared_with(collection, earlier) == q.compared_with(collection, earlier)


def test_a_second_view_while_nothing_changed_groups_no_answers(collections):
    _, collection, _ = collections
    _kept(collection)
    kept.national_picture(collection, region="london")
    with statements() as seen:
        again = _kept(collection)
        kept.national_picture(collection, region="london")
    assert again == _computed(collection)
    assert seen, "the state of the returns is read every time"
    assert not [s for s in seen if "return_answer" in s], seen


def test_a_return_stored_through_the_service_shows_at_once(collections):
    _, collection, partnerships = collections
    codes = [p.code for p in partnerships]
    before = _kept(collection)
    assert before["returns"] == 9

    # The tenth partnership's return comes in.
    import_rows(collection, known_returns(codes)[9:])
    db.session.commit()
    added = _kept(collection)
    assert added["returns"] == 10 and added == _computed(collection)

    # The tenth replaces its return, now rating 1.1 green: one more green for principle 1.
    replaced = known_returns(codes)[9]
    replaced.answers[(KP, "1.1")] = ["green"]
    import_rows(collection, [replaced], replace=True)
    db.session.commit()
    after = _kept(collection)
    assert _green(after) == _green(added) + 1
    assert after == _computed(collection)
    assert _kept(collection, "wales") == _computed(collection, "wales")


def test_a_partnership_moved_to_another_region_moves_its_answers(collections):
    _, collection, partnerships = collections
    before = kept.national_picture(collection, region="london")
    assert before.returns == 3
    partnerships[0].region = "london"  # north_west's r1 is London's now
    db.session.commit()
    moved = kept.national_picture(collection, region="london")
    assert moved.returns == 4
    assert _kept(collection, "london") == _computed(collection, "london")


def test_app_servers_sharing_redis_share_the_kept_rows(app, collections, redis_url):
    _, collection, partnerships = collections
    shared_cache.configure(redis_url, prefix="test:kept-rows:")
    other = second_app(app, REDIS_URL=redis_url)
    shared_cache.configure(redis_url, prefix="test:kept-rows:")
    try:
        kept.clear_cache()
        first = _kept(collection)  # made by this app server, kept in Redis
        with other.app_context():
            theirs = db.session.get(type(collection), collection.id)
            with statements() as seen:
                assert _kept(theirs) == first
            assert not [s for s in seen if "return_answer" in s], seen
        replaced = known_returns([p.code for p in partnerships])[8]
        replaced.answers[(KP, "1.1")] = ["green"]  # r9 said "don't know"
        import_rows(collection, [replaced], replace=True)
        db.session.commit()
        with other.app_context():
            theirs = db.session.get(type(collection), collection.id)
            changed = _kept(theirs)
        assert _green(changed) == _green(first) + 1
        assert changed == _computed(collection)
    finally:
        kept.clear_cache()
        close_second_app(other)
        shared_cache.configure(None)
