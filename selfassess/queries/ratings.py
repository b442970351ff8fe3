"""The ratings of an assessment as the scoring module wants them: grouped counts, agreed ratings.

One grouped query does the counting in the database, so a page costs the same whether ten or a
thousand votes were cast; ``selfassess.domain.scoring`` turns the counts into results.
"""

from __future__ import annotations

from sqlalchemy import func, select

from selfassess.domain.frameworks import FrameworkLibrary
from selfassess.domain.scoring import AgreedInput, AssessmentResults, CountRow, assess
from selfassess.domain.visibility import EVERYONE, RatingsScope
from selfassess.extensions import db
from selfassess.models import AgreedRating, Assessment, Participant, Rating


def rating_counts(assessment_id: int) -> list[CountRow]:
    """(framework_id, item_id, agency, value, count) for every value given, by agency."""
    stmt = (
        select(
            Rating.framework_id,
            Rating.item_id,
            Participant.agency,
            Rating.value,
            func.count(),
        )
        .join(Participant, Rating.participant_id == Participant.id)
        .where(Rating.assessment_id == assessment_id, Rating.value.is_not(None))
        .group_by(Rating.framework_id, Rating.item_id, Participant.agency, Rating.value)
        .order_by(Rating.framework_id, Rating.item_id, Participant.agency, Rating.value)
    )
    return [tuple(row) for row in db.session.execute(stmt)]


def agreed_ratings(assessment_id: int) -> dict[tuple[str, str], AgreedInput]:
    """The board's agreed ratings, by (framework_id, item_id)."""
    stmt = select(
        AgreedRating.framework_id,
        AgreedRating.item_id,
        AgreedRating.value,
        AgreedRating.rationale,
        AgreedRating.carried_forward,
    ).where(AgreedRating.assessment_id == assessment_id)
    return {
        (framework_id, item_id): AgreedInput(value, rationale, bool(carried_forward))
        for framework_id, item_id, value, rationale, carried_forward in db.session.execute(stmt)
    }


def assessment_results(
    library: FrameworkLibrary, assessment: Assessment, scope: RatingsScope = EVERYONE
) -> AssessmentResults:
    """Everything the report pages show about an assessment's ratings, from two queries.

    For a reader who may not see everyone's ratings yet, only the board's agreed ratings count:
    votes by agency, medians and flags would tell them how the others rated.
    """
    return assess(
        library,
        [(af.framework_id, af.framework_version) for af in assessment.frameworks],
        rating_counts(assessment.id) if scope.everyone else [],
        agreed_ratings(assessment.id),
    )
