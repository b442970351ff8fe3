"""The live workshop through the Flask test client: the lead's screen and the participants'."""

from __future__ import annotations

import pytest

from selfassess import create_app
from selfassess.config import TestConfig
from selfassess.extensions import db
from selfassess.models import Action, AgreedRating, AuditEvent, Participant, Rating
from selfassess.models.assessments import WorkshopSession
from selfassess.services.agreement import save_agreed_rating
from tests.factories import (
    PASSWORD,
    make_assessment,
    make_participant,
    make_partnership,
    make_user,
    rate,
)


def sign_in(client, user):
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def world(app):
    partnership = make_partnership()
    lead = make_user(partnership, "lead", name="Lena Lead")
    member = make_user(partnership, "member", name="Mo Member", agency="probation")
    observer = make_user(partnership, "observer")
    assessment = make_assessment(partnership)
    return {
        "partnership": partnership,
        "lead": lead,
        "member": member,
        "observer": observer,
        "assessment": assessment,
    }


@pytest.fixture
def lead_client(app, world):
    client = app.test_client()
    sign_in(client, world["lead"])
    return client


def start(lead_client, assessment) -> WorkshopSession:
    response = lead_client.post(f"/assessments/{assessment.id}/workshop")
    assert response.status_code == 302
    workshop = db.session.execute(db.select(WorkshopSession)).scalars().all()[-1]
    assert response.headers["Location"].endswith(f"/workshop/{workshop.id}")
    return workshop


def join_guest(app, code, name="Gita Guest", agency="health"):
    client = app.test_client()
    response = client.post("/join", data={"code": code, "name": name, "agency": agency})
    assert response.status_code == 302, response.data
    return client


def parse(response):
    from bs4 import BeautifulSoup

    return BeautifulSoup(response.data, "html.parser")


def text(soup, selector):
    return " ".join(soup.select_one(selector).get_text().split())


def test_lead_starts_a_session_with_a_code_qr_and_the_first_question(lead_client, world):
    page = parse(lead_client.get(f"/assessments/{world['assessment'].id}/workshop"))
    assert page.find("button", string=lambda s: s and "Start a live workshop" in s)
    workshop = start(lead_client, world["assessment"])
    assert len(workshop.join_code) == 8
    page = parse(lead_client.get(f"/workshop/{workshop.id}"))
    assert text(page, "#join-code") == workshop.join_code
    assert page.select_one(".app-join__qr svg") is not None
    assert f"/join?code={workshop.join_code}" in text(page, "#join-url")
    assert text(page, "#progress-label") == "Question 1 of 32"
    bar = page.select_one("[role=progressbar]")
    assert bar["aria-valuenow"] == "1" and bar["aria-valuemax"] == "32"
    assert text(page, "#item-text").startswith("1.1 Are all of the relevant agencies")
    assert text(page, "#vote-count") == "0 votes cast"
    assert "N next" in text(page, "#shortcut-hint")
    assert page.title.string.startswith("Live workshop – Question 1 of 32")


def test_one_live_session_per_assessment_and_only_when_open(app, lead_client, world):
    start(lead_client, world["assessment"])
    lead_client.post(f"/assessments/{world['assessment'].id}/workshop")
    assert db.session.query(WorkshopSession).count() == 1
    draft = make_assessment(world["partnership"], status="draft")
    page = parse(lead_client.get(f"/assessments/{draft.id}/workshop"))
    assert "only be started while the assessment is open" in page.get_text()
    lead_client.post(f"/assessments/{draft.id}/workshop")
    assert db.session.query(WorkshopSession).count() == 1


