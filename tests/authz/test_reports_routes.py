"""Authorization table: the report, its PDFs and exports (any role in the partnership may read
them; analysts only through submitted returns, so 404 here) and starting the next cycle (leads).

Everyone in the partnership gets the report and the exports in every state; what they hold
follows SEES_OTHERS (harness): before agreement, a member's copy has only their own ratings.
"""

from __future__ import annotations

from tests.authz.harness import STATES, Route, expect, route_test

READERS = expect(observer=200, member=200, lead=200)
A = "/assessments/{assessment}"


def ratings_shown(url: str) -> Route:
    """A route showing individual ratings, walked in every state of the assessment."""
    return Route("GET", url, READERS, states=STATES, shows_ratings=True)


ROUTES = [
    # The report itself holds no one's evidence; each section's page of it does (1.1 is rated).
    Route("GET", f"{A}/report", READERS, states=STATES),
    ratings_shown(f"{A}/report/iom-key-principles/1"),
    Route("GET", f"{A}/report/iom-key-principles/99", expect(observer=404, member=404, lead=404)),
    Route("GET", f"{A}/report/no-such-framework/1", expect(observer=404, member=404, lead=404)),
    ratings_shown(f"{A}/report.pdf"),
    Route("GET", f"{A}/action-plan.pdf", READERS, states=STATES),
    ratings_shown(f"{A}/export/ratings.csv"),
    ratings_shown(f"{A}/export/ratings.xlsx"),
    Route("GET", f"{A}/export/actions.csv", READERS, states=STATES),
    Route("GET", f"{A}/export/actions.xlsx", READERS, states=STATES),
    ratings_shown(f"{A}/export/assessment.json"),
    Route(
        "GET",
        "/assessments/{q_assessment}/report",
        expect(outsider=200, observer=404, member=404, lead=404),
    ),
    Route(
        "GET",
        "/assessments/{q_assessment}/report/iom-key-principles/1",
        expect(outsider=200, observer=404, member=404, lead=404),
    ),
    Route(
        "GET",
        "/assessments/{q_assessment}/export/ratings.csv",
        expect(outsider=200, observer=404, member=404, lead=404),
    ),
    Route("GET", f"{A}/next-cycle", expect(lead=200)),
    Route(
        "POST",
        f"{A}/next-cycle",
        expect(lead=302),
        data={"title": "Next cycle", "period": "2027 to 2028"},
    ),
]
test_routes = route_test(ROUTES)
