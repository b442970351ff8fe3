"""The table-driven authorization harness: every route, walked as six personas.

Each area adds a module ``tests/authz/test_<area>_routes.py`` with:

    from tests.authz.harness import Route, expect, route_test

    ROUTES = [
        Route("GET", "/assessments/{assessment}", expect(observer=200, member=200, lead=200)),
        Route("POST", "/assessments/{assessment}/status", expect(lead=302), data={"to": "agreed"}),
    ]
    test_routes = route_test(ROUTES)

``expect`` starts from the usual denials (anonymous: 302 to sign in; outsider and analyst: 404
because the object is out of their reach; observer and member: 403 since they can see the
partnership but not do this) and you override per persona. Pass a set ({200, 302}) when more than
one status is right. Placeholders in the url are filled from ``World.ids``: p, q (partnership
ids), assessment, q_assessment, framework, section, item, action, q_action, agreed, and the user
ids lead_id, member_id, observer_id, outsider_id, analyst_id. A route needing more objects passes
``setup=lambda world: {"invitation": make_invitation(world.p).id}``; its keys join the ids.

Each route gets a fresh world; personas are walked from least to most privileged (anonymous,
outsider, analyst, observer, member, lead) on that one world, so a lead's successful POST runs
last. tests/authz/test_route_coverage.py fails when a rule of the app has no entry here.

Individual ratings. The world's assessment is walked "open" unless a route names more
``states`` ("agreed"; "shared": open, with the lead sharing results early). ``SEES_OTHERS`` says
per state who may see other people's ratings and evidence; on every route, in every state, an
answer to anyone else must not hold another rater's evidence (the lead's and the member's are
marked), whatever the format (HTML, JSON, CSV, XLSX, PDF), so a new route that leaks fails here.
``shows_ratings=True`` marks the routes whose purpose is showing them: there, those who may see
them must find the lead's evidence. Statuses may differ by state: ``per_state(open=..., ...)``.
Every 200 answered to a signed-in persona must say ``Cache-Control: no-store``.
"""

from __future__ import annotations

import html
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from selfassess.extensions import db
from selfassess.models import User
from selfassess.services.agreement import add_action, participant_for, save_agreed_rating
from tests.factories import make_assessment, make_partnership, make_user, rate

PERSONAS = ("anonymous", "outsider", "analyst", "observer", "member", "lead")
KP = "iom-key-principles"
STATES = ("open", "agreed", "shared")
# Who may see other people's individual ratings and evidence, by the assessment's state.
SEES_OTHERS = {
    "open": {"observer", "lead"},
    "agreed": {"observer", "member", "lead"},
    "shared": {"observer", "member", "lead"},
}
# Each rater's evidence in the world's assessment, so any answer carrying it can be spotted.
EVIDENCE = {"lead": "Board minutes", "member": "No protocol"}

# The usual answer to each persona for something only a lead may do in partnership P.
DENIED = {
    "anonymous": 302,
    "outsider": 404,
    "analyst": 404,
    "observer": 403,
    "member": 403,
    "lead": 403,
}


def expect(default: dict[str, Any] | None = None, **statuses: int | set[int]) -> dict[str, Any]:
    """Expected status per persona: the usual denials, overridden by keyword."""
    unknown = set(statuses) - set(PERSONAS)
    if unknown:
        raise ValueError(f"unknown personas {unknown}")
    table = dict(DENIED if default is None else default)
    table.update(statuses)
    return table


def everyone(status: int | set[int]) -> dict[str, Any]:
    """The same status for every persona (public pages)."""
    return dict.fromkeys(PERSONAS, status)