def test_guest_joins_votes_and_changes_vote_until_reveal(app, lead_client, world):
    workshop = start(lead_client, world["assessment"])
    guest = join_guest(app, workshop.join_code.lower())
    page = parse(guest.get(f"/workshop/{workshop.id}/live"))
    assert text(page, "#progress") == "Question 1 of 32"
    assert [b.get_text(strip=True) for b in page.select(".app-vote")] == [
        "Red",
        "Amber",
        "Green",
        "Don't know",
        "Not applicable",
    ]
    assert page.select_one(".app-refresh")["href"] == f"/workshop/{workshop.id}/live"

    page = parse(
        guest.post(
            f"/workshop/{workshop.id}/live/vote",
            data={"item": "iom-key-principles:1.1", "value": "amber"},
            follow_redirects=True,
        )
    )
    assert "Your vote is saved: Amber." in text(page, "#vote-status")
    guest.post(
        f"/workshop/{workshop.id}/live/vote",
        data={"item": "iom-key-principles:1.1", "value": "green"},
    )
    votes = db.session.execute(db.select(Rating)).scalars().all()
    assert [(v.item_id, v.value) for v in votes] == [("1.1", "green")]
    participant = db.session.get(Participant, votes[0].participant_id)
    assert (participant.guest_name, participant.agency) == ("Gita Guest", "health")
    assert participant.workshop_session_id == workshop.id

    # The lead sees how many voted, not what.
    page = parse(lead_client.get(f"/workshop/{workshop.id}"))
    assert text(page, "#vote-count") == "1 vote cast"
    assert "Green" not in text(page, ".app-facilitator .govuk-grid-row")
    status = lead_client.get(f"/workshop/{workshop.id}/status.json").get_json()
    assert status["votes"] == 1 and status["votes_text"] == "1 vote cast"

    lead_client.post(f"/workshop/{workshop.id}/move", data={"action": "reveal"})
    page = parse(
        guest.post(
            f"/workshop/{workshop.id}/live/vote",
            data={"item": "iom-key-principles:1.1", "value": "red"},
            follow_redirects=True,
        )
    )
    assert "revealed, so it can no longer change" in page.get_text()
    assert db.session.execute(db.select(Rating.value)).scalar() == "green"
    assert "You voted Green" in text(page, "#vote-status")
    assert page.select_one(".app-bars") is not None


def test_the_state_polled_every_second_answers_not_modified_until_something_changes(
    app, lead_client, world
):
    workshop = start(lead_client, world["assessment"])
    guest = join_guest(app, workshop.join_code)
    url = f"/workshop/{workshop.id}/live/state.json"
    first = guest.get(url)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-store"  # no browser keeps it

    same = guest.get(url, headers={"If-None-Match": etag})
    assert same.status_code == 304 and same.data == b""

    # Their own vote changes their state; the lead moving on changes everyone's.
    guest.post(
        f"/workshop/{workshop.id}/live/vote",
        data={"item": "iom-key-principles:1.1", "value": "amber"},
        headers={"X-Requested-With": "fetch"},
    )
    voted = guest.get(url, headers={"If-None-Match": etag})
    assert voted.status_code == 200 and voted.get_json()["my_vote"] == "amber"
    lead_status = lead_client.get(f"/workshop/{workshop.id}/status.json")
    lead_client.post(f"/workshop/{workshop.id}/move", data={"action": "next"})
    moved = guest.get(url, headers={"If-None-Match": voted.headers["ETag"]})
    assert moved.status_code == 200 and moved.get_json()["item"]["id"] == "1.2"
    # The lead's controls and the projector poll the same way.
    again = lead_client.get(
        f"/workshop/{workshop.id}/status.json",
        headers={"If-None-Match": lead_status.headers["ETag"]},
    )
    assert again.status_code == 200  # the board moved since
    unchanged = lead_client.get(
        f"/workshop/{workshop.id}/status.json", headers={"If-None-Match": again.headers["ETag"]}
    )
    assert unchanged.status_code == 304


