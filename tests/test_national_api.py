"""The read-only national API: analysts' tokens (shown once, stored hashed, revocable) and
responses that match the OpenAPI document served at /api/openapi.json."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime

import jsonschema
from sqlalchemy import select

from selfassess.extensions import db
from selfassess.models import ApiToken
from selfassess.services.api_tokens import token_hash
from selfassess.services.collections import create_collection
from selfassess.services.returns import store_return
from tests.factories import make_partnership, make_user

S = "national-survey-2013"


def _sign_in(client, user):
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


def _validator(document, name):
    schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_tokens_and_responses_match_the_openapi_document(app, client, get_page):
    analyst = make_user(None, is_analyst=True, agency=None)
    partnerships = [make_partnership(region="london") for _ in range(3)]
    collection = create_collection("API", "api-2013", [S], date(2013, 4, 1), date(2013, 5, 31))
    for i, p in enumerate(partnerships):
        rows = [(S, "q1", 0, "yes"), (S, "q6", 1, "police"), (S, "q13", 0, "none")]
        if i:
            rows.append((S, "q13", 0, "other"))
        store_return(collection, p, rows, 1, {"survey": {}}, None, "import")
    db.session.commit()

    _sign_in(client, analyst)
    page = get_page("/national/tokens")
    assert "Create token" in page.text
    response = client.post("/national/tokens", data={"name": "R scripts"})
    assert response.status_code == 200
    from bs4 import BeautifulSoup

    token = BeautifulSoup(response.data, "html.parser").select_one("#new-token").text.strip()
    stored = db.session.scalar(select(ApiToken))
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in get_page("/national/tokens").text  # shown once only

    api = app.test_client()  # no session: the token alone
    document = api.get("/api/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    jsonschema.Draft202012Validator.check_schema(document["components"]["schemas"]["Picture"])

    assert api.get("/api/collections").status_code == 401
    headers = {"Authorization": f"Bearer {token}"}
    checks = [
        ("/api/collections", "Collections"),
        ("/api/collections/api-2013/returns", "Returns"),
        ("/api/collections/api-2013/picture", "Picture"),
        ("/api/collections/api-2013/picture?region=london", "Picture"),
    ]
    for url, schema in checks:
        response = api.get(url, headers=headers)
        assert response.status_code == 200, url
        path = url.split("?")[0].replace("api-2013", "{slug}")
        assert path in document["paths"], path
        _validator(document, schema).validate(response.get_json())
    picture = api.get("/api/collections/api-2013/picture", headers=headers).get_json()
    assert picture["items"]["q13"]["options"]["other"] == {
        "label": picture["items"]["q13"]["options"]["other"]["label"],
        "count": 2,
        "percent": 66.7,
    }
    missing = api.get("/api/collections/nope/picture", headers=headers)
    assert missing.status_code == 404
    _validator(document, "Error").validate(missing.get_json())

    # Revoked: the token stops working.
    assert client.post(f"/national/tokens/{stored.id}/revoke").status_code == 302
    assert api.get("/api/collections", headers=headers).status_code == 401
    assert api.get("/api/collections", headers={"Authorization": "Bearer wrong"}).status_code == 401


def _path_of(rule: str) -> str:
    """A Flask rule as an OpenAPI path: /api/collections/<slug>/returns -> {slug}."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_every_api_route_and_every_response_is_documented_exactly(app):
    analyst = make_user(None, is_analyst=True, agency=None)
    former = make_user(None, is_analyst=False, agency=None)
    partnerships = [make_partnership(region="london") for _ in range(3)]
    partnerships.append(make_partnership(region="wales"))
    collection = create_collection("API", "api-2013", [S], date(2013, 4, 1), date(2013, 5, 31))
    for p in partnerships:
        store_return(collection, p, [(S, "q1", 0, "yes")], 0, {"survey": {}}, None, "import")
    tokens = {"good": "sa_good", "revoked": "sa_revoked", "former": "sa_former"}
    db.session.add_all(
        [
            ApiToken(name="Good", token_hash=token_hash("sa_good"), created_by_id=analyst.id),
            ApiToken(
                name="Revoked",
                token_hash=token_hash("sa_revoked"),
                created_by_id=analyst.id,
                revoked_at=datetime.now(UTC),
            ),
            ApiToken(name="Former", token_hash=token_hash("sa_former"), created_by_id=former.id),
        ]
    )
    db.session.commit()
    api = app.test_client()
    document = api.get("/api/openapi.json").get_json()
    paths = document["paths"]

    # Every rule under /api/ is a documented path with the same path parameters, and back.
    rules = {r.rule: r for r in app.url_map.iter_rules() if r.rule.startswith("/api/")}
    assert {_path_of(rule) for rule in rules} == set(paths)
    for rule, r in rules.items():
        operations = paths[_path_of(rule)]
        assert set(operations) == {m.lower() for m in r.methods - {"HEAD", "OPTIONS"}}, rule
        params = operations["get"]["parameters"]
        assert {p["name"] for p in params if p["in"] == "path"} == set(r.arguments), rule

    seen: set[tuple[str, str]] = set()

    def check(url: str, status: int, token: str | None = None) -> dict:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = api.get(url, headers=headers)
        assert response.status_code == status, (url, response.status_code)
        path = _path_of(next(r.rule for r in app.url_map.iter_rules() if _matches(r, url)))
        documented = paths[path]["get"]["responses"]
        assert str(status) in documented, (url, status)
        described = documented[str(status)]
        schema = described["content"]["application/json"]["schema"]
        jsonschema.Draft202012Validator(
            {**schema, "components": document["components"]},
            format_checker=jsonschema.FormatChecker(),
        ).validate(response.get_json())
        for header in described.get("headers", {}):
            assert header in response.headers, (url, header)
        seen.add((path, str(status)))
        return response.get_json()

    check("/api/openapi.json", 200)
    good = tokens["good"]
    check("/api/collections", 200, good)
    check("/api/collections/api-2013/returns", 200, good)
    check("/api/collections/api-2013/picture", 200, good)
    london = check("/api/collections/api-2013/picture?region=london", 200, good)
    # London's three would give away Wales's one (the national count less London's): hidden.
    assert london["region"] == "london" and london["items"]["q1"]["n"] == 3
    assert london["items"]["q1"]["options"]["yes"]["suppressed"] is True
    wales = check("/api/collections/api-2013/picture?region=wales", 200, good)
    assert wales["items"]["q1"]["options"]["yes"] == {
        "label": "Yes",
        "count": None,
        "percent": None,
        "suppressed": True,
    }
    for url in (
        "/api/collections",
        "/api/collections/api-2013/returns",
        "/api/collections/api-2013/picture",
    ):
        check(url, 401)
        for bad in ("sa_wrong", tokens["revoked"], tokens["former"]):
            check(url, 401, bad)
    check("/api/collections/nope/returns", 404, good)
    check("/api/collections/nope/picture", 404, good)
    assert (
        "no such region"
        in check("/api/collections/api-2013/picture?region=atlantis", 404, good)["error"]
    )
    documented = {
        (path, status)
        for path, operations in paths.items()
        for status in operations["get"]["responses"]
    }
    assert seen == documented
    enum = next(
        p
        for p in paths["/api/collections/{slug}/picture"]["get"]["parameters"]
        if p["name"] == "region"
    )["schema"]["enum"]
    assert "london" in enum and "wales" in enum and "atlantis" not in enum


def _matches(rule, url: str) -> bool:
    pattern = "^" + re.sub(r"<(?:[^:<>]+:)?[^<>]+>", "[^/]+", rule.rule) + "$"
    return re.match(pattern, url.split("?")[0]) is not None
