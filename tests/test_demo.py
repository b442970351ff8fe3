"""The demo data `make run` loads."""

from sqlalchemy import func, select

from selfassess.demo.partnership import DEMO_TITLE, load_demo
from selfassess.demo.showcase import load_everything
from selfassess.extensions import db
from selfassess.models import (
    Assessment,
    Collection,
    CollectionPartnership,
    Participant,
    Partnership,
    Rating,
)


def test_demo_partnership_has_six_rating_agencies_who_disagree(app):
    assert load_demo() is True
    assert load_demo() is False  # idempotent
    assert db.session.scalar(select(func.count()).select_from(Partnership)) == 1
    agencies = set(db.session.scalars(select(Participant.agency)))
    assert len(agencies) >= 6
    by_item: dict[str, set[str]] = {}
    for item_id, value in db.session.execute(
        select(Rating.item_id, Rating.value).where(Rating.framework_id == "iom-key-principles")
    ):
        by_item.setdefault(item_id, set()).add(value)
    contested = [i for i, values in by_item.items() if {"red", "green"} <= values]
    assert len(contested) >= 3


def _row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_loading_the_demo_again_changes_nothing(app):
    assert load_everything() is True
    first = _row_counts()
    assert load_everything() is False
    assert _row_counts() == first
    # Every role has something: a last cycle, a workshop held, two national rounds.
    assert first["workshop_session"] == 1
    assert first["collection"] == 2
    assert first["return"] > 40


def test_a_demo_loaded_before_gains_the_last_cycle_workshop_and_national_rounds(app):
    assert load_demo() is True  # what an older `demo load` made
    assert load_everything() is True
    current = db.session.scalar(select(Assessment).filter_by(title=DEMO_TITLE))
    assert current.previous is not None
    assert current.previous.status == "agreed"
    collections = db.session.scalars(select(Collection).order_by(Collection.opens_on)).all()
    assert len(collections) == 2
    expected = {
        cp.partnership_id
        for cp in db.session.scalars(
            select(CollectionPartnership).filter_by(collection_id=collections[-1].id)
        )
    }
    assert current.partnership_id in expected  # the lead has a return to make