def per_state(**tables: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Expected statuses that differ with the assessment's state: per_state(open=..., ...)."""
    unknown = set(tables) - set(STATES)
    if unknown:
        raise ValueError(f"unknown states {unknown}")
    return tables


@dataclass
class Route:
    method: str
    url: str
    expected: dict[str, Any]
    data: dict[str, Any] | None = None
    setup: Callable[[World], dict[str, Any]] | None = None
    json: Any = None
    states: tuple[str, ...] = ("open",)
    shows_ratings: bool = False

    def __str__(self) -> str:
        return f"{self.method} {self.url}"

    def expected_in(self, state: str) -> dict[str, Any]:
        """The persona table for one state (the same in every state unless per_state)."""
        if set(self.expected) <= set(STATES):
            return self.expected[state]
        return self.expected


@dataclass
class World:
    p: Any
    q: Any
    users: dict[str, User]
    assessment: Any
    q_assessment: Any
    ids: dict[str, Any] = field(default_factory=dict)

    def url(self, template: str, extra: dict[str, Any] | None = None) -> str:
        return template.format(**{**self.ids, **(extra or {})})


def build_world() -> World:
    """Partnership P (lead, member, observer), partnership Q (its member: the outsider), a
    national analyst; an open assessment in P with two ratings, an agreed rating and an action;
    an open assessment in Q with an action."""
    p = make_partnership(name="Pshire Community Safety Partnership")
    q = make_partnership(name="Qshire Community Safety Partnership")
    users = {
        "lead": make_user(p, "lead", name="Lee Lead", agency="local_authority"),
        "member": make_user(p, "member", name="Mo Member", agency="police"),
        "observer": make_user(p, "observer", name="Ola Observer", agency="other"),
        "outsider": make_user(q, "lead", name="Otto Outsider", agency="probation"),
        "analyst": make_user(None, name="Ana Analyst", agency=None, is_analyst=True),
    }
    assessment = make_assessment(p, ("iom-key-principles", "ppo-traffic-light"), status="open")
    q_assessment = make_assessment(q, status="open")
    lead_part = participant_for(assessment, users["lead"], create=True)
    member_part = participant_for(assessment, users["member"], create=True)
    rate(lead_part, "1.1", "amber", evidence=EVIDENCE["lead"])
    rate(member_part, "1.1", "red", evidence=EVIDENCE["member"])
    agreed = save_agreed_rating(
        assessment, KP, "1.1", "amber", "Agreed at the board", None, users["lead"]
    )
    action = add_action(
        assessment, KP, "Write the protocol", "Police", users["lead"], item_id="1.1"
    )
    q_action = add_action(
        q_assessment, KP, "Q's own action", "Probation", users["outsider"], item_id="1.1"
    )
    ids = {
        "p": p.id,
        "q": q.id,
        "assessment": assessment.id,
        "q_assessment": q_assessment.id,
        "framework": KP,
        "section": "1",
        "item": "1.1",
        "agreed": agreed.id,
        "action": action.id,
        "q_action": q_action.id,
    }
    ids.update({f"{name}_id": user.id for name, user in users.items()})
    db.session.commit()
    return World(p, q, users, assessment, q_assessment, ids)


def put_in_state(world: World, state: str) -> None:
    """Move the world's assessment to one of STATES."""
    if state == "agreed":
        world.assessment.status = "agreed"
    elif state == "shared":
        world.assessment.results_shared = True
    db.session.commit()


def client_as(app, world: World, persona: str):
    """A test client signed in as the persona (anonymous: not signed in)."""
    client = app.test_client()
    if persona != "anonymous":
        user_id = world.users[persona].id
        with client.session_transaction() as session:
            session["_user_id"] = str(user_id)
            session["_fresh"] = True
    return client


def call(client, method: str, url: str, data=None, json=None):
    kwargs: dict[str, Any] = {}
    if json is not None:
        kwargs["json"] = json
    elif data is not None:
        kwargs["data"] = data
    return client.open(url, method=method, follow_redirects=False, **kwargs)


def readable_text(response) -> str:
    """What a person would read in the answer, whatever its format."""
    kind = response.mimetype or ""
    if kind == "application/pdf":
        pages = PdfReader(io.BytesIO(response.data)).pages
        return " ".join(" ".join(p.extract_text().split()) for p in pages)
    if kind.endswith("spreadsheetml.sheet"):
        book = load_workbook(io.BytesIO(response.data), read_only=True)
        return " ".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    if kind == "application/zip":  # analysis tables: .sav and .dta keep their text as UTF-8
        with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
            return " ".join(
                archive.read(name).decode("utf-8", "ignore") for name in archive.namelist()
            )
    if kind.startswith("image/"):
        return ""  # a picture (a scanned page) holds no stored text to leak
    return html.unescape(response.get_data(as_text=True))


def _reading_problems(route: Route, url: str, persona: str, state: str, response) -> list[str]:
    """Another rater's evidence where the persona may not see it; none where they should."""
    if response.status_code != 200:
        return []
    where = f"{route.method} {url} as {persona} ({state})"
    problems = []
    if persona != "anonymous" and "no-store" not in response.headers.get("Cache-Control", ""):
        problems.append(f"{where}: a signed-in page without Cache-Control: no-store")
    text = readable_text(response)
    if persona not in SEES_OTHERS[state]:
        leaked = [who for who, words in EVIDENCE.items() if who != persona and words in text]
        if leaked:
            problems.append(f"{where}: shows the evidence of {', '.join(leaked)}")
    elif route.shows_ratings and EVIDENCE["lead"] not in text:
        problems.append(f"{where}: should show everyone's evidence but does not")
    return problems


def walk(app, world: World, route: Route, state: str = "open") -> list[str]:
    """Call the route as every persona; one line per unexpected status or leaked rating."""
    put_in_state(world, state)
    extra = route.setup(world) if route.setup else {}
    db.session.commit()
    url = world.url(route.url, extra)
    table = route.expected_in(state)
    problems = []
    for persona in PERSONAS:
        expected = table[persona]
        allowed = expected if isinstance(expected, set) else {expected}
        client = client_as(app, world, persona)
        # A fresh app context per request: Flask-Login caches the user on `g`, which would
        # otherwise be shared with the test's own context and leak between personas.
        with app.app_context():
            response = call(client, route.method, url, route.data, route.json)
        db.session.expire_all()
        if response.status_code not in allowed:
            problems.append(
                f"{route.method} {url} as {persona} ({state}): got {response.status_code}, "
                f"expected {sorted(allowed)}"
            )
        problems.extend(_reading_problems(route, url, persona, state, response))
    return problems


def route_test(routes: list[Route]):
    """A pytest test walking each route of the table, in each of its states, on a fresh world."""
    cases = [
        pytest.param(route, state, id=f"{route} [{state}]")
        for route in routes
        for state in route.states
    ]

    @pytest.mark.parametrize(("route", "state"), cases)
    def test_route(app, route, state):
        world = build_world()
        problems = walk(app, world, route, state)
        assert not problems, "\n".join(problems)

    return test_route
