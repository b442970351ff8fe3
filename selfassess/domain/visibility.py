"""Who may see other people's individual ratings and evidence in an assessment. Plain rules.

Members rate on their own first, so no one is swayed before the board meets: until the assessment
is agreed (or submitted), or the lead chooses to share results early, a member sees only their own
ratings and the board's agreed ratings. Leads and observers oversee the rating, so they always
see everyone's. National analysts never see them through a partnership's pages (only a submitted
return), so they hold no role here.
"""

from __future__ import annotations

from dataclasses import dataclass

# Roles that always see everyone's ratings: they run and oversee the assessment.
OVERSIGHT_ROLES = ("lead", "observer")
# Once the board has agreed, individual ratings are the record of how it got there.
RESULTS_OPEN_STATUSES = ("agreed", "submitted")


def sees_everyones_ratings(role: str | None, status: str, results_shared: bool) -> bool:
    """Whether someone with this role in the partnership may see other people's ratings."""
    if role in OVERSIGHT_ROLES:
        return True
    if role == "member":
        return status in RESULTS_OPEN_STATUSES or bool(results_shared)
    return False


def results_visible_to_members(status: str, results_shared: bool) -> bool:
    """Whether members of an assessment in this state see everyone's ratings yet."""
    return sees_everyones_ratings("member", status, results_shared)


@dataclass(frozen=True)
class RatingsScope:
    """Whose individual ratings and evidence one reader may see: everyone's, or only those of
    ``participant_id`` (None when they have not rated yet)."""

    everyone: bool
    participant_id: int | None = None

    @property
    def cache_key(self) -> tuple:
        """Part of the key of anything drawn from ratings, so no one is served another's view."""
        return ("everyone",) if self.everyone else ("own", self.participant_id)


EVERYONE = RatingsScope(everyone=True)
