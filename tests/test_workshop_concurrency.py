"""Sixty participants voting in the same second all get their votes recorded.

Through the real server (threaded, as in the browser tests) on the test database; counts only,
no timing.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from selfassess.extensions import db
from selfassess.models import Rating
from selfassess.services.workshop import start_session
from tests.factories import make_assessment, make_partnership, make_user

PARTICIPANTS = 60


@pytest.mark.slow
def test_sixty_votes_at_once_are_all_recorded(app, server):
    partnership = make_partnership()
    lead = make_user(partnership, "lead")
    assessment = make_assessment(partnership)
    workshop = start_session(assessment, lead)
    session_id, code = workshop.id, workshop.join_code
    agencies = ["police", "probation", "health", "housing", "local_authority", "vcs"]

    def join(n: int) -> requests.Session:
        phone = requests.Session()
        response = phone.post(
            f"{server}/join",
            data={"code": code, "name": f"Guest {n}", "agency": agencies[n % len(agencies)]},
            allow_redirects=False,
            timeout=60,
        )
        assert response.status_code == 302, response.text
        return phone

    with ThreadPoolExecutor(max_workers=20) as pool:
        phones = list(pool.map(join, range(PARTICIPANTS)))

    values = ["red", "amber", "green", "dont_know", "not_applicable"]
    start_together = threading.Barrier(PARTICIPANTS)

    def vote(n: int) -> int:
        start_together.wait()
        response = phones[n].post(
            f"{server}/workshop/{session_id}/live/vote",
            data={"item": "iom-key-principles:1.1", "value": values[n % len(values)]},
            allow_redirects=False,
            timeout=120,
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=PARTICIPANTS) as pool:
        statuses = list(pool.map(vote, range(PARTICIPANTS)))

    assert statuses == [302] * PARTICIPANTS
    db.session.expire_all()
    recorded = db.session.execute(
        db.select(Rating.value, db.func.count())
        .filter_by(assessment_id=assessment.id, item_id="1.1")
        .group_by(Rating.value)
    ).all()
    assert dict(recorded) == dict.fromkeys(values, PARTICIPANTS // len(values))
    # And each phone sees its own vote saved.
    state = phones[7].get(f"{server}/workshop/{session_id}/live/state.json", timeout=30).json()
    assert state["my_vote"] == values[7 % len(values)]
