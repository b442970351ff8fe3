"""Who may see and do what. Every view asks here; objects out of reach are a 404, not a 403.

The rules (docs/design.md, "Who sees what"): a user sees only the partnerships they belong to;
observers read and change nothing; leads run assessments; national analysts see a partnership's
data only once it is submitted as a return, never drafts.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from selfassess.domain.visibility import RatingsScope, sees_everyones_ratings
from selfassess.models import Assessment, Partnership
from selfassess.queries.assessments import participant_of
from selfassess.queries.memberships import (
    assessment_or_none,
    partnership_or_none,
    partnerships_of,
    role_of,
)

READ_ROLES = ("lead", "member", "observer")
RATE_ROLES = ("lead", "member")
LEAD_ROLES = ("lead",)


def role_in(partnership_id: int) -> str | None:
    if not current_user.is_authenticated:
        return None
    return role_of(current_user.id, partnership_id)


def partnership_or_404(partnership_id: int, roles: tuple[str, ...] = READ_ROLES) -> Partnership:
    """The partnership if the signed-in user holds one of roles in it; otherwise 404 or 403.

    Not belonging at all is a 404 (its existence is not confirmed); belonging with too small a
    role is a 403, since the user knows it exists.
    """
    partnership = partnership_or_none(partnership_id)
    role = role_in(partnership_id) if partnership else None
    if partnership is None or role is None:
        abort(404)
    if role not in roles:
        abort(403)
    return partnership


def assessment_or_404(assessment_id: int, roles: tuple[str, ...] = READ_ROLES) -> Assessment:
    """The assessment if the user holds one of roles in its partnership.

    National analysts reach an assessment only through its submitted return (see national views).
    """
    assessment = assessment_or_none(assessment_id)
    if assessment is None:
        abort(404)
    partnership_or_404(assessment.partnership_id, roles)
    return assessment


def ratings_scope(assessment: Assessment) -> RatingsScope:
    """The one rule every page and export showing individual ratings goes through
    (selfassess.domain.visibility): leads and observers see everyone's; members see everyone's
    once the assessment is agreed or the lead has shared results, and only their own before."""
    role = role_in(assessment.partnership_id)
    if sees_everyones_ratings(role, assessment.status, assessment.results_shared):
        return RatingsScope(everyone=True)
    own = participant_of(assessment.id, current_user.id)
    return RatingsScope(everyone=False, participant_id=own.id if own else None)


def analyst_required(view: Callable) -> Callable:
    """Only national analysts; anyone else signed in gets a 404, as the page is not theirs."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_analyst:
            abort(404)
        return view(*args, **kwargs)

    return wrapped


def my_partnerships() -> list[tuple[Partnership, str]]:
    if not current_user.is_authenticated:
        return []
    return partnerships_of(current_user.id)
