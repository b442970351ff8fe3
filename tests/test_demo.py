"""The demo data `make run` loads."""

from sqlalchemy import func, select

from selfassess.demo.partnership import load_demo
from selfassess.extensions import db
from selfassess.models import Participant, Partnership, Rating


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
