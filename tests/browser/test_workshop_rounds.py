"""The live workshop as a board runs it: a projector browser, the lead's controls on a phone,
five phones (one a signed-in member, one person re-joining from a second browser), two rounds
of votes, then agree, action, next and end. The tallies, the report's ratings and the export
are checked against the votes the test cast: one current vote per person; a second workshop
of the same assessment counts none of the first's votes as its own.

Each page carries a marker a reload would wipe: the projector and the phones follow the lead
without reloading.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from selfassess.extensions import db, frameworks
from selfassess.models.assessments import WorkshopSession
from selfassess.queries.ratings import assessment_results
from selfassess.queries.workshop import before_result, current_stop, meeting_result, walk_for
from tests.factories import PASSWORD, make_assessment, make_partnership, make_user

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}
KP = "iom-key-principles"
FOLLOW = 2000  # ms: the projector and the phones follow the lead within two seconds


@pytest.fixture
def contexts(browser):
    made = []

    def new(**options):
        context = browser.new_context(**options)
        made.append(context)
        return context.new_page()

    yield new
    for context in made:
        context.close()


def sign_in(page, url, user):
    page.goto(f"{url}/sign-in")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/sign-in"))


def join(page, url, code, name=None, agency=None):
    page.goto(f"{url}/join?code={code}")
    if name:
        page.get_by_label("Your name").fill(name)
        page.get_by_label(agency, exact=True).check()
    page.get_by_role("button", name="Join the workshop").click()


def cast(phone, word, comment=None):
    if comment is not None:
        phone.get_by_label("Comment (optional)").fill(comment)
    button = re.compile(rf"^{word}( \(your vote\))?$")  # the chosen one says so
    phone.get_by_role("button", name=button).click()
    expect(phone.locator("#vote-status")).to_contain_text(f"Your vote is saved: {word}.")


def item_result(assessment, item_id="1.1"):
    db.session.expire_all()
    return assessment_results(frameworks(), assessment).framework(KP).item(item_id)


def test_a_board_votes_twice_agrees_and_every_count_holds(live_server, contexts):
    partnership = make_partnership()
    lead = make_user(partnership, "lead", name="Lena Lead")
    member = make_user(partnership, "member", name="Mo Member", agency="probation")
    assessment = make_assessment(partnership)

    # The lead starts the workshop from a phone-sized screen, with a countdown.
    remote = contexts(**PHONE)
    sign_in(remote, live_server, lead)
    remote.goto(f"{live_server}/assessments/{assessment.id}/workshop")
    remote.get_by_label("No, show agencies only").check()
    remote.get_by_label("Time per question").select_option("300")
    remote.get_by_role("button", name="Start a live workshop").click()
    expect(remote.locator("#progress-label")).to_have_text("Question 1 of 32")
    assert remote.evaluate("document.documentElement.scrollWidth") <= 360
    workshop = db.session.execute(db.select(WorkshopSession)).scalar_one()
    code = workshop.join_code

    # The projector: its own page, full screen, no site chrome.
    projector = contexts(**PROJECTOR)
    sign_in(projector, live_server, lead)
    projector.goto(f"{live_server}/workshop/{workshop.id}/projector")
    expect(projector.locator("#join-code")).to_have_text(code)
    expect(projector.locator(".app-join__qr svg")).to_be_visible()
    expect(projector.locator("#countdown")).to_contain_text(re.compile(r"Time left [45]:\d\d"))
    assert projector.locator("header, footer, form, nav").count() == 0
    projector.evaluate("window.notReloaded = true")

    # Five people join: four guests and a signed-in member, who joins as themselves.
    phones = {}
    for name, agency in (
        ("Pat", "Police"),
        ("Pru", "Probation Service"),
        ("Hal", "Health (NHS and public health)"),
        ("Nia", "Housing"),
    ):
        phone = contexts(**PHONE)
        join(phone, live_server, code, name, agency)
        expect(phone.locator("#item-text")).to_contain_text("1.1")
        phones[name] = phone
    mo = contexts(**PHONE)
    sign_in(mo, live_server, member)
    join(mo, live_server, code)
    expect(mo.locator("#item-text")).to_contain_text("1.1")
    expect(mo.get_by_text("You joined as Mo Member")).to_be_visible()
    phones["Mo"] = mo
    for phone in phones.values():
        assert phone.locator("header nav, footer").count() == 0  # no site menus or footer
        expect(phone.locator("#countdown")).to_contain_text("Time left")
        phone.evaluate("window.notReloaded = true")
    expect(projector.locator("#voted-count")).to_have_text("0 of 5 have voted", timeout=FOLLOW)

    # Round 1.
    round_1 = {"Pat": "Red", "Pru": "Red", "Hal": "Green", "Mo": "Amber", "Nia": "Green"}
    for name, word in round_1.items():
        cast(phones[name], word, "Health is missing from the board" if name == "Pat" else None)
    # A comment thought of after voting goes with the same vote.
    phones["Nia"].get_by_label("Comment (optional)").fill("Housing <em>is</em> there")
    phones["Nia"].get_by_role("button", name="Send the comment with my vote").click()
    expect(phones["Nia"].locator("#vote-status")).to_contain_text("Your vote is saved: Green.")
    expect(phones["Nia"].get_by_label("Comment (optional)")).to_have_value(
        "Housing <em>is</em> there"
    )
    expect(projector.locator("#voted-count")).to_have_text("5 of 5 have voted", timeout=FOLLOW)

    # Pat switches browsers: the same name and agency is asked "continue as", and stays one
    # person with one vote.
    pat_again = contexts(**PHONE)
    join(pat_again, live_server, code, "Pat", "Police")
    pat_again.get_by_label("Yes, continue as Pat").check()
    pat_again.get_by_role("button", name="Continue").click()
    expect(pat_again.locator("#vote-status")).to_contain_text("Your vote is saved: Red.")
    cast(pat_again, "Red")
    expect(projector.locator("#voted-count")).to_have_text("5 of 5 have voted", timeout=FOLLOW)
    expect(remote.locator("#joined-count")).to_have_text("5 people have joined")

    # The lead reveals from the phone-sized controls; the projector and phones follow.
    remote.get_by_role("button", name="Reveal the votes").click()
    overall = projector.locator("#overall")
    expect(overall.locator("li", has_text="Red")).to_contain_text("2", timeout=FOLLOW)
    expect(overall.locator("li", has_text="Green")).to_contain_text("2")
    expect(projector.locator("#by-agency")).to_contain_text("Police")
    expect(projector.locator("#flags")).to_contain_text("Contested")
    comments = projector.locator("#comments li")
    expect(comments).to_have_text(["Health is missing from the board", "Housing <em>is</em> there"])
    for phone in phones.values():
        expect(phone.locator("#waiting")).to_have_text(
            "Waiting for the next question", timeout=FOLLOW
        )

    # Round 2: everyone votes again, unseen; Pat and Hal change their minds.
    remote.get_by_role("button", name="New round: vote again").click()
    expect(projector.locator("#round")).to_have_text("Round 2", timeout=FOLLOW)
    expect(projector.locator("#voted-count")).to_have_text("0 of 5 have voted")
    for phone in phones.values():
        expect(phone.locator("#vote-status")).to_contain_text(
            "Round 2: vote again.", timeout=FOLLOW
        )
    round_2 = {"Pat": "Amber", "Pru": "Red", "Hal": "Amber", "Mo": "Amber", "Nia": "Green"}
    for name, word in round_2.items():
        cast(phones[name], word)
    expect(projector.locator("#voted-count")).to_have_text("5 of 5 have voted", timeout=FOLLOW)
    expect(remote.locator("#voted-count")).to_have_text("(5 of 5 have voted)", timeout=FOLLOW)

    # The lead reveals round 2 from the projector's own keyboard.
    expect(projector.locator("#projector")).to_have_attribute("data-shortcuts", "ready")
    projector.keyboard.press("r")
    expect(projector.locator("#rounds li")).to_have_count(2, timeout=FOLLOW)
    expect(projector.locator("#rounds li").nth(0)).to_contain_text("Red 2, Amber 1, Green 2")
    expect(projector.locator("#rounds li").nth(1)).to_contain_text("Red 1, Amber 3, Green 1")
    moved = projector.locator("#moved")
    expect(moved).to_contain_text("Police: 1 of 1 moved (Red → Amber)")
    expect(moved).to_contain_text("Health (NHS and public health): 1 of 1 moved (Green → Amber)")
    expect(moved).to_contain_text("Probation Service: 0 of 2 moved")
    expect(moved).not_to_contain_text("Pat")  # names are not shown in this session
    expect(projector.locator("#derived")).to_contain_text("Amber")
    expect(remote.locator("#moved")).to_contain_text("Police: 1 of 1 moved")

    # Agree, with a rationale, and record an action, from the phone-sized controls.
    remote.get_by_role("radio", name="Amber").check()
    remote.get_by_label("Why the board agreed this rating").fill("Health not yet on the board")
    remote.get_by_role("button", name="Save agreed rating").click()
    expect(remote.locator("#agreed-rating")).to_contain_text("Amber")
    expect(projector.locator("#agreed")).to_contain_text("The board agreed: Amber", timeout=FOLLOW)
    remote.get_by_label("What will be done").fill("Invite health to the IOM board")
    remote.get_by_label("Who owns it").fill("Local authority")
    remote.get_by_role("button", name="Add action").click()
    expect(remote.locator("#actions")).to_contain_text("Invite health to the IOM board")
    assert remote.evaluate("document.documentElement.scrollWidth") <= 360

    # Next question: the projector and phones follow.
    remote.get_by_role("button", name="Next").click()
    expect(projector.locator("#item-text")).to_contain_text("1.2", timeout=FOLLOW)
    expect(projector.locator("#voted-count")).to_have_text("0 of 5 have voted")
    expect(projector.locator("#round")).to_have_count(0)
    for phone in phones.values():
        expect(phone.locator("#item-text")).to_contain_text("1.2", timeout=FOLLOW)

    # End, after the confirmation page.
    remote.get_by_role("button", name="End the workshop").click()
    expect(remote.locator("#agreed-so-far")).to_have_text("1 of 32 questions has an agreed rating.")
    remote.get_by_role("button", name="Yes, end the workshop").click()
    expect(projector.get_by_role("heading", name="This workshop has ended")).to_be_visible(
        timeout=FOLLOW
    )
    for phone in phones.values():
        expect(phone.get_by_role("heading", name="This workshop has ended")).to_be_visible()
        assert phone.evaluate("window.notReloaded") is True
    assert projector.evaluate("window.notReloaded") is True

    # One current vote per person, as cast: Pat, Hal and Mo Amber; Pru Red; Nia Green.
    result = item_result(assessment)
    assert result.n == 5
    assert {k: v for k, v in result.distribution.items() if v} == {
        "red": 1,
        "amber": 3,
        "green": 1,
    }
    assert result.derived == "amber"
    report = remote.context.request.get(f"{live_server}/assessments/{assessment.id}/report")
    assert report.ok
    export = remote.context.request.get(
        f"{live_server}/assessments/{assessment.id}/export/ratings.csv"
    )
    rows = list(csv.DictReader(io.StringIO(export.text().lstrip("\ufeff"))))
    first = {r["Participant name"]: r for r in rows if r["Item id"] == "1.1"}
    assert len([r for r in rows if r["Item id"] == "1.1"]) == 5
    cast_values = {
        "Pat (guest)": "amber",
        "Pru (guest)": "red",
        "Hal (guest)": "amber",
        "Mo Member": "amber",
        "Nia (guest)": "green",
    }
    assert {name: row["Value"] for name, row in first.items()} == cast_values
    assert first["Pat (guest)"]["Workshop votes"].endswith("round 1: Red, round 2: Amber")
    assert first["Nia (guest)"]["Workshop votes"].endswith("round 1: Green, round 2: Green")

    # A second workshop of the same assessment: none of the first's votes are this meeting's.
    remote.goto(f"{live_server}/assessments/{assessment.id}/workshop")
    remote.get_by_role("button", name="Start a live workshop").click()
    expect(remote.locator("#vote-count")).to_have_text("0 votes cast")
    second = db.session.execute(db.select(WorkshopSession).filter_by(status="live")).scalar_one()
    join(phones["Pru"], live_server, second.join_code, "Pru", "Probation Service")
    expect(phones["Pru"].locator("#vote-status")).to_contain_text("Before this meeting you rated")
    expect(remote.locator("#joined-count")).to_have_text("1 person has joined", timeout=FOLLOW)
    remote.get_by_role("button", name="Reveal the votes").click()
    expect(remote.locator(".app-bars caption").first).to_have_text("All agencies: 0 votes")
    expect(remote.locator("#before caption")).to_contain_text("5 ratings")
    db.session.expire_all()
    second = db.session.get(WorkshopSession, second.id)
    stop = current_stop(second, walk_for(second.assessment))
    assert meeting_result(second, stop).n == 0
    assert before_result(second, stop).n == 5


def test_the_projector_keys_drive_the_board_and_can_be_turned_off(live_server, contexts):
    partnership = make_partnership()
    lead = make_user(partnership, "lead")
    assessment = make_assessment(partnership)
    projector = contexts(viewport={"width": 1280, "height": 720})
    sign_in(projector, live_server, lead)
    projector.goto(f"{live_server}/assessments/{assessment.id}/workshop")
    projector.get_by_role("button", name="Start a live workshop").click()
    expect(
        projector.get_by_role("link", name=re.compile("Open the projector view"))
    ).to_be_visible()
    workshop = db.session.execute(db.select(WorkshopSession)).scalar_one()
    projector.goto(f"{live_server}/workshop/{workshop.id}/projector")
    expect(projector.locator("#projector")).to_have_attribute("data-shortcuts", "ready")
    projector.evaluate("window.notReloaded = true")

    projector.keyboard.press("v")  # a new round needs a reveal first: said, nothing moves
    expect(projector.locator("#projector-problem")).to_contain_text("Reveal this round's votes")
    projector.keyboard.press("r")
    expect(projector.locator("#overall")).to_be_visible()
    projector.keyboard.press("v")
    expect(projector.locator("#round")).to_have_text("Round 2")
    expect(projector).to_have_title(re.compile("Question 1 of 32, round 2"))
    projector.keyboard.press("n")
    expect(projector.locator("#item-text")).to_contain_text("1.2")
    projector.keyboard.press("p")
    expect(projector.locator("#item-text")).to_contain_text("1.1")
    expect(projector.locator("#round")).to_have_count(0)  # no one voted in round 2

    projector.get_by_role("button", name="Shortcuts on").click()
    expect(projector.get_by_role("button", name="Shortcuts off")).to_have_attribute(
        "aria-pressed", "false"
    )
    projector.keyboard.press("n")
    projector.wait_for_timeout(1500)
    expect(projector.locator("#item-text")).to_contain_text("1.1")
    db.session.expire_all()
    assert db.session.get(WorkshopSession, workshop.id).current_item_id == "1.1"
    assert projector.evaluate("window.notReloaded") is True