def test_state_endpoint_follows_the_facilitator(app, lead_client, world):
    workshop = start(lead_client, world["assessment"])
    guest = join_guest(app, workshop.join_code)
    state = guest.get(f"/workshop/{workshop.id}/live/state.json").get_json()
    assert state["item"]["id"] == "1.1" and state["revealed"] is False
    assert state["my_vote"] is None
    lead_client.post(f"/workshop/{workshop.id}/move", data={"action": "next"})
    later = guest.get(f"/workshop/{workshop.id}/live/state.json").get_json()
    assert later["step"] > state["step"]
    assert later["item"]["id"] == "1.2"
    panel = parse(guest.get(f"/workshop/{workshop.id}/live/panel"))
    assert text(panel, "#item-text").startswith("1.2")
    # A vote posted by the script gets the panel back, with the confirmation.
    response = guest.post(
        f"/workshop/{workshop.id}/live/vote",
        data={"item": "iom-key-principles:1.2", "value": "dont_know"},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 200
    assert "Your vote is saved: Don't know." in text(parse(response), "#vote-status")
    # A vote for a question the board has left is refused.
    response = guest.post(
        f"/workshop/{workshop.id}/live/vote",
        data={"item": "iom-key-principles:1.1", "value": "red"},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 409
    assert "moved on" in response.get_data(as_text=True)


def test_member_joins_as_themselves_and_is_shown_their_earlier_rating(app, lead_client, world):
    member = world["member"]
    participant = make_participant(world["assessment"], member)
    rate(participant, "1.1", "amber", evidence="Signed protocol")
    workshop = start(lead_client, world["assessment"])
    client = app.test_client()
    sign_in(client, member)
    response = client.post("/join", data={"code": workshop.join_code})
    assert response.status_code == 302
    page = parse(client.get(f"/workshop/{workshop.id}/live"))
    # A rating given before the meeting is not a vote in it until they vote.
    assert page.select('.app-vote[aria-pressed="true"]') == []
    assert "Before this meeting you rated this question Amber" in text(page, "#vote-status")
    assert text(parse(lead_client.get(f"/workshop/{workshop.id}")), "#vote-count") == (
        "0 votes cast"
    )
    page = parse(
        client.post(
            f"/workshop/{workshop.id}/live/vote",
            data={"item": "iom-key-principles:1.1", "value": "green"},
            follow_redirects=True,
        )
    )
    pressed = page.select_one('.app-vote[aria-pressed="true"]')
    assert " ".join(pressed.get_text(" ", strip=True).split()) == "Green ✓ (your vote)"
    rating = db.session.execute(db.select(Rating)).scalar_one()
    assert (rating.value, rating.evidence) == ("green", "Signed protocol")
    assert db.session.query(Participant).count() == 1
    page = parse(lead_client.get(f"/workshop/{workshop.id}"))
    assert text(page, "#vote-count") == "1 vote cast"
    assert text(page, "#joined-count") == "1 person has joined"
    assert "Mo Member, Probation Service" in text(page, "#present")


def test_join_errors_and_ended_sessions(app, lead_client, world):
    client = app.test_client()
    page = parse(client.post("/join", data={"code": "", "name": "", "agency": ""}))
    assert page.title.string.startswith("Error: ")
    summary = text(page, ".govuk-error-summary")
    assert "Enter the join code" in summary
    assert "Enter your name" in summary and "Select your agency" in summary
    page = parse(client.post("/join", data={"code": "ABCDEFGH", "name": "X", "agency": "police"}))
    assert "not the code of a live workshop" in text(page, ".govuk-error-summary")

    workshop = start(lead_client, world["assessment"])
    guest = join_guest(app, workshop.join_code)
    lead_client.post(f"/workshop/{workshop.id}/end")
    assert db.session.get(WorkshopSession, workshop.id).status == "ended"
    page = parse(
        client.post("/join", data={"code": workshop.join_code, "name": "X", "agency": "police"})
    )
    assert "not the code of a live workshop" in text(page, ".govuk-error-summary")
    page = parse(guest.get(f"/workshop/{workshop.id}/live"))
    assert "This workshop has ended" in page.get_text()
    guest.post(
        f"/workshop/{workshop.id}/live/vote",
        data={"item": "iom-key-principles:1.1", "value": "red"},
    )
    assert db.session.query(Rating).count() == 0


def test_ending_the_workshop_asks_first_and_says_what_will_happen(app, lead_client, world):
    workshop = start(lead_client, world["assessment"])
    join_guest(app, workshop.join_code)
    lead_client.post(f"/workshop/{workshop.id}/move", data={"action": "reveal"})
    lead_client.post(
        f"/workshop/{workshop.id}/agree",
        data={"item": "iom-key-principles:1.1", "value": "amber", "rationale": ""},
    )
    page = parse(lead_client.get(f"/workshop/{workshop.id}"))
    link = page.find("a", string=lambda s: s and "End the workshop" in s)
    assert link["href"] == f"/workshop/{workshop.id}/end"
    page = parse(lead_client.get(link["href"]))
    assert text(page, "h1") == "End the workshop?"
    assert text(page, "#agreed-so-far") == "1 of 32 questions has an agreed rating."
    assert "the 1 person who joined" in page.get_text(" ")
    assert db.session.get(WorkshopSession, workshop.id).status == "live"
    lead_client.post(f"/workshop/{workshop.id}/end")
    assert db.session.get(WorkshopSession, workshop.id).status == "ended"
    # Once ended, the confirmation page sends the lead back to the ended workshop.
    assert lead_client.get(f"/workshop/{workshop.id}/end").status_code == 302


def test_a_browser_that_joins_again_is_still_one_guest_with_one_vote(app, lead_client, world):
    workshop = start(lead_client, world["assessment"])
    phone = join_guest(app, workshop.join_code, name="Gita Guest", agency="health")
    vote = {"item": "iom-key-principles:1.1", "value": "red"}
    phone.post(f"/workshop/{workshop.id}/live/vote", data=vote)
    again = phone.post(
        "/join", data={"code": workshop.join_code, "name": "Someone Else", "agency": "police"}
    )
    assert again.status_code == 302
    phone.post(f"/workshop/{workshop.id}/live/vote", data={**vote, "value": "green"})

    guest = db.session.execute(db.select(Participant)).scalar_one()
    assert (guest.guest_name, guest.agency) == ("Someone Else", "police")
    assert db.session.execute(db.select(Rating.value)).scalars().all() == ["green"]
    page = parse(lead_client.get(f"/workshop/{workshop.id}"))
    assert text(page, "#vote-count") == "1 vote cast"
    assert text(page, "#joined-count") == "1 person has joined"
    change = db.session.execute(
        db.select(AuditEvent).filter_by(entity="participant", entity_id=guest.id)
    ).scalar_one()
    assert change.before == {"name": "Gita Guest", "agency": "health"}
    assert change.after == {"name": "Someone Else", "agency": "police"}

    # Another phone is another guest.
    join_guest(app, workshop.join_code, name="Gita Guest", agency="health")
    assert db.session.query(Participant).count() == 2

    # A later workshop of the same assessment: the same browser is still the same guest.
    lead_client.post(f"/workshop/{workshop.id}/end")
    later = start(lead_client, world["assessment"])
    phone.post("/join", data={"code": later.join_code, "name": "Someone Else", "agency": "police"})
    assert phone.get(f"/workshop/{later.id}/live").status_code == 200
    assert db.session.query(Participant).count() == 2
    assert db.session.get(Participant, guest.id).workshop_session_id == later.id


def test_a_guest_votes_only_in_the_session_they_joined(app, lead_client, world):
    workshop = start(lead_client, world["assessment"])
    guest = join_guest(app, workshop.join_code)
    other = make_assessment(world["partnership"])
    lead_client.post(f"/assessments/{other.id}/workshop")
    other_session = db.session.execute(
        db.select(WorkshopSession).filter_by(assessment_id=other.id)
    ).scalar_one()
    response = guest.get(f"/workshop/{other_session.id}/live")
    assert response.status_code == 302 and response.headers["Location"].endswith("/join")
    guest.post(
        f"/workshop/{other_session.id}/live/vote",
        data={"item": "iom-key-principles:1.1", "value": "red"},
    )
    assert guest.get(f"/workshop/{other_session.id}/live/state.json").status_code == 404
    assert db.session.query(Rating).count() == 0
    # Nor can a guest drive.
    assert guest.post(f"/workshop/{workshop.id}/move", data={"action": "next"}).status_code == 302
    assert db.session.get(WorkshopSession, workshop.id).current_item_id == "1.1"


def test_only_the_lead_drives(app, lead_client, world):
    workshop = start(lead_client, world["assessment"])
    for user in (world["member"], world["observer"]):
        client = app.test_client()
        sign_in(client, user)
        assert client.get(f"/workshop/{workshop.id}").status_code == 403
        assert (
            client.post(f"/workshop/{workshop.id}/move", data={"action": "next"}).status_code == 403
        )
        assert client.post(f"/workshop/{workshop.id}/end").status_code == 403
    outsider = app.test_client()
    sign_in(outsider, make_user(make_partnership(), "lead"))
    assert outsider.get(f"/workshop/{workshop.id}").status_code == 404
    assert db.session.get(WorkshopSession, workshop.id).step == 0


def vote(client, workshop, value, item="1.1"):
    response = client.post(
        f"/workshop/{workshop.id}/live/vote",
        data={"item": f"iom-key-principles:{item}", "value": value},
    )
    assert response.status_code == 302


def test_reveal_shows_this_meetings_votes_by_agency_and_earlier_ratings_apart(
    app, lead_client, world
):
    assessment = world["assessment"]
    # Rated before the meeting by people who are not in the room.
    rate(make_participant(assessment, agency="police"), "1.1", "red")
    rate(make_participant(assessment, agency="housing"), "1.1", "dont_know")
    workshop = start(lead_client, assessment)
    page = parse(lead_client.get(f"/workshop/{workshop.id}"))
    assert text(page, "#vote-count") == "0 votes cast"
    assert text(page, "#joined-count") == "0 people have joined"
    for name, agency, value in (
        ("Pat", "police", "red"),
        ("Pam", "police", "red"),
        ("Pru", "probation", "green"),
        ("Hal", "health", "dont_know"),
    ):
        vote(join_guest(app, workshop.join_code, name, agency), workshop, value)
    page = parse(lead_client.get(f"/workshop/{workshop.id}"))
    assert text(page, "#vote-count") == "4 votes cast"
    assert text(page, "#joined-count") == "4 people have joined"
    assert page.select(".app-bars") == []
    lead_client.post(f"/workshop/{workshop.id}/move", data={"action": "reveal"})
    page = parse(lead_client.get(f"/workshop/{workshop.id}"))
    tables = page.select(".app-bars")
    captions = [" ".join(t.caption.get_text().split()) for t in tables]
    assert captions == [
        "All agencies: 4 votes",
        "Police",
        "Probation Service",
        "Health (NHS and public health)",
    ]
    rows = {
        r.th.get_text(strip=True): r.select_one("td").get_text(strip=True)
        for r in tables[0].tbody.select("tr")
    }
    assert rows == {
        "Red": "2",
        "Amber": "0",
        "Green": "1",
        "Don't know": "1",
        "Not applicable": "0",
    }
    summary = text(page, ".app-result")
    assert "Rating from the votes Red" in summary
    assert "67% of the votes gave that rating" in summary
    assert "Contested Some rated it red and some green" in summary
    assert "Uncertain" not in summary
    # The two earlier ratings are shown apart, per agency, and not in the meeting's count.
    before = page.select_one("#before")
    assert "2 ratings" in text(before, "caption")
    by_agency = {
        r.th.get_text(strip=True): [td.get_text(strip=True) for td in r.select("td")]
        for r in before.tbody.select("tr")
    }
    assert by_agency == {"Police": ["1", "0", "0", "0", "0"], "Housing": ["0", "0", "0", "1", "0"]}


def test_agree_rating_and_actions_then_reopen_with_stale_check(app, lead_client, world):
    assessment = world["assessment"]
    workshop = start(lead_client, assessment)
    lead_client.post(f"/workshop/{workshop.id}/move", data={"action": "reveal"})
    page = parse(
        lead_client.post(
            f"/workshop/{workshop.id}/agree",
            data={"item": "iom-key-principles:1.1", "rationale": "No"},
        )
    )
    assert page.title.string.startswith("Error: ")
    assert "Select the rating the board agreed" in text(page, ".govuk-error-summary")

    lead_client.post(
        f"/workshop/{workshop.id}/agree",
        data={"item": "iom-key-principles:1.1", "value": "amber", "rationale": "Partly there"},
    )
    agreed = db.session.execute(db.select(AgreedRating)).scalar_one()
    assert (agreed.value, agreed.rationale, agreed.version) == ("amber", "Partly there", 1)

    lead_client.post(
        f"/workshop/{workshop.id}/actions",
        data={
            "item": "iom-key-principles:1.1",
            "description": "Get health to sign the protocol",
            "owner": "Health (NHS and public health)",
            "due_on": ["31", "3", "2027"],
            "status": "in_progress",
        },
    )
    action = db.session.execute(db.select(Action)).scalar_one()
    assert (action.item_id, action.status, str(action.due_on)) == (
        "1.1",
        "in_progress",
        "2027-03-31",
    )
    page = parse(lead_client.get(f"/workshop/{workshop.id}"))
    assert "Get health to sign the protocol" in text(page, "#actions")
    assert "31 March 2027" in text(page, "#actions")
    page = parse(
        lead_client.post(
            f"/workshop/{workshop.id}/actions",
            data={"item": "iom-key-principles:1.1", "description": "", "owner": ""},
        )
    )
    assert "Enter what will be done" in text(page, ".govuk-error-summary")

    # Move on, then jump back to reopen and change the agreed rating.
    lead_client.post(f"/workshop/{workshop.id}/move", data={"action": "next"})
    lead_client.post(
        f"/workshop/{workshop.id}/move",
        data={"action": "jump", "target": "iom-key-principles:1.1"},
    )
    page = parse(lead_client.get(f"/workshop/{workshop.id}"))
    assert "The board agreed Amber: Partly there" in text(page, "#agreed-rating")
    assert page.select_one("input[name=expected_version]")["value"] == "1"
    lead_client.post(
        f"/workshop/{workshop.id}/agree",
        data={
            "item": "iom-key-principles:1.1",
            "value": "green",
            "rationale": "Health signed today",
            "expected_version": "1",
        },
    )
    db.session.expire_all()
    agreed = db.session.execute(db.select(AgreedRating)).scalar_one()
    assert (agreed.value, agreed.version) == ("green", 2)

    # A second screen still showing version 1 is refused and shown the newer value.
    response = lead_client.post(
        f"/workshop/{workshop.id}/agree",
        data={
            "item": "iom-key-principles:1.1",
            "value": "red",
            "rationale": "Stale",
            "expected_version": "1",
        },
    )
    assert response.status_code == 409
    page = parse(response)
    assert page.title.string.startswith("Error: ")
    message = text(page, "#stale-message")
    assert "Green" in message and "Health signed today" in message and "version 2" in message
    db.session.expire_all()
    assert db.session.execute(db.select(AgreedRating.value)).scalar() == "green"
    events = db.session.execute(
        db.select(AuditEvent.event).filter_by(entity="agreed_rating").order_by(AuditEvent.id)
    ).scalars()
    assert list(events) == ["created", "changed"]


def test_next_previous_and_contested_only(app, lead_client, world):
    assessment = world["assessment"]
    for item_id in ("2.1", "3.4"):
        rate(make_participant(assessment, agency="police"), item_id, "red")
        rate(make_participant(assessment, agency="probation"), item_id, "green")
    workshop = start(lead_client, assessment)
    move = f"/workshop/{workshop.id}/move"
    lead_client.post(move, data={"action": "previous"})
    page = parse(lead_client.get(f"/workshop/{workshop.id}"))
    assert "This is the first question." in page.get_text()
    lead_client.post(move, data={"action": "next"})
    assert text(parse(lead_client.get(f"/workshop/{workshop.id}")), "#progress-label") == (
        "Question 2 of 32"
    )
    lead_client.post(move, data={"action": "contested_on"})
    page = parse(lead_client.get(f"/workshop/{workshop.id}"))
    assert text(page, "#progress-label") == "Question 11 of 32 (contested question 1 of 2)"
    lead_client.post(move, data={"action": "next"})
    page = parse(lead_client.get(f"/workshop/{workshop.id}"))
    assert text(page, "#item-text").startswith("3.4")
    lead_client.post(move, data={"action": "contested_off"})
    lead_client.post(move, data={"action": "next"})
    assert text(parse(lead_client.get(f"/workshop/{workshop.id}")), "#item-text").startswith("3.5")


def test_join_is_rate_limited_per_address(database, tmp_path):
    url = f"sqlite:///{tmp_path / 'limit.sqlite'}" if database == "sqlite" else database
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, RATELIMIT_ENABLED=True)
    with app.app_context():
        if database == "sqlite":
            db.create_all()
        client = app.test_client()
        codes = [
            client.post("/join", data={"code": "ABCDEFGH", "name": "X", "agency": "police"})
            for _ in range(21)
        ]
        assert [r.status_code for r in codes[:20]] == [200] * 20
        assert codes[20].status_code == 429
        assert client.get("/join").status_code == 200
        db.session.remove()
        db.engine.dispose()


def test_the_workshop_offers_the_same_agreed_ratings_as_the_question_page(lead_client, world):
    assessment = world["assessment"]
    workshop = start(lead_client, assessment)
    lead_client.post(f"/workshop/{workshop.id}/move", data={"action": "reveal"})
    in_workshop = parse(lead_client.get(f"/workshop/{workshop.id}"))
    on_page = parse(lead_client.get(f"/assessments/{assessment.id}/items/iom-key-principles/1.1"))

    def choices(page):
        return [
            label.get_text(strip=True)
            for label in page.select("input[name=value] + label, input[name=value] ~ label")
        ]

    assert choices(in_workshop) == choices(on_page) == ["Red", "Amber", "Green", "Not applicable"]
    # "Don't know" settles nothing, so the board cannot agree it by any way in.
    response = lead_client.post(
        f"/workshop/{workshop.id}/agree",
        data={"item": "iom-key-principles:1.1", "value": "dont_know"},
    )
    assert response.status_code == 200
    with pytest.raises(ValueError, match="Choose the rating the board agreed"):
        save_agreed_rating(
            assessment, "iom-key-principles", "1.1", "dont_know", None, None, world["lead"]
        )
    assert db.session.query(AgreedRating).count() == 0
