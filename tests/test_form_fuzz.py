"""A fuzz pass over every form route of the app: random and hostile values, never a 500.

Every POST rule in ``app.url_map`` is walked (a new form route is included without editing this
file; its url and the objects it needs come from the authorization tables in tests/authz), signed
in as a lead of the partnership and as a national analyst. Each request sends a random choice of
the route's own fields, the fields of every form in the service, and a few that no form has,
filled with hostile values: very long text, unicode (right-to-left marks, emoji, NUL),
HTML and script, SQL-ish strings, negative, huge and not-a-number numbers, impossible dates,
lists where one value is expected, random files; fields left out. Files include hostile ones: a
workbook that unzips to 30 MB, one declaring XML entities, a truncated one, a CSV of a million
stray cells. Some requests put ids past the database's range (2^31, 2^63) in the address, and
some send JSON holding lone surrogates (``"\ud800"``) or nested 50,000 deep, to form routes and
JSON routes alike. The answer may be anything but a server error. How many requests were tried
is printed.
"""

from __future__ import annotations

import functools
import importlib
import io
import random
import re
from collections import Counter

import pytest
from bs4 import BeautifulSoup
from wtforms import FileField
from wtforms.fields.core import UnboundField

from selfassess.extensions import db
from tests.authz.harness import build_world, client_as
from tests.test_csrf import _wipe, state_changing_rules, table_entry
from tests.test_import_limits import HOSTILE_WORKBOOKS, padded, stray_cells_csv

REQUESTS_EACH = 12
PERSONAS = ("lead", "analyst")
FORM_MODULES = [
    "selfassess.views.auth.forms",
    "selfassess.views.partnerships.forms",
    "selfassess.views.assessments.forms",
    "selfassess.views.workshop.forms",
    "selfassess.views.reports.forms",
    "selfassess.views.national.forms",
]

HOSTILE = [
    "",
    " ",
    "\t\r\n",
    "a" * 10_000,
    "é" * 6_000,
    "Ωmega ✓ 你好 \u202eevil\u202c \U0001f4a9 \ufeff",
    "nul\x00byte",
    "\x00",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE user_account; --",
    "1 OR 1=1",
    "' OR ''='",
    "%s%s%n",
    "{{ 7 * 7 }}",
    "../../../etc/passwd",
    '=HYPERLINK("http://x")',
    "-1",
    "0",
    "-99999999999999999999",
    "99999999999999999999999999999",
    "1e309",
    "NaN",
    "-0",
    "3.7",
    "2026-02-30",
    "31",
    "13",
    "0000",
    "99999",
    "30/02/2026",
    "true",
    "null",
    "[]",
    "{}",
    "red",
    "amber",
    "green",
    "dont_know",
    "not_applicable",
    "lead",
    "member",
    "observer",
    "police",
    "london",
    "open",
    "agreed",
    "next",
    "previous",
    "reveal",
    "goto",
    "iom-key-principles:1.1",
    "iom-key-principles",
    "1.1",
    "someone@example.com",
    "x@y",
]
UNKNOWN_FIELDS = ["__proto__", "id", "partnership_id", "is_analyst", "role[]", "a" * 300]
HUGE_IDS = (2**31, 2**63, 10**30)
# JSON no browser sends: half a character, escaped as JSON allows, and nesting past the stack.
HOSTILE_JSON = (
    '{"item_id": "1.1", "value": "green", "evidence": "\\ud800"}',
    '{"\\udfff": "x"}',
    '["\\udbff"]',
    "[" * 50_000 + "]" * 50_000,
    '{"item_id": ' + "[" * 50_000 + "]" * 50_000 + "}",
)


@functools.cache
def hostile_files() -> list[tuple[bytes, str]]:
    """Built once: a workbook that unzips to 30 MB, the other hostile workbooks, a CSV of a
    million stray cells."""
    workbooks = [(make(), "returns.xlsx") for make, _ in HOSTILE_WORKBOOKS.values()]
    return [(padded(30), "returns.xlsx"), *workbooks, (stray_cells_csv(), "returns.csv")]


