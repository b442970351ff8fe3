"""Authorization table: national collections, the national picture, import, exports, API tokens
(analysts only); a partnership's national survey and return (its lead answers and submits, its
members and observers see the list); the API (a bearer token, never a session).

National analysts reach a partnership's data only through a submitted return: the world's
collection has a return from Q only, and P's answers in progress are out of analysts' reach.
"""

from __future__ import annotations

from datetime import date, timedelta

from selfassess.extensions import db
from selfassess.models import ApiToken
from selfassess.services.collections import create_collection
from selfassess.services.returns import store_return
from tests.authz.harness import DENIED, Route, everyone, expect, route_test

S = "national-survey-2013"
ANALYST_ONLY = {**dict.fromkeys(DENIED, 404), "anonymous": 302, "analyst": 200}
READERS = expect(observer=200, member=200, lead=200)
BASE = "/national/partnerships/{p}/collections/authz"


def collection(world):
    today = date.today()
    made = create_collection(
        "Authz returns",
        "authz",
        [S],
        today - timedelta(days=1),
        today + timedelta(days=10),
        expected=[world.p, world.q],
    )
    ret = store_return(
        made, world.q, [(S, "q1", 0, "no")], 0, {"survey": {}}, world.users["outsider"], "app"
    )
    token = ApiToken(name="R", token_hash="x" * 64, created_by_id=world.users["analyst"].id)
    db.session.add(token)
    db.session.commit()
    return {"q_return": ret.id, "token": token.id}


def _r(method, url, expected, **kwargs):
    return Route(method, url, expected, setup=collection, **kwargs)


ROUTES = [
    _r("GET", "/national/", ANALYST_ONLY),
    _r("GET", "/national/collections/new", ANALYST_ONLY),
    _r("POST", "/national/collections/new", ANALYST_ONLY, data={}),
    _r("GET", "/national/collections/authz", ANALYST_ONLY),
    _r("GET", "/national/collections/authz/returns/{q_return}", ANALYST_ONLY),
    _r("GET", "/national/collections/authz/picture", ANALYST_ONLY),
    _r("GET", "/national/collections/authz/picture.pdf", ANALYST_ONLY),
    _r("GET", "/national/collections/authz/picture.pdf?region=london", ANALYST_ONLY),
    _r("GET", "/national/collections/authz/import", ANALYST_ONLY),
    _r("POST", "/national/collections/authz/import", ANALYST_ONLY, data={}),
    _r("GET", "/national/collections/authz/expected", ANALYST_ONLY),
    _r("POST", "/national/collections/authz/expected", ANALYST_ONLY, data={}),
    _r("GET", "/national/collections/authz/dataset.csv", ANALYST_ONLY),
    _r("GET", "/national/collections/authz/tables/spss", ANALYST_ONLY),
    _r("GET", "/national/collections/authz/tables/stata", ANALYST_ONLY),
    _r("GET", "/national/collections/authz/tables/csv", ANALYST_ONLY),
    _r("GET", "/national/collections/authz/tables/xlsx", ANALYST_ONLY),
    _r(
        "GET",
        "/national/collections/authz/picture?compare=authz-none",
        {**ANALYST_ONLY, "analyst": 404},
    ),
    _r("GET", "/national/tokens", ANALYST_ONLY),
    _r("POST", "/national/tokens", ANALYST_ONLY, data={}),
    _r("POST", "/national/tokens/{token}/revoke", {**ANALYST_ONLY, "analyst": 302}),
    _r("GET", "/national/partnerships/{p}/returns", READERS),
    _r("GET", f"{BASE}/start", expect(lead=302)),
    _r("GET", f"{BASE}/questions/{S}/q1/0", expect(lead=200)),
    _r("POST", f"{BASE}/questions/{S}/q1/0", expect(lead=302), data={"answer": "no"}),
    _r("GET", f"{BASE}/check", expect(lead=200)),
    _r("POST", f"{BASE}/check", expect(lead=302), data={}),
    _r("GET", "/api/openapi.json", everyone(200)),
    _r("GET", "/api/collections", everyone(401)),
    _r("GET", "/api/collections/authz/returns", everyone(401)),
    _r("GET", "/api/collections/authz/picture", everyone(401)),
]

test_routes = route_test(ROUTES)
