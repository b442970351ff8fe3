"""Two saves of the same person's first rating of an item at the same moment (a double tap on a
phone, or autosave beside the Save button): both succeed, one rating, nothing lost."""

from __future__ import annotations

from sqlalchemy import create_engine, event, insert

from selfassess.extensions import db
from selfassess.models import AuditEvent, Rating
from selfassess.services.agreement import participant_for, save_rating
from tests.factories import make_assessment, make_partnership, make_user

KP = "iom-key-principles"


def test_a_first_rating_saved_twice_at_once_ends_as_one_rating(app):
    partnership = make_partnership()
    member = make_user(partnership, "member", agency="police")
    assessment = make_assessment(partnership)
    participant = participant_for(assessment, member, create=True)
    db.session.commit()
    ids = (assessment.id, participant.id)

    # The other save commits its new rating between this save's look-up and its insert.
    other = create_engine(db.engine.url)
    fired = []

    def the_other_save_lands_first(session, context, instances):
        if fired:
            return
        fired.append(True)
        with other.begin() as connection:
            connection.execute(
                insert(Rating).values(
                    assessment_id=ids[0],
                    participant_id=ids[1],
                    framework_id=KP,
                    framework_version="2010.1",
                    item_id="1.1",
                    value="red",
                )
            )

    event.listen(db.session, "before_flush", the_other_save_lands_first)
    try:
        saved = save_rating(participant, KP, "1.1", "amber", "Signed protocol", None, member)
    finally:
        event.remove(db.session, "before_flush", the_other_save_lands_first)
        other.dispose()

    assert fired
    ratings = db.session.execute(db.select(Rating).filter_by(item_id="1.1")).scalars().all()
    assert len(ratings) == 1
    # The later save is the one that stands, and its change from the other is in the history.
    assert (ratings[0].value, ratings[0].evidence) == ("amber", "Signed protocol")
    assert saved.id == ratings[0].id
    changes = (
        db.session.execute(db.select(AuditEvent).filter_by(entity="rating", entity_id=saved.id))
        .scalars()
        .all()
    )
    assert [(e.before or {}).get("value") for e in changes][-1] == "red"
