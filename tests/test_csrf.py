"""CSRF: every state-changing route of the app, posted without a token by a signed-in user, is
refused; with the page's token it is not. The read-only API (token sign-in, GET only) is exempt.

The routes come from ``app.url_map`` itself, so a new POST route is walked without editing this
file; its url and any objects it needs come from the authorization tables (tests/authz), which
tests/authz/test_route_coverage.py keeps complete.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from werkzeug.exceptions import MethodNotAllowed, NotFound

from selfassess.extensions import csrf, db
from tests.authz.harness import build_world, client_as
from tests.authz.test_route_coverage import all_routes

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
# Most privileged first: the persona that may do the thing, so the token check is the only bar.
PREFERENCE = ("lead", "analyst", "member", "observer", "outsider", "anonymous")


def state_changing_rules(app) -> list[tuple[str, object]]:
    return sorted(
        (
            (method, rule)
            for rule in app.url_map.iter_rules()
            for method in (rule.methods or set()) & STATE_CHANGING
        ),
        key=lambda pair: (pair[1].rule, pair[0]),
    )


def table_entry(app, method: str, rule):
    """The authorization table's entry for this rule and method."""
    adapter = app.url_map.bind("localhost")
    for route in all_routes():
        if route.method != method:
            continue
        url = re.sub(r"\{[^}]+\}", "1", route.url).split("?")[0]
        try:
            endpoint, _ = adapter.match(url, method=method)
        except (NotFound, MethodNotAllowed):
            continue
        if endpoint == rule.endpoint:
            return route
    raise AssertionError(f"{method} {rule.rule} is in no authorization table")


def persona_for(route) -> str:
    for persona in PREFERENCE:
        expected = route.expected_in(route.states[0])[persona]
        statuses = expected if isinstance(expected, set) else {expected}
        if any(s < 400 for s in statuses):
            return persona
    return "lead"


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield app
    app.config["WTF_CSRF_ENABLED"] = False


def page_token(app, client) -> str:
    """The token a page of the service gives this browser (the workshop join page has a form)."""
    with app.app_context():
        page = BeautifulSoup(client.get("/join").data, "html.parser")
    return page.find("input", {"name": "csrf_token"})["value"]


def test_the_app_has_state_changing_routes_to_walk(app):
    assert len(state_changing_rules(app)) >= 30


def test_every_state_changing_route_refuses_a_request_without_a_token(csrf_app):
    app = csrf_app
    problems = []
    walked = 0
    for method, rule in state_changing_rules(app):
        route = table_entry(app, method, rule)
        world = build_world()
        extra = route.setup(world) if route.setup else {}
        db.session.commit()
        url = world.url(route.url, extra)
        persona = persona_for(route)
        client = client_as(app, world, persona)
        kwargs = {"json": route.json} if route.json is not None else {"data": route.data or {}}
        with app.app_context():
            refused = client.open(url, method=method, **kwargs)
        if refused.status_code != 400:
            problems.append(f"{method} {url} as {persona} without a token: {refused.status_code}")
        # The same request with the token this browser's pages carry is not refused for it.
        token = page_token(app, client)
        with app.app_context():
            allowed = client.open(url, method=method, headers={"X-CSRFToken": token}, **kwargs)
        if allowed.status_code == 400 and b"CSRF" in allowed.data:
            problems.append(f"{method} {url} as {persona} with a token: refused")
        db.session.expire_all()
        walked += 1
        _wipe()
    assert walked == len(state_changing_rules(app))
    assert not problems, "\n".join(problems)


def _wipe() -> None:
    """Each route gets a fresh world: empty every table between routes."""
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def test_a_refused_form_says_what_to_do_on_a_gov_uk_page(csrf_app, client):
    response = client.post("/sign-in", data={"email": "a@b.example", "password": "x"})
    assert response.status_code == 400
    page = BeautifulSoup(response.data, "html.parser")
    assert "govuk-template" in page.html["class"]
    assert "form" in page.h1.text.lower()
    assert page.find("a", href="/sign-in") or "Go back" in page.text


def test_the_token_may_come_from_the_form_field_as_well_as_the_header(csrf_app, client):
    token = page_token(csrf_app, client)
    response = client.post(
        "/sign-in", data={"email": "nobody@example.com", "password": "x", "csrf_token": token}
    )
    assert response.status_code == 200
    assert "Error:" in BeautifulSoup(response.data, "html.parser").title.text


def test_a_token_from_another_browser_is_refused(csrf_app):
    first, second = csrf_app.test_client(), csrf_app.test_client()
    token = page_token(csrf_app, first)
    page_token(csrf_app, second)
    response = second.post("/sign-in", data={"email": "a@b.example", "csrf_token": token})
    assert response.status_code == 400


def test_the_read_only_api_is_exempt_and_takes_no_state_changing_request(csrf_app):
    api_rules = [r for r in csrf_app.url_map.iter_rules() if r.endpoint.startswith("api.")]
    assert api_rules
    for rule in api_rules:
        assert not (rule.methods & STATE_CHANGING), rule.rule
    # The API is the only thing exempt: it signs in by token, never by the session cookie.
    assert {bp.name for bp in csrf._exempt_blueprints} == {"api"}
    assert not csrf._exempt_views
    with csrf_app.app_context():
        assert csrf_app.test_client().get("/api/openapi.json").status_code == 200
