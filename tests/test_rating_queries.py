"""The grouped rating query and the results built on it, against a real database."""

from __future__ import annotations

from selfassess.domain.scoring import AgreedInput
from selfassess.extensions import db, frameworks
from selfassess.models import AgreedRating
from selfassess.queries.ratings import agreed_ratings, assessment_results, rating_counts
from tests.factories import make_assessment, make_participant, make_partnership, make_user, rate

KP = "iom-key-principles"


def _agree(assessment, item_id, value, framework_id=KP, **fields):
    fw = frameworks().get(framework_id)
    db.session.add(
        AgreedRating(
            assessment_id=assessment.id,
            framework_id=framework_id,
            framework_version=fw.version,
            item_id=item_id,
            value=value,
            **fields,
        )
    )
    db.session.commit()


def _board(assessment):
    """Four participants: two police (one a member with an account), probation, a health guest."""
    partnership = assessment.partnership
    police_user = make_user(partnership, agency="police")
    return (
        make_participant(assessment, police_user),
        make_participant(assessment, agency="police"),
        make_participant(assessment, agency="probation"),
        make_participant(assessment, agency="health"),
    )


def test_rating_counts_groups_by_item_agency_and_value(app):
    assessment = make_assessment(make_partnership(), (KP, "dip"))
    police_a, police_b, probation, health = _board(assessment)
    rate(police_a, "1.1", "green")
    rate(police_b, "1.1", "green")
    rate(probation, "1.1", "red")
    rate(health, "1.1", "dont_know")
    rate(police_a, "1.2", "amber")
    rate(police_b, "1.2", None, evidence="Not sure yet")  # no value: not counted
    rate(health, "id-1", "not_applicable", framework_id="dip")

    other = make_assessment(make_partnership())
    rate(make_participant(other), "1.1", "red")  # another assessment: not counted

    assert sorted(rating_counts(assessment.id)) == [
        ("dip", "id-1", "health", "not_applicable", 1),
        (KP, "1.1", "health", "dont_know", 1),
        (KP, "1.1", "police", "green", 2),
        (KP, "1.1", "probation", "red", 1),
        (KP, "1.2", "police", "amber", 1),
    ]
    assert rating_counts(other.id) == [(KP, "1.1", "police", "red", 1)]


def test_rating_counts_of_an_assessment_with_no_ratings(app):
    assessment = make_assessment(make_partnership())
    make_participant(assessment)
    assert rating_counts(assessment.id) == []
    assert agreed_ratings(assessment.id) == {}


def test_agreed_ratings(app):
    assessment = make_assessment(make_partnership())
    _agree(assessment, "1.1", "amber", rationale="Two agencies missing")
    _agree(assessment, "2.3", "green", carried_forward=True)
    assert agreed_ratings(assessment.id) == {
        (KP, "1.1"): AgreedInput("amber", "Two agencies missing", False),
        (KP, "2.3"): AgreedInput("green", None, True),
    }


def test_assessment_results_from_the_database(app):
    assessment = make_assessment(make_partnership(), (KP, "dip"))
    police_a, police_b, probation, health = _board(assessment)
    for participant, value in ((police_a, "green"), (police_b, "green"), (probation, "red")):
        rate(participant, "1.1", value)
    rate(health, "1.1", "dont_know")
    rate(probation, "1.2", "red")
    _agree(assessment, "1.2", "amber", rationale="Protocol signed last month")
    rate(health, "id-1", "green", framework_id="dip")

    results = assessment_results(frameworks(), assessment)

    assert [r.framework.id for r in results.frameworks] == [KP, "dip"]
    kp = results.framework(KP)
    item = kp.item("1.1")
    assert (item.n, item.n_scored, item.dont_know) == (4, 3, 1)
    assert item.by_agency["police"]["green"] == 2
    assert item.derived == "green" and item.provisional
    assert item.agency_medians == {"police": "green", "probation": "red"}
    assert item.contested
    assert item.explanation == (
        "Provisional: of 3 ratings given, the middle one is green; 1 of 4 said don't know."
    )
    agreed = kp.item("1.2")
    assert (agreed.derived, agreed.rating, agreed.provisional) == ("red", "amber", False)
    assert agreed.rationale == "Protocol signed last month"
    principle_1 = kp.section("1")
    assert (principle_1.score, principle_1.rag, principle_1.items_scored) == (2.5, "green", 2)
    assert results.framework("dip").item("id-1").rating == "green"
    assert results.lens.group("leadership").items_scored >= 1
    gaps = results.strengths_and_gaps().gaps
    assert [(g.item.item_id, g.reason) for g in gaps][:2] == [
        ("1.2", "amber"),
        ("1.1", "contested"),
    ]
