"""axe-core on every page type, signed in as each role: zero violations at WCAG 2.2 AA.

axe (node_modules/axe-core, pinned in package.json) is run inside the real page with
page.evaluate, which the Content-Security-Policy does not apply to, so the pages are checked
with their real CSP in force (no bypass_csp, no injected <script> tag).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from selfassess.extensions import db
from selfassess.models import WorkshopSession
from selfassess.services.workshop import end_session, move
from tests.browser import a11y_world
from tests.browser.a11y_world import World

pytestmark = pytest.mark.browser

# The populated service (one per module) and its signed-in pages.
world = a11y_world.world
open_as = a11y_world.open_as

AXE_SOURCE = (Path(__file__).parents[2] / "node_modules" / "axe-core" / "axe.min.js").read_text()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
KP = "iom-key-principles"

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))
  }));
}"""


def axe_violations(page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    return page.evaluate(RUN_AXE, WCAG_TAGS)


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"]:
            lines.append(f"    {node['target']}\n      {node['summary']}")
    return "\n".join(lines)


def assert_accessible(page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe found on {where} ({page.url}):\n{describe(violations)}"


def _workshop(world: World, revealed: bool) -> None:
    session = db.session.get(WorkshopSession, world.workshop_id)
    db.session.refresh(session)
    if session.revealed != revealed:
        move(session, "reveal" if revealed else "hide")


def _sign_in_error(page, world):
    page.get_by_role("button", name=world.say("Sign in")).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()


def _rating_error(page, world):
    page.locator("textarea").first.fill("x" * 5001)
    page.locator("#save-and-continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()


def _submit(button: str, fill: dict | None = None):
    """Submit the page's form (filled as given, else as it is) and expect its error summary."""

    def prepare(page, world):
        for label, value in (fill or {}).items():
            page.get_by_label(world.say(label), exact=True).fill(value)
        page.get_by_role("button", name=world.say(button), exact=True).click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()

    return prepare


def _created_token(page, world):
    page.get_by_label(world.say("What the token is for")).fill("Analysis team R scripts")
    page.get_by_role("button", name=world.say("Create token")).click()
    expect(page.locator(".govuk-panel, .govuk-notification-banner").first).to_be_visible()


def _import_errors(page, world):
    page.get_by_label(world.say("Returns file")).set_input_files(
        {
            "name": "returns.csv",
            "mimeType": "text/csv",
            "buffer": b"partnership_code,framework,question,arrangement,answer\n"
            b"E99999,iom-key-principles,9.9,0,purple\n",
        }
    )
    page.get_by_role("button", name=world.say("Import returns")).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()


def _facilitator(revealed: bool):
    def prepare(page, world):
        expect(page.locator("#progress-label")).to_be_visible()
        if revealed:
            page.keyboard.press("r")
            expect(page.locator(".app-result")).to_be_visible()

    return prepare


@dataclass
class Case:
    name: str
    role: str | None
    path: Callable[[World], str]
    prepare: Callable | None = None
    phone: bool = False
    status: int = 200


def _a(world, rest=""):
    return f"/assessments/{world.assessment_id}{rest}"


def _p(world, rest=""):
    return f"/partnerships/{world.partnership_id}{rest}"


def _n(world, rest=""):
    return f"/national/collections/{world.collection_slug}{rest}"


def _survey(world, rest):
    return (
        f"/national/partnerships/{world.partnership_id}/collections/{world.collection_slug}{rest}"
    )


CASES = [
    Case("start page", None, lambda w: "/"),
    Case("start page signed in", "member", lambda w: "/"),
    Case("frameworks index", None, lambda w: "/frameworks/"),
    Case("framework page", None, lambda w: f"/frameworks/{KP}"),
    Case("sign in", None, lambda w: "/sign-in"),
    Case("sign in with errors", None, lambda w: "/sign-in", _sign_in_error),
    Case("your partnerships (member)", "member", lambda w: "/partnerships/"),
    Case("your partnerships (analyst)", "analyst", lambda w: "/partnerships/"),
    Case("partnership page (lead)", "lead", lambda w: _p(w)),
    Case("partnership page (observer)", "observer", lambda w: _p(w)),
    Case("invite page (lead)", "lead", lambda w: _p(w, "/invite")),
    Case("invitation link (lead)", "lead", lambda w: _p(w, f"/invitations/{w.invitation_id}")),
    Case("invitation accept page", None, lambda w: f"/invitations/{w.invitation_token}"),
    Case("new assessment (lead)", "lead", lambda w: _p(w, "/assessments/new")),
    Case("assessments list (member)", "member", lambda w: _p(w, "/assessments")),
    Case("assessment overview with task list (member)", "member", lambda w: _a(w)),
    Case("assessment overview (lead)", "lead", lambda w: _a(w)),
    Case("rating page (member)", "member", lambda w: _a(w, f"/rate/{KP}/{w.section_id}")),
    Case(
        "rating page with errors (member)",
        "member",
        lambda w: _a(w, f"/rate/{KP}/{w.section_id}"),
        _rating_error,
    ),
    Case("check your answers (member)", "member", lambda w: _a(w, "/check-your-answers")),
    Case("completion matrix (lead)", "lead", lambda w: _a(w, "/progress")),
    Case("results (lead)", "lead", lambda w: _a(w, "/results")),
    Case(
        "item page with agreed rating, actions and history (lead)",
        "lead",
        lambda w: _a(w, f"/items/{KP}/{w.item_id}"),
    ),
    Case("item page (observer)", "observer", lambda w: _a(w, f"/items/{KP}/{w.item_id}")),
    Case("edit action (lead)", "lead", lambda w: _a(w, f"/actions/{w.action_id}")),
    Case(
        "whole section with its actions, form errors (lead)",
        "lead",
        lambda w: _a(w, f"/sections/{KP}/{w.section_id}"),
        _submit("Add action"),
    ),
    Case("whole section (observer)", "observer", lambda w: _a(w, f"/sections/{KP}/{w.section_id}")),
    Case("workshop overview (lead)", "lead", lambda w: _a(w, "/workshop")),
    Case("schedule the workshop (lead)", "lead", lambda w: _a(w, "/workshop/schedule")),
    Case(
        "schedule the workshop with errors (lead)",
        "lead",
        lambda w: _a(w, "/workshop/schedule"),
        _submit("Save and email members", {"End time": "25:00"}),
    ),
    Case("your account, email choices (member)", "member", lambda w: "/account"),
    Case(
        "workshop facilitator before reveal",
        "lead",
        lambda w: f"/workshop/{w.workshop_id}",
        _facilitator(revealed=False),
    ),
    Case(
        "workshop facilitator after reveal",
        "lead",
        lambda w: f"/workshop/{w.workshop_id}",
        _facilitator(revealed=True),
    ),
    Case("mark as agreed confirmation (lead)", "lead", lambda w: _a(w, "/status/agreed")),
    Case("workshop end confirmation (lead)", "lead", lambda w: f"/workshop/{w.workshop_id}/end"),
    Case("report (member)", "member", lambda w: _a(w, "/report")),
    Case("report section (lead)", "lead", lambda w: _a(w, "/report/iom-key-principles/1")),
    Case("report section (member)", "member", lambda w: _a(w, "/report/iom-key-principles/2")),
    Case("next cycle form (lead)", "lead", lambda w: _a(w, "/next-cycle")),
    Case("national collections (analyst)", "analyst", lambda w: "/national/"),
    Case("new collection (analyst)", "analyst", lambda w: "/national/collections/new"),
    Case("collection (analyst)", "analyst", lambda w: _n(w)),
    Case("national picture (analyst)", "analyst", lambda w: _n(w, "/picture")),
    Case("import returns (analyst)", "analyst", lambda w: _n(w, "/import")),
    Case("a return (analyst)", "analyst", lambda w: _n(w, f"/returns/{w.return_id}")),
    Case("API tokens (analyst)", "analyst", lambda w: "/national/tokens"),
    Case(
        "national returns (lead)",
        "lead",
        lambda w: f"/national/partnerships/{w.partnership_id}/returns",
    ),
    Case("survey question (lead)", "lead", lambda w: _survey(w, "/start")),
    Case(
        "survey question with checkboxes (lead)",
        "lead",
        lambda w: _survey(w, "/questions/national-survey-2013/q6/1"),
    ),
    Case(
        "survey number of arrangements (lead)",
        "lead",
        lambda w: _survey(w, "/questions/national-survey-2013/_arrangements/0"),
    ),
    Case("survey check answers (lead)", "lead", lambda w: _survey(w, "/check")),
    Case("sign out (member)", "member", lambda w: "/sign-out"),
    Case("new partnership (analyst)", "analyst", lambda w: "/partnerships/new"),
    Case(
        "new partnership with errors (analyst)",
        "analyst",
        lambda w: "/partnerships/new",
        _submit("Create partnership"),
    ),
    Case("invite a lead (analyst)", "analyst", lambda w: _p(w, "/invite-lead")),
    Case(
        "change a role (lead)",
        "lead",
        lambda w: _p(w, f"/members/{w.observer_membership_id}/role"),
    ),
    Case(
        "remove a member (lead)",
        "lead",
        lambda w: _p(w, f"/members/{w.observer_membership_id}/remove"),
    ),
    Case(
        "new assessment with errors (lead)",
        "lead",
        lambda w: _p(w, "/assessments/new"),
        _submit("Create assessment"),
    ),
    Case(
        "next cycle form with errors (lead)",
        "lead",
        lambda w: _a(w, "/next-cycle"),
        _submit("Start the next assessment"),
    ),
    Case(
        "new collection with errors (analyst)",
        "analyst",
        lambda w: "/national/collections/new",
        _submit("Create collection"),
    ),
    Case(
        "import returns with errors (analyst)",
        "analyst",
        lambda w: _n(w, "/import"),
        _import_errors,
    ),
    Case(
        "API token just created (analyst)", "analyst", lambda w: "/national/tokens", _created_token
    ),
    Case(
        "survey number of arrangements with errors (lead)",
        "lead",
        lambda w: _survey(w, "/questions/national-survey-2013/_arrangements/0"),
        _submit(
            "Save and continue",
            {"How many IOM arrangements are there in your partnership's area?": ""},
        ),
    ),
    Case("page not found", None, lambda w: "/no-such-page", status=404),
    Case("page not found signed in", "member", lambda w: "/assessments/999999", status=404),
    Case("forbidden (member)", "member", lambda w: _p(w, "/invite"), status=403),
    Case("workshop join page (phone)", None, lambda w: f"/join?code={w.join_code}", phone=True),
]


UNNAMED_TABLES = """() => [...document.querySelectorAll('main table')]
  .filter(t => !(t.caption && t.caption.textContent.trim()) && !t.getAttribute('aria-label'))
  .map(t => t.id || t.className)"""


@pytest.fixture(autouse=True)
def in_english(world):
    """Pages in English unless a test asks for Welsh."""
    world.language = "en"
    yield
    world.language = "en"


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_page_has_no_axe_violations(case: Case, language: str, world, open_as):
    """Each page type in English and in Welsh (where lang="cy" is on the page and any English
    fragment carries lang="en")."""
    world.language = language
    if "facilitator" in case.name:
        _workshop(world, revealed=False)
    page = open_as(case.role, **(PHONE if case.phone else {}))
    response = page.goto(world.url + case.path(world))
    assert response.status == case.status, page.url
    assert page.locator("html").get_attribute("lang") == language, page.url
    if case.prepare:
        case.prepare(page, world)
    assert_accessible(page, case.name)
    # Beyond axe: every data table says what it holds.
    assert page.evaluate(UNNAMED_TABLES) == [], f"tables without a caption on {case.name}"


def test_participant_phone_screens_have_no_axe_violations(world, open_as):
    """At 360px: joining, voting, a saved vote, and the reveal."""
    _workshop(world, revealed=False)
    phone = open_as(None, **PHONE)
    phone.goto(f"{world.url}/join")
    phone.get_by_role("button", name="Join the workshop").click()
    expect(phone.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(phone, "join page with errors")

    phone.get_by_label("Join code").fill(world.join_code)
    phone.get_by_label("Your name").fill("Pat Phone")
    phone.get_by_label("Police", exact=True).check()
    phone.get_by_role("button", name="Join the workshop").click()
    expect(phone.locator("#item-text")).to_be_visible()
    assert_accessible(phone, "voting screen")

    phone.get_by_role("button", name="Amber", exact=True).click()
    expect(phone.locator("#vote-status")).to_contain_text("Your vote is saved: Amber.")
    assert_accessible(phone, "voting screen after a vote")

    # The same name and agency from another phone is asked whether to continue as them.
    other = open_as(None, **PHONE)
    other.goto(f"{world.url}/join?code={world.join_code}")
    other.get_by_label("Your name").fill("Pat Phone")
    other.get_by_label("Police", exact=True).check()
    other.get_by_role("button", name="Join the workshop").click()
    expect(other.locator("legend")).to_contain_text("Have you joined before as Pat Phone")
    assert_accessible(other, "continue as")
    other.get_by_role("button", name="Continue").click()
    expect(other.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(other, "continue as with an error")
    other.get_by_label("Yes, continue as Pat Phone").check()
    other.get_by_role("button", name="Continue").click()
    expect(other.locator("#vote-status")).to_contain_text("Your vote is saved: Amber.")

    _workshop(world, revealed=True)
    expect(phone.locator("#vote-status")).to_contain_text("The votes are revealed.")
    assert_accessible(phone, "voting screen after the reveal")


def test_axe_reports_a_planted_violation(world, open_as):
    """The check itself works: an image without a text alternative is reported."""
    page = open_as(None)
    page.goto(world.url + "/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', "
        '\'<img src="/static/assets/images/favicon.png" id="planted">\')'
    )
    violations = axe_violations(page)
    assert [v["id"] for v in violations] == ["image-alt"]
    assert violations[0]["nodes"][0]["target"] == "#planted"


CHART_PAGES = [
    ("report (member)", "member", lambda w: _a(w, "/report")),
    ("national picture (analyst)", "analyst", lambda w: _n(w, "/picture")),
]
UNNAMED_CHARTS = """() => [...document.querySelectorAll('main svg')]
  .filter(svg => !svg.closest('[aria-hidden="true"]'))
  .filter(svg => {
    const img = svg.closest('[role="img"]');
    return !img || !(img.getAttribute('aria-label') || '').trim();
  }).length"""


@pytest.mark.parametrize(("name", "role", "path"), CHART_PAGES, ids=[c[0] for c in CHART_PAGES])
def test_every_chart_has_a_text_alternative_and_its_data_table(name, role, path, world, open_as):
    page = open_as(role)
    page.goto(world.url + path(world))
    charts = page.locator("main [role='img']:has(svg)")
    assert charts.count() > 0
    assert page.evaluate(UNNAMED_CHARTS) == 0
    assert page.locator("main table caption").count() >= charts.count()


def test_refusals_and_the_ended_workshop_have_no_axe_violations(world, open_as):
    """Last in this module: it ends the workshop the other checks use."""
    # A form sent without its CSRF token (an expired page, say) gets a GOV.UK page.
    lead = open_as("lead")
    lead.goto(world.url + _p(world, "/assessments/new"))
    lead.evaluate("document.querySelectorAll('input[name=csrf_token]').forEach(i => i.remove())")
    with lead.expect_response(lambda r: r.request.method == "POST") as answer:
        lead.get_by_role("button", name="Create assessment").click()
    assert answer.value.status == 400
    assert_accessible(lead, "form refused without its CSRF token")

    # The meeting ends: the phone and the facilitator's screen both say so.
    _workshop(world, revealed=False)
    phone = open_as(None, **PHONE)
    phone.goto(f"{world.url}/join?code={world.join_code}")
    phone.get_by_label("Your name").fill("Rae Refusal")
    phone.get_by_label("Police", exact=True).check()
    phone.get_by_role("button", name="Join the workshop").click()
    expect(phone.locator("#item-text")).to_be_visible()
    end_session(db.session.get(WorkshopSession, world.workshop_id))
    phone.reload()
    expect(phone.locator("main")).to_contain_text("Thank you for taking part")
    assert_accessible(phone, "participant screen after the meeting ended")
    lead.goto(f"{world.url}/workshop/{world.workshop_id}")
    expect(lead.locator("main")).to_contain_text("no longer works")
    assert_accessible(lead, "facilitator screen after the meeting ended")
