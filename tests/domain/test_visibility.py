"""Who sees other people's ratings: the one rule, per role and per assessment state."""

import pytest

from selfassess.domain.visibility import sees_everyones_ratings

STATES = [
    ("draft", False),
    ("open", False),
    ("open", True),
    ("agreed", False),
    ("submitted", False),
]


@pytest.mark.parametrize(("status", "shared"), STATES)
@pytest.mark.parametrize("role", ["lead", "observer"])
def test_leads_and_observers_always_see_everyones_ratings(role, status, shared):
    assert sees_everyones_ratings(role, status, shared)


@pytest.mark.parametrize(
    ("status", "shared", "sees"),
    [("draft", False, False), ("open", False, False), ("open", True, True)]
    + [("agreed", False, True), ("submitted", False, True)],
)
def test_members_see_them_once_agreed_or_shared(status, shared, sees):
    assert sees_everyones_ratings("member", status, shared) is sees


@pytest.mark.parametrize(("status", "shared"), STATES)
def test_no_one_without_a_role_in_the_partnership_sees_them(status, shared):
    assert not sees_everyones_ratings(None, status, shared)
