"""One populated service for the accessibility and keyboard tests, built once per module.

The demo partnership (load_demo: a lead, six members, an observer, ratings that disagree, agreed
ratings, actions and their history), the demo national analyst, a pending invitation, a live
workshop, and a national collection three other partnerships have returned to, so the national
picture has charts. Built through the services and factories; served on a free port.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest
from babel.support import Translations
from sqlalchemy import select, update
from werkzeug.serving import make_server

from selfassess import create_app
from selfassess.config import TestConfig
from selfassess.demo.partnership import (
    DEMO_ANALYST,
    DEMO_CODE,
    DEMO_PASSWORD,
    load_demo,
    load_demo_analyst,
)
from selfassess.domain.survey_flow import ARRANGEMENTS_ITEM
from selfassess.extensions import FRAMEWORKS_KEY, db, frameworks
from selfassess.models import Action, Assessment, Membership, Partnership, User
from selfassess.services.collections import create_collection
from selfassess.services.invitations import create_invitation
from selfassess.services.returns import save_draft_answer, submit_return
from selfassess.services.workshop import start_session
from tests.factories import make_assessment, make_participant, make_partnership, make_user, rate

KP = "iom-key-principles"
TRANSLATIONS = Path(__file__).parents[2] / "selfassess" / "translations"
SURVEY = "national-survey-2013"
EMAILS = {
    "lead": "lead@demo.example",
    "member": "police@demo.example",
    "observer": "observer@demo.example",
    "analyst": DEMO_ANALYST[0],
}
PASSWORD = DEMO_PASSWORD


@dataclass
class World:
    url: str
    app: object
    partnership_id: int
    assessment_id: int
    section_id: str
    item_id: str
    action_id: int
    invitation_id: int
    invitation_token: str
    workshop_id: int
    join_code: str
    collection_slug: str
    return_id: int
    observer_membership_id: int
    storage: dict = field(default_factory=dict)
    # The language pages are asked for in ("en", "cy"); labels the tests click are said in it.
    language: str = "en"

    def say(self, english: str) -> str:
        """A message or framework text as the page shows it in the world's language (for
        finding labels)."""
        if self.app.config.get("PSEUDO_LOCALE", False):
            return f"⟦{english}⟧"
        found = said(english, self.language)
        if found == english:
            found = self.app.extensions[FRAMEWORKS_KEY].in_language(english, self.language)
        return found


def said(english: str, language: str) -> str:
    """``english`` as the service says it in ``language`` (the compiled Welsh catalogue)."""
    if language == "en":
        return english
    return Translations.load(str(TRANSLATIONS), [language]).gettext(english)


def build_world(tmp: Path, **overrides):
    """(app, server, thread, World): the caller shuts the server down and pops the context."""
    app = create_app(
        TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp / 'a11y.sqlite'}", **overrides
    )
    ctx = app.app_context()
    ctx.push()
    db.create_all()
    load_demo()
    load_demo_analyst()
    partnership = db.session.execute(select(Partnership).filter_by(code=DEMO_CODE)).scalar_one()
    assessment = db.session.execute(
        select(Assessment).filter_by(partnership_id=partnership.id)
    ).scalar_one()
    lead = db.session.execute(select(User).filter_by(email=EMAILS["lead"])).scalar_one()
    analyst = db.session.execute(select(User).filter_by(email=EMAILS["analyst"])).scalar_one()
    action = db.session.execute(select(Action).filter_by(assessment_id=assessment.id)).scalars()
    kp = frameworks().get(KP)

    invitation = create_invitation(partnership, "member", lead, for_name="Nina New")
    db.session.commit()
    workshop = start_session(assessment, lead)

    # A collection open now: the demo partnership is expected (its lead answers the survey),
    # three others have returned, so the national picture has figures and charts.
    others = [make_partnership(region="north_west") for _ in range(3)]
    today = date.today()
    collection = create_collection(
        "National returns 2026",
        "returns-2026",
        [KP, SURVEY],
        today - timedelta(days=1),
        today + timedelta(days=30),
        actor=analyst,
        expected=[partnership, *others],
    )
    # The demo lead has started the survey: IOM is in place, in one arrangement.
    save_draft_answer(collection, partnership, SURVEY, "q1", 0, ["yes"])
    save_draft_answer(collection, partnership, SURVEY, ARRANGEMENTS_ITEM, 0, ["1"])
    db.session.commit()
    returned = None
    for n, other in enumerate(others):
        other_assessment = make_assessment(other, status="agreed")
        participant = make_participant(other_assessment, make_user(other, "lead"))
        for item in list(kp.items)[:6]:
            rate(participant, item.id, ("red", "amber", "green")[(n + len(item.id)) % 3])
        returned = submit_return(collection, other, other_assessment, [], 1, analyst)

    world = World(
        url="",
        app=app,
        partnership_id=partnership.id,
        assessment_id=assessment.id,
        section_id=kp.sections[0].id,
        item_id="1.3",
        action_id=next(iter(action)).id,
        invitation_id=invitation.invitation.id,
        invitation_token=invitation.token,
        workshop_id=workshop.id,
        join_code=workshop.join_code,
        collection_slug=collection.slug,
        return_id=returned.id,
        observer_membership_id=db.session.execute(
            select(Membership.id)
            .join(User, User.id == Membership.user_id)
            .filter(User.email == EMAILS["observer"])
        ).scalar_one(),
    )
    # Real forms from a real browser: held to the CSRF check as in service.
    app.config["WTF_CSRF_ENABLED"] = True
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    world.url = f"http://127.0.0.1:{server.server_port}"
    return ctx, server, thread, world


def sign_in_state(browser, world: World, role: str) -> dict:
    """A signed-in browser state for the role (signing in through the form once per module)."""
    key = (role, world.language)
    if key not in world.storage:
        context = browser.new_context()
        with_language(context, world)
        page = context.new_page()
        page.goto(f"{world.url}/sign-in")
        page.get_by_label(world.say("Email address")).fill(EMAILS[role])
        page.get_by_role("textbox", name=world.say("Password")).fill(PASSWORD)
        page.get_by_role("button", name=world.say("Sign in")).click()
        page.wait_for_url(lambda url: "/sign-in" not in url)
        world.storage[key] = context.storage_state()
        context.close()
    return world.storage[key]


def with_language(context, world: World) -> None:
    """The world's language for everyone: the guest's cookie, as the English | Cymraeg toggle
    sets it, and each account's choice (which signing in with the Welsh cookie would otherwise
    keep, and which wins over the cookie)."""
    context.add_cookies([{"name": "language", "value": world.language, "url": world.url}])
    db.session.execute(update(User).values(language=world.language))
    db.session.commit()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    ctx, server, thread, built = build_world(tmp_path_factory.mktemp("a11y"))
    yield built
    server.shutdown()
    thread.join(timeout=5)
    db.session.remove()
    db.engine.dispose()
    ctx.pop()


@pytest.fixture
def open_as(browser, world):
    """open_as(role or None, **context options) -> a new page in its own browser context."""
    made = []

    def new(role: str | None, **options):
        if role:
            options["storage_state"] = sign_in_state(browser, world, role)
        context = browser.new_context(**options)
        with_language(context, world)
        made.append(context)
        return context.new_page()

    yield new
    for context in made:
        context.close()
