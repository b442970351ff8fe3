"""The services that change ratings, agreed ratings and actions: stale edits, locks, audit."""

from __future__ import annotations

from datetime import date

import pytest

from selfassess.extensions import db
from selfassess.models import AgreedRating, AuditEvent
from selfassess.services import audit
from selfassess.services.agreement import (
    AssessmentLocked,
    StaleEditError,
    add_action,
    participant_for,
    save_agreed_rating,
    save_rating,
    update_action,
)
from tests.factories import make_assessment, make_partnership, make_user

KP = "iom-key-principles"


@pytest.fixture
def world(app):
    partnership = make_partnership()
    lead = make_user(partnership, "lead", name="Lena Lead", agency="local_authority")
    member = make_user(partnership, "member", name="Max Member", agency="probation")
    assessment = make_assessment(partnership)
    return partnership, lead, member, assessment


def events(entity=None):
    query = db.select(AuditEvent).order_by(AuditEvent.id)
    if entity:
        query = query.filter_by(entity=entity)
    return list(db.session.execute(query).scalars())


def test_a_stale_agreed_rating_save_is_refused_and_nothing_is_lost(world):
    _, lead, member, assessment = world
    first = save_agreed_rating(assessment, KP, "1.1", "amber", "Partly agreed", None, lead)
    assert first.version == 1
    # Two people open the page at version 1; one saves, then the other.
    save_agreed_rating(assessment, KP, "1.1", "green", "Protocol signed last week", 1, member)
    with pytest.raises(StaleEditError) as refused:
        save_agreed_rating(assessment, KP, "1.1", "red", "Nothing in place", 1, lead)
    assert refused.value.current.value == "green"
    assert refused.value.current.rationale == "Protocol signed last week"
    db.session.expire_all()
    stored = db.session.execute(db.select(AgreedRating)).scalars().one()
    assert (stored.value, stored.rationale, stored.version) == (
        "green",
        "Protocol signed last week",
        2,
    )
    # Creating when one already exists is stale too.
    with pytest.raises(StaleEditError):
        save_agreed_rating(assessment, KP, "1.1", "red", "", None, lead)
    # Saving on top of the newer version works.
    save_agreed_rating(assessment, KP, "1.1", "red", "Reconsidered", 2, lead)
    assert [e.event for e in events("agreed_rating")] == ["created", "changed", "changed"]


def test_agreed_rating_changes_are_audited_with_before_and_after(world):
    _, lead, _, assessment = world
    save_agreed_rating(assessment, KP, "2.1", "amber", "First view", None, lead)
    save_agreed_rating(assessment, KP, "2.1", "green", "Second view", 1, lead)
    created, changed = events("agreed_rating")
    assert created.before is None
    assert created.after["value"] == "amber"
    assert changed.before["value"] == "amber"
    assert changed.after == {"value": "green", "rationale": "Second view", "version": 2}
    assert changed.actor_label == "Lena Lead"
    assert changed.actor_id == lead.id
    assert (changed.item_id, changed.framework_id) == ("2.1", KP)
    assert changed.partnership_id == assessment.partnership_id


def test_actions_are_versioned_and_audited(world):
    _, lead, member, assessment = world
    action = add_action(
        assessment, KP, "Write an information sharing protocol", "Police", lead, item_id="1.3"
    )
    assert action.section_id == "1"
    update_action(action, 1, actor=lead, status="in_progress", due_on=date(2026, 9, 30))
    assert action.version == 2
    with pytest.raises(StaleEditError) as refused:
        update_action(action, 1, actor=member, owner="Probation")
    assert refused.value.current.owner == "Police"
    created, changed = events("action")
    assert created.after["description"] == "Write an information sharing protocol"
    assert changed.before["status"] == "not_started"
    assert changed.after["status"] == "in_progress"
    assert changed.after["due_on"] == "2026-09-30"
    assert len(events("action")) == 2


def test_member_ratings_are_upserted_and_audited_only_when_changed(world):
    _, _, member, assessment = world
    participant = participant_for(assessment, member, create=True)
    assert participant.agency == "probation"
    save_rating(participant, KP, "1.1", "red", "No protocol", "", member)
    save_rating(participant, KP, "1.1", "red", "No protocol", None, member)  # no change
    rating = save_rating(participant, KP, "1.1", "amber", "Draft protocol", "Board in May", member)
    assert rating.value == "amber"
    created, changed = events("rating")
    assert created.after["value"] == "red"
    assert changed.before["evidence"] == "No protocol"
    assert changed.after["improvement"] == "Board in May"
    assert len(events("rating")) == 2
    assert audit.item_history(assessment.id, KP, "1.1")[0].id == changed.id


def test_rating_is_refused_unless_open_and_everything_refused_once_submitted(world):
    _, lead, member, assessment = world
    participant = participant_for(assessment, member, create=True)
    action = add_action(assessment, KP, "Review", "Lead", lead, item_id="1.1")
    assessment.status = "agreed"
    db.session.commit()
    with pytest.raises(AssessmentLocked):
        save_rating(participant, KP, "1.1", "red", None, None, member)
    save_agreed_rating(assessment, KP, "1.1", "amber", None, None, lead)  # still allowed
    assessment.status = "submitted"
    db.session.commit()
    with pytest.raises(AssessmentLocked):
        save_agreed_rating(assessment, KP, "1.1", "green", None, 1, lead)
    with pytest.raises(AssessmentLocked):
        add_action(assessment, KP, "Another", "Lead", lead, item_id="1.1")
    with pytest.raises(AssessmentLocked):
        update_action(action, 1, actor=lead, status="completed")
    assert len(events()) == 2


def test_unknown_items_and_values_are_refused(world):
    _, lead, member, assessment = world
    participant = participant_for(assessment, member, create=True)
    with pytest.raises(ValueError):
        save_rating(participant, KP, "9.9", "red", None, None, member)
    with pytest.raises(ValueError):
        save_rating(participant, KP, "1.1", "purple", None, None, member)
    with pytest.raises(ValueError):
        save_rating(participant, "dip", "1.1", "red", None, None, member)  # not covered
    with pytest.raises(ValueError):
        save_rating(participant, KP, "1.1", "red", "x" * 5001, None, member)
    assert events() == []


def test_audit_module_offers_no_way_to_change_or_remove_events():
    public = {name for name in dir(audit) if not name.startswith("_")}
    assert not {n for n in public if n.startswith(("update", "delete", "remove", "edit"))}