def _form_fields() -> tuple[set[str], set[str]]:
    """Names of every field of every form in the service, and which of them take files."""
    names, files = set(), set()
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for cls in vars(module).values():
            if not isinstance(cls, type):
                continue
            for attr, value in vars(cls).items():
                if isinstance(value, UnboundField):
                    names.add(attr)
                    if issubclass(value.field_class, FileField):
                        files.add(attr)
    return names, files


ALL_FIELDS, FILE_FIELDS = _form_fields()
TRIED: Counter = Counter()


def _value(rng: random.Random, name: str, own: dict):
    if name in FILE_FIELDS:
        if rng.random() < 0.3:
            content, filename = rng.choice(hostile_files())
            return (io.BytesIO(content), rng.choice([filename, "list.csv"]))
        content = rng.choice(
            [
                b"",
                rng.randbytes(rng.randint(1, 2000)),
                b"partnership_code,q1\nE00001,yes\n",
                b"PK\x03\x04" + rng.randbytes(100),
                "=cmd|' /C calc'!A0,\u202e\n".encode(),
            ]
        )
        filename = rng.choice(["returns.csv", "returns.xlsx", "r.json", "x.exe", "", "../a.csv"])
        return (io.BytesIO(content), filename)
    roll = rng.random()
    if name in own and roll < 0.3:
        return own[name]
    if roll < 0.4:
        return [rng.choice(HOSTILE) for _ in range(rng.randint(2, 4))]  # several values
    if roll < 0.5:
        return "".join(_char(rng) for _ in range(rng.randint(1, 60)))
    return rng.choice(HOSTILE)


def _char(rng: random.Random) -> str:
    """Any character a browser can send: lone surrogates cannot be encoded, so none of those."""
    code = rng.randint(1, 0x2FFFF)
    return chr(code) if not 0xD800 <= code <= 0xDFFF else "\ufffd"


def _random_form(rng: random.Random, own: dict) -> dict:
    data = {}
    for name in sorted(ALL_FIELDS | set(own)):
        chance = 0.7 if name in own else 0.15
        if rng.random() < chance:
            data[name] = _value(rng, name, own)
    for name in UNKNOWN_FIELDS:
        if rng.random() < 0.05:
            data[name] = rng.choice(HOSTILE)
    # The date fields of GOV.UK date inputs come as three parts.
    for name in ("due_on", "opens_on", "closes_on"):
        if rng.random() < 0.2:
            data[name] = [rng.choice(HOSTILE) for _ in range(3)]
    return data


def _random_json(rng: random.Random, own):
    return rng.choice(
        [
            own,
            None,
            [],
            "text",
            -1,
            10**30,
            {"value": rng.choice(HOSTILE)},
            {k: rng.choice(HOSTILE) for k in (own or {"x": 1})},
            {k: [rng.choice(HOSTILE)] for k in (own or {"x": 1})},
            {k: {"nested": rng.choice(HOSTILE)} for k in (own or {"x": 1})},
        ]
    )


def _huge_ids(rng: random.Random, url: str) -> str:
    """The address with its ids (or one of them) past what the database holds."""
    return re.sub(r"/\d+(?=/|$)", lambda m: f"/{rng.choice(HUGE_IDS)}", url)


def _request(rng: random.Random, route) -> dict:
    """What to send: the route's kind of body, now and then hostile JSON instead."""
    if rng.random() < 0.15:
        return {"data": rng.choice(HOSTILE_JSON), "content_type": "application/json"}
    if route.json is not None:
        return {"json": _random_json(rng, route.json)}
    return {"data": _random_form(rng, route.data or {})}


def _rules(app):
    return [(method, rule.rule) for method, rule in state_changing_rules(app)]


def pytest_generate_tests(metafunc):
    if "form_rule" in metafunc.fixturenames:
        from selfassess import create_app
        from selfassess.config import TestConfig

        rules = _rules(create_app(TestConfig))
        metafunc.parametrize("form_rule", rules, ids=[f"{m} {r}" for m, r in rules])


@pytest.fixture(scope="module", autouse=True)
def _report_total():
    yield
    print(f"\nform fuzz: {sum(TRIED.values())} requests tried over {len(TRIED)} routes")


