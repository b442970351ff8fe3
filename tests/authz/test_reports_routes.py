"""Authorization table: the report, its PDFs and exports (any role in the partnership may read
them; analysts only through submitted returns, so 404 here) and starting the next cycle (leads)."""

from __future__ import annotations

from tests.authz.harness import Route, expect, route_test

READERS = expect(observer=200, member=200, lead=200)
A = "/assessments/{assessment}"

ROUTES = [
    Route("GET", f"{A}/report", READERS),
    Route("GET", f"{A}/report.pdf", READERS),
    Route("GET", f"{A}/action-plan.pdf", READERS),
    Route("GET", f"{A}/export/ratings.csv", READERS),
    Route("GET", f"{A}/export/ratings.xlsx", READERS),
    Route("GET", f"{A}/export/actions.csv", READERS),
    Route("GET", f"{A}/export/actions.xlsx", READERS),
    Route("GET", f"{A}/export/assessment.json", READERS),
    Route(
        "GET",
        "/assessments/{q_assessment}/report",
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
