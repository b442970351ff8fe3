"""The read-only national API: analysts' tokens (shown once, stored hashed, revocable) and
responses that match the OpenAPI document served at /api/openapi.json."""

from __future__ import annotations

import hashlib
from datetime import date

import jsonschema
from sqlalchemy import select

from selfassess.extensions import db
from selfassess.models import ApiToken
from selfassess.services.returns import create_collection, store_return
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
