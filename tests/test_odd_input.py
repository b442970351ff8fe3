"""Odd input gets a plain refusal, never a server error.

Ids past what the database holds (2^31 on PostgreSQL, 2^63 on SQLite) on every ``<int:...>``
route, signed in or not, answer 404 as any id that does not exist; an id past it in a query
string or a form is treated as no id. A JSON body holding a lone surrogate (``"\\ud800"``, half
of a character) or nested 50,000 deep is refused with a 400 saying why.
"""

from __future__ import annotations

import re

import pytest
from werkzeug.routing import IntegerConverter

from selfassess.extensions import db
from selfassess.models import Rating
from selfassess.web.routing import DATABASE_ID_MAX, digits_up_to
from tests.authz.harness import build_world, client_as

HUGE = (2**31, 2**63, 10**30)


def int_rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if any(isinstance(c, IntegerConverter) for c in rule._converters.values())
    ]


def fill(rule, huge: int, world) -> str:
    """The rule's address with every int set to ``huge`` and every other part a real one."""
    values = {
        "framework_id": "iom-key-principles",
        "section_id": "1",
        "item_id": "1.1",
        "slug": "returns",
        "fmt": "csv",
    }

    def part(match):
        converter, name = match.group(1), match.group(2)
        if converter == "int":
            return str(huge)
        return values.get(name, "x")

    return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", part, rule.rule)


def test_every_int_route_is_walked(app):
    rules = int_rules(app)
    assert len(rules) > 30
    assert any(rule.rule.startswith("/workshop") or "/join" in rule.rule for rule in rules)


@pytest.mark.parametrize("persona", ["anonymous", "lead", "analyst"])
def test_an_id_past_the_database_range_is_not_found_on_every_route(app, persona):
    world = build_world()
    client = client_as(app, world, persona)
    answers = {}
    for rule in int_rules(app):
        method = "GET" if "GET" in rule.methods else "POST"
        for huge in HUGE:
            url = fill(rule, huge, world)
            with app.app_context():
                answers[f"{method} {url}"] = client.open(url, method=method).status_code
            db.session.rollback()
    wrong = {url: status for url, status in answers.items() if status != 404}
    assert not wrong, wrong


def test_the_largest_id_the_database_holds_still_reaches_the_page(app):
    world = build_world()
    lead = client_as(app, world, "lead")
    with app.app_context():
        assert lead.get(f"/assessments/{DATABASE_ID_MAX}").status_code == 404  # reached, none
        assert lead.get(f"/assessments/{world.ids['assessment']}").status_code == 200


def test_an_id_past_the_range_in_a_query_string_is_no_id(app):
    world = build_world()
    lead = client_as(app, world, "lead")
    url = f"/assessments/{world.ids['assessment']}/actions/{world.ids['action']}"
    for huge in HUGE:
        with app.app_context():
            assert lead.get(f"{url}?workshop={huge}").status_code == 200


AUTOSAVE = "/assessments/{assessment}/rate/iom-key-principles/1/autosave"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"item_id": "1.1", "evidence": "Minutes \\ud800"}', "half of a character"),
        ('{"item_id": "1.1", "value": "green", "\\udfff": "x"}', "half of a character"),
        ('{"item_id": "1.1", "evidence": ["\\ud800"]}', "half of a character"),
        ("[" * 50_000 + "]" * 50_000, "nested too deeply"),
        ('{"item_id": ' + "[" * 50_000 + "]" * 50_000 + "}", "nested too deeply"),
    ],
    ids=["surrogate", "surrogate-key", "surrogate-in-list", "deep", "deep-value"],
)
def test_autosave_json_that_cannot_be_text_is_refused_with_a_message(app, body, message):
    world = build_world()
    lead = client_as(app, world, "lead")
    url = AUTOSAVE.format(**world.ids)
    with app.app_context():
        response = lead.post(url, data=body, content_type="application/json")
    assert response.status_code == 400
    assert message in response.get_json()["errors"]["form"]
    db.session.expire_all()
    assert db.session.scalar(db.select(Rating).filter_by(item_id="1.1", evidence="Minutes")) is None


def test_a_surrogate_pair_is_one_character_and_is_saved(app):
    world = build_world()
    lead = client_as(app, world, "lead")
    body = '{"item_id": "1.2", "value": "amber", "evidence": "Agreed \\ud83d\\udc4d"}'
    with app.app_context():
        response = lead.post(
            AUTOSAVE.format(**world.ids), data=body, content_type="application/json"
        )
    assert response.status_code == 200, response.data
    db.session.expire_all()
    saved = db.session.scalars(db.select(Rating.evidence).filter_by(item_id="1.2")).all()
    assert "Agreed \U0001f44d" in saved


@pytest.mark.parametrize("limit", [0, 7, 10, 99, 1_000, 2**31 - 1])
def test_the_id_pattern_matches_exactly_the_numbers_up_to_its_limit(limit):
    pattern = re.compile(digits_up_to(limit))
    near = {0, 1, limit - 1, limit, limit + 1, limit * 10, *range(0, min(limit + 50, 5_000))}
    for number in near - {-1}:
        assert bool(pattern.fullmatch(str(number))) == (number <= limit), number