@pytest.mark.slow
def test_hostile_forms_never_get_a_server_error(app, form_rule):
    method, rule_text = form_rule
    rule = next(r for m, r in state_changing_rules(app) if m == method and r.rule == rule_text)
    route = table_entry(app, method, rule)
    rng = random.Random(f"{method} {rule_text}")
    problems = []
    for persona in PERSONAS:
        world = build_world()
        extra = route.setup(world) if route.setup else {}
        db.session.commit()
        url = world.url(route.url, extra)
        for _ in range(REQUESTS_EACH):
            client = client_as(app, world, persona)
            kwargs = _request(rng, route)
            address = _huge_ids(rng, url) if rng.random() < 0.15 else url
            headers = {"X-Requested-With": "fetch"} if rng.random() < 0.3 else {}
            description = repr(kwargs)[:600]
            with app.app_context():
                try:
                    response = client.open(address, method=method, headers=headers, **kwargs)
                except Exception as error:  # noqa: BLE001 - the test client re-raises; report it
                    problems.append(
                        f"{method} {address} as {persona}: {error!r} with {description}"
                    )
                    db.session.rollback()
                    continue
            TRIED[f"{method} {rule_text}"] += 1
            if response.status_code >= 500:
                problems.append(
                    f"{method} {address} as {persona}: {response.status_code} with {description}"
                )
            db.session.rollback()
            db.session.expire_all()
        _wipe()
    print(f"\n{method} {rule_text}: {TRIED[f'{method} {rule_text}']} requests tried")
    assert not problems, "\n".join(problems[:5])


# --- what the fuzz pass found, kept as regression tests -----------------------------------------


def test_a_nul_character_in_typed_text_is_dropped_not_a_server_error(app):
    """PostgreSQL refuses NUL in text: evidence, an autosave and a query string carrying one
    are saved (or read) without it."""
    from selfassess.models import Rating

    world = build_world()
    lead = client_as(app, world, "lead")
    url = f"/assessments/{world.ids['assessment']}/rate/iom-key-principles/1"
    with app.app_context():
        response = lead.post(
            url, data={"item-1-1-value": "green", "item-1-1-evidence": "Board\x00 minutes"}
        )
    assert response.status_code < 500
    with app.app_context():
        response = lead.post(
            f"{url}/autosave",
            json={"item_id": "1.2", "value": "amber", "evidence": "Pasted\x00 text"},
        )
    assert response.status_code == 200, response.data
    with app.app_context():
        assert lead.get(f"/assessments/{world.ids['assessment']}?x=\x00").status_code < 500
    db.session.expire_all()
    evidence = {r.item_id: r.evidence for r in db.session.scalars(db.select(Rating))}
    assert evidence["1.2"] == "Pasted text"
    assert all("\x00" not in (text or "") for text in evidence.values())


def test_an_autosave_that_is_not_an_object_is_refused_plainly(app):
    world = build_world()
    lead = client_as(app, world, "lead")
    url = f"/assessments/{world.ids['assessment']}/rate/iom-key-principles/1/autosave"
    for body in (-1, 10**30, "text", {"item_id": "1.1", "evidence": ["a list"]}):
        with app.app_context():
            response = lead.post(url, json=body)
        assert response.status_code == 400, body
        assert response.get_json()["saved"] is False


def test_a_date_with_the_wrong_number_of_boxes_is_an_error_not_a_server_error(app):
    world = build_world()
    lead, analyst = client_as(app, world, "lead"), client_as(app, world, "analyst")
    action = f"/assessments/{world.ids['assessment']}/actions/{world.ids['action']}"
    with app.app_context():
        response = lead.post(
            action,
            data={
                "description": "Write it",
                "owner": "Police",
                "status": "not_started",
                "due_on": "31",
            },
        )
    assert response.status_code < 500
    with app.app_context():
        response = analyst.post(
            "/national/collections/new",
            data={
                "title": "Round",
                "slug": "round",
                "frameworks": "national-survey-2013",
                "opens_on": ["1", "4", "2026", "9"],
                "closes_on": ["31", "5", "2026"],
            },
        )
    assert response.status_code == 200
    page = BeautifulSoup(response.data, "html.parser")
    assert page.title.text.startswith("Error:")
    assert "date the collection opens" in page.select_one(".govuk-error-summary").text
