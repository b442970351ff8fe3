"""Authorization table: assessments, rating, the lead's views, agreed ratings and actions."""

from __future__ import annotations

from tests.authz.harness import PERSONAS, STATES, Route, expect, per_state, route_test

A = "/assessments/{assessment}"
QA = "/assessments/{q_assessment}"
SECTION = "/rate/{framework}/{section}"
ITEM = "/items/{framework}/{item}"
WHOLE_SECTION = "/sections/{framework}/{section}"
RATING = {
    "item-1-1-value": "green",
    "item-1-1-evidence": "Signed protocol",
    "item-1-1-improvement": "",
}
AGREED = {"value": "green", "rationale": "Agreed at the board", "version": "1"}
ACTION = {"description": "Review the protocol", "owner": "Police", "status": "in_progress"}

READERS = expect(observer=200, member=200, lead=200)
RATERS = expect(member=200, lead=200)
OVERSIGHT = expect(observer=200, lead=200)
# Someone else's partnership: only its own member (the outsider, a lead in Q) gets in.
Q_ONLY = {**dict.fromkeys(PERSONAS, 404), "anonymous": 302, "outsider": 200}


ROUTES = [
    # Listing and creating
    Route("GET", "/partnerships/{p}/assessments", READERS),
    Route("GET", "/partnerships/{q}/assessments", Q_ONLY),
    Route("GET", "/partnerships/{p}/assessments/new", expect(lead=200)),
    Route("GET", "/partnerships/{q}/assessments/new", Q_ONLY),
    Route(
        "POST",
        "/partnerships/{p}/assessments/new",
        expect(lead=302),
        data={"title": "Spring assessment", "period": "2026", "frameworks": ["dip"]},
    ),
    Route(
        "POST",
        "/partnerships/{q}/assessments/new",
        {**Q_ONLY, "outsider": 302},
        data={"title": "Sneaky", "period": "2026"},
    ),
    # The overview and status
    Route("GET", A, READERS, states=STATES),
    Route("GET", QA, Q_ONLY),
    Route("GET", A + "/status/agreed", expect(lead=200)),
    Route("POST", A + "/status", expect(lead=302), data={"to": "agreed"}),
    # Sharing results with members early (or stopping): the lead, until the return is submitted.
    Route("POST", A + "/share-results", expect(lead=302), data={"share": "yes"}, states=STATES),
    Route("POST", A + "/share-results", expect(lead=302), data={"share": "no"}),
    Route("POST", QA + "/share-results", {**Q_ONLY, "outsider": 302}, data={"share": "yes"}),
    Route("POST", QA + "/status", {**Q_ONLY, "outsider": 302}, data={"to": "agreed"}),
    # Members rating
    # Rating: while open (shared or not); once agreed the answers are read-only.
    Route("GET", A + SECTION, RATERS, states=STATES),
    Route("GET", QA + SECTION, Q_ONLY),
    Route(
        "POST",
        A + SECTION,
        per_state(
            open=expect(member=302, lead=302),
            shared=expect(member=302, lead=302),
            agreed=expect(),
        ),
        data=RATING,
        states=STATES,
    ),
    Route("POST", QA + SECTION, {**Q_ONLY, "outsider": 302}, data=RATING),
    Route(
        "POST",
        A + SECTION + "/autosave",
        per_state(open=RATERS, shared=RATERS, agreed=expect(member=409, lead=409)),
        json={"item_id": "1.1", "value": "amber", "evidence": "x"},
        states=STATES,
    ),
    Route(
        "POST",
        QA + SECTION + "/autosave",
        Q_ONLY,
        json={"item_id": "1.1", "value": "amber", "evidence": "x"},
    ),
    # A member's own answers: theirs only, in every state (the harness checks no one else's).
    Route("GET", A + "/check-your-answers", RATERS, states=STATES),
    Route("GET", QA + "/check-your-answers", Q_ONLY),
    Route("POST", A + "/complete", expect(member=302, lead=302)),
    Route("POST", QA + "/complete", {**Q_ONLY, "outsider": 302}),
    # The lead's and observers' views: members never, even once they may read everyone's ratings
    # on the report (these pages are the oversight tools).
    Route("GET", A + "/progress", OVERSIGHT, states=STATES),
    Route("GET", QA + "/progress", Q_ONLY),
    Route("GET", A + "/results", OVERSIGHT, states=STATES),
    Route("GET", QA + "/results", Q_ONLY),
    Route("GET", A + ITEM, OVERSIGHT, states=STATES, shows_ratings=True),
    Route("GET", QA + ITEM, Q_ONLY),
    # Agreed ratings and actions: the lead only
    Route("POST", A + ITEM + "/agreed-rating", expect(lead=302), data=AGREED),
    Route(
        "POST",
        QA + ITEM + "/agreed-rating",
        {**Q_ONLY, "outsider": 302},
        data={**AGREED, "version": ""},
    ),
    Route("POST", A + ITEM + "/actions", expect(lead=302), data=ACTION),
    Route("POST", QA + ITEM + "/actions", {**Q_ONLY, "outsider": 302}, data=ACTION),
    Route("GET", A + WHOLE_SECTION, OVERSIGHT, states=STATES),
    Route("GET", QA + WHOLE_SECTION, Q_ONLY),
    Route("POST", A + WHOLE_SECTION + "/actions", expect(lead=302), data=ACTION),
    Route("POST", QA + WHOLE_SECTION + "/actions", {**Q_ONLY, "outsider": 302}, data=ACTION),
    Route("GET", A + "/actions/{action}", expect(lead=200)),
    Route("POST", A + "/actions/{action}", expect(lead=302), data={**ACTION, "version": "1"}),
    # Another partnership's action through our own assessment's address is not found.
    Route("GET", A + "/actions/{q_action}", expect(lead=404)),
    Route(
        "POST",
        A + "/actions/{q_action}",
        expect(lead=404),
        data={**ACTION, "version": "1"},
    ),
    Route("GET", QA + "/actions/{q_action}", Q_ONLY),
]
test_routes = route_test(ROUTES)
