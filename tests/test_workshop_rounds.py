"""Vote rounds, comments with votes and the session's options, through the Flask test client:
what the lead, the projector and the phones show, and what the report and exports keep."""

from __future__ import annotations

import csv
import io

import pytest

from selfassess.extensions import db, frameworks
from selfassess.models import AuditEvent
from selfassess.models.assessments import WorkshopSession
from selfassess.queries.ratings import assessment_results
from tests.factories import make_assessment, make_partnership, make_user
from tests.test_workshop import join_guest, parse, sign_in, start, text

KP = "iom-key-principles"


@pytest.fixture
def world(app):
    partnership = make_partnership()
    lead = make_user(partnership, "lead", name="Lena Lead")
    return {"lead": lead, "assessment": make_assessment(partnership)}


@pytest.fixture
def lead_client(app, world):
    client = app.test_client()
    sign_in(client, world["lead"])
    return client


def vote(client, workshop, value, comment=None, item="1.1", status=302):
    data = {"item": f"{KP}:{item}", "value": value}
    if comment is not None:
        data["comment"] = comment
    response = client.post(f"/workshop/{workshop.id}/live/vote", data=data)
    assert response.status_code == status
    return response


def move(lead_client, workshop, action):
    response = lead_client.post(f"/workshop/{workshop.id}/move", data={"action": action})
    assert response.status_code == 302
    return response


def export(lead_client, assessment, item_id="1.1"):
    response = lead_client.get(f"/assessments/{assessment.id}/export/ratings.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    header = rows[0]
    at = {name: header.index(name) for name in ("Item id", "Participant name", "Value")}
    at["votes"] = header.index("Workshop votes")
    return {
        row[at["Participant name"]]: (row[at["Value"]], row[at["votes"]])
        for row in rows[1:]
        if row[at["Item id"]] == item_id
    }


def item_result(assessment, item_id="1.1"):
    db.session.expire_all()
    return assessment_results(frameworks(), assessment).framework(KP).item(item_id)


@pytest.fixture
def room(app, lead_client, world):
    """A workshop with three guests (two police, one health) who voted Red, Red, Green."""
    workshop = start(lead_client, world["assessment"])
    phones = {
        name: join_guest(app, workshop.join_code, name, agency)
        for name, agency in (("Pat", "police"), ("Pol", "police"), ("Hal", "health"))
    }
    for name, value in (("Pat", "red"), ("Pol", "red"), ("Hal", "green")):
        vote(phones[name], workshop, value)
    return workshop, phones


def test_a_new_round_is_opened_only_after_the_reveal(lead_client, room):
    workshop, phones = room
    move(lead_client, workshop, "new_round")
    page = parse(lead_client.get(f"/workshop/{workshop.id}"))
    assert "Reveal this round's votes first" in page.get_text()
    assert page.select_one("#round") is None
    db.session.expire_all()
    assert db.session.get(WorkshopSession, workshop.id).round == 1


def test_a_second_round_votes_again_blind_and_the_reveal_shows_both_and_who_moved(
    lead_client, room, world
):
    workshop, phones = room
    assessment = world["assessment"]
    move(lead_client, workshop, "reveal")
    move(lead_client, workshop, "new_round")

    # Round 2 starts blind: no one has voted in it, the phones ask again.
    status = lead_client.get(f"/workshop/{workshop.id}/status.json").get_json()
    assert (status["round"], status["revealed"], status["voted_text"]) == (
        2,
        False,
        "0 of 3 have voted",
    )
    phone = parse(phones["Pat"].get(f"/workshop/{workshop.id}/live"))
    assert "Round 2: vote again." in text(phone, "#vote-status")
    assert "In round 1 you voted Red." in text(phone, "#vote-status")
    assert phone.select_one(".app-vote--chosen") is None
    assert (
        phones["Pat"].get(f"/workshop/{workshop.id}/live/state.json").get_json()["my_vote"] is None
    )
    # Nothing of round 1 is on the phones until the next reveal.
    assert phone.select_one(".app-bars") is None

    vote(phones["Pat"], workshop, "amber")  # moves
    vote(phones["Pol"], workshop, "red")  # stays
    # Hal does not vote again: their round 1 vote stands.
    status = lead_client.get(f"/workshop/{workshop.id}/status.json").get_json()
    assert status["voted_text"] == "2 of 3 have voted"
    move(lead_client, workshop, "reveal")

    page = parse(lead_client.get(f"/workshop/{workshop.id}"))
    # This meeting's votes: one per person, their latest.
    assert text(page, ".app-bars caption") == "All agencies: 3 votes"
    captions = [text(c, "caption") for c in page.select("#rounds .app-bars")]
    assert captions == ["Round 1: 3 votes", "Round 2: 2 votes"]
    moved = text(page, "#moved")
    assert "Police: 1 of 2 moved (Red → Amber)" in moved
    assert "Pat" not in moved  # names are hidden unless the session shows them

    # The projector shows the same, round beside round.
    projector = parse(lead_client.get(f"/workshop/{workshop.id}/projector"))
    assert [text(li, ".app-stack__label") for li in projector.select("#rounds li")] == [
        "Round 1 (3)",
        "Round 2 (2)",
    ]
    assert "Police: 1 of 2 moved (Red → Amber)" in text(projector, "#moved")

    # The report holds one current rating per person: Pat's latest, Hal's round 1 vote.
    result = item_result(assessment)
    assert result.n == 3
    assert (result.distribution["red"], result.distribution["amber"]) == (1, 1)
    assert result.distribution["green"] == 1
    rows = export(lead_client, assessment)
    assert set(rows) == {"Pat (guest)", "Pol (guest)", "Hal (guest)"}
    value, votes = rows["Pat (guest)"]
    assert value == "amber"
    assert votes.endswith("round 1: Red, round 2: Amber")
    assert rows["Hal (guest)"][1].endswith("round 1: Green")

    # The item's history keeps each round.
    history = parse(lead_client.get(f"/assessments/{assessment.id}/items/{KP}/1.1"))
    events = [
        " | ".join(li.get_text(strip=True) for li in event.select("ul li"))
        for event in history.select("#history-list > li")
        if "workshop round" in event.get_text()
    ]
    assert events == [  # newest first
        "Round: 2 | Votes: Red 1, Amber 1, Green 0, Don't know 0, Not applicable 0 (2 votes)",
        "Round: 2",
        "Round: 1 | Votes: Red 2, Amber 0, Green 1, Don't know 0, Not applicable 0 (3 votes)",
    ]


def test_names_of_who_moved_are_shown_only_when_the_session_says_so(lead_client, room):
    workshop, phones = room
    response = lead_client.post(
        f"/workshop/{workshop.id}/options", data={"show_names": "yes", "countdown": "0"}
    )
    assert response.status_code == 302
    move(lead_client, workshop, "reveal")
    move(lead_client, workshop, "new_round")
    vote(phones["Pat"], workshop, "amber")
    vote(phones["Pol"], workshop, "red")
    move(lead_client, workshop, "reveal")
    page = parse(lead_client.get(f"/workshop/{workshop.id}"))
    assert "Police: 1 of 2 moved: Pat (guest) Red → Amber" in text(page, "#moved")
    assert "Pol (guest)" not in text(page, "#moved")  # who stayed is not named
    changed = db.session.execute(
        db.select(AuditEvent).filter_by(entity="workshop", event="options_changed")
    ).scalar_one()
    assert changed.after == {"show_names": True, "countdown_seconds": None}


def test_going_back_to_a_question_opens_its_latest_round(lead_client, room):
    workshop, phones = room
    move(lead_client, workshop, "reveal")
    move(lead_client, workshop, "new_round")
    vote(phones["Pat"], workshop, "amber")
    move(lead_client, workshop, "next")
    status = lead_client.get(f"/workshop/{workshop.id}/status.json").get_json()
    assert status["round"] == 1
    move(lead_client, workshop, "previous")
    status = lead_client.get(f"/workshop/{workshop.id}/status.json").get_json()
    assert (status["round"], status["votes"]) == (2, 1)


def test_a_comment_goes_with_the_vote_and_is_shown_without_a_name(lead_client, room):
    workshop, phones = room
    vote(phones["Hal"], workshop, "green", comment="  <b>Health</b> sits on the board\nnow ")
    vote(phones["Pat"], workshop, "red", comment="No data sharing agreement")
    move(lead_client, workshop, "reveal")
    page = parse(lead_client.get(f"/workshop/{workshop.id}"))
    comments = [li.get_text() for li in page.select("#comments li")]
    # Plain text, one line, in alphabetical order (not the order sent); HTML stays text.
    assert comments == ["<b>Health</b> sits on the board now", "No data sharing agreement"]
    assert page.select_one("#comments b") is None
    assert "Hal" not in text(page, "#comments") and "Pat" not in text(page, "#comments")
    # Offered to the lead as a draft of the rationale.
    rationale = page.select_one("textarea[name=rationale]").get_text()
    assert rationale.strip() == "- <b>Health</b> sits on the board now\n- No data sharing agreement"
    assert "Drafted from the comments" in page.get_text()
    # The phones and the projector show them too, without names.
    phone = parse(phones["Pol"].get(f"/workshop/{workshop.id}/live"))
    assert len(phone.select("#comments li")) == 2
    projector = parse(lead_client.get(f"/workshop/{workshop.id}/projector"))
    assert len(projector.select("#comments li")) == 2


def test_an_oversized_comment_is_refused_and_the_vote_not_taken(lead_client, room):
    workshop, phones = room
    response = phones["Pat"].post(
        f"/workshop/{workshop.id}/live/vote",
        data={"item": f"{KP}:1.1", "value": "amber", "comment": "x" * 281},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 409
    panel = parse(response)
    assert "281" in text(panel, "#vote-comment-error")
    assert "Your vote is saved: Red." in text(panel, "#vote-status")  # the earlier vote stands
    assert panel.select_one("#vote-comment").get_text() == "x" * 281  # kept to shorten
    vote(phones["Pat"], workshop, "amber", comment="y" * 280)


def test_options_are_set_when_starting_and_checked(lead_client, world):
    assessment = world["assessment"]
    page = parse(lead_client.get(f"/assessments/{assessment.id}/workshop"))
    assert page.select_one("select[name=countdown]") is not None
    refused = lead_client.post(
        f"/assessments/{assessment.id}/workshop", data={"show_names": "maybe", "countdown": "7"}
    )
    assert refused.status_code == 400
    summary = text(parse(refused), ".govuk-error-summary")
    assert "Select whether to name who changed their vote" in summary
    assert "Choose a time per question from the list" in summary
    assert db.session.execute(db.select(WorkshopSession)).first() is None
    response = lead_client.post(
        f"/assessments/{assessment.id}/workshop", data={"show_names": "yes", "countdown": "60"}
    )
    assert response.status_code == 302
    workshop = db.session.execute(db.select(WorkshopSession)).scalar_one()
    assert (workshop.show_names, workshop.countdown_seconds) == (True, 60)
    status = lead_client.get(f"/workshop/{workshop.id}/status.json").get_json()
    assert 55 <= status["seconds_left"] <= 60
    projector = parse(lead_client.get(f"/workshop/{workshop.id}/projector"))
    assert text(projector, "#countdown").startswith("Time left ")


def test_the_projector_has_no_site_chrome_and_counts_who_has_voted(app, lead_client, world):
    workshop = start(lead_client, world["assessment"])
    page = parse(lead_client.get(f"/workshop/{workshop.id}/projector"))
    for chrome in ("header", "footer", "form", "nav", "select", "input", "textarea"):
        assert page.select_one(chrome) is None, chrome
    assert text(page, "#voted-count") == "0 of 0 have voted"
    assert text(page, "#join-code") == workshop.join_code
    assert page.select_one(".app-join__qr svg") is not None
    one = join_guest(app, workshop.join_code, "Ann", "police")
    join_guest(app, workshop.join_code, "Bob", "health")
    vote(one, workshop, "amber")
    panel = parse(lead_client.get(f"/workshop/{workshop.id}/projector/panel"))
    assert text(panel, "#voted-count") == "1 of 2 has voted"
    # Driven by the projector's keys: a script's move gets the state back as JSON.
    response = lead_client.post(
        f"/workshop/{workshop.id}/move",
        data={"action": "reveal"},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 200 and response.get_json()["revealed"] is True
    refused = lead_client.post(
        f"/workshop/{workshop.id}/move",
        data={"action": "previous"},
        headers={"X-Requested-With": "fetch"},
    )
    assert refused.status_code == 409
    assert refused.get_json()["problem"] == "This is the first question."
    panel = parse(lead_client.get(f"/workshop/{workshop.id}/projector/panel"))
    assert "Amber 1" in text(panel, "#by-agency")
    assert panel.select_one(".app-join__qr") is None  # the reveal takes the code's place


def test_guests_and_other_partnerships_cannot_reach_the_lead_screens(app, lead_client, world):
    workshop = start(lead_client, world["assessment"])
    guest = join_guest(app, workshop.join_code, "Gus", "police")
    for url in (f"/workshop/{workshop.id}/projector", f"/workshop/{workshop.id}/projector/panel"):
        assert guest.get(url).status_code in (302, 401)
    for action in ("reveal", "new_round", "next"):
        response = guest.post(f"/workshop/{workshop.id}/move", data={"action": action})
        assert response.status_code in (302, 401)
    assert guest.post(
        f"/workshop/{workshop.id}/options", data={"show_names": "yes"}
    ).status_code in (302, 401)
    other_lead = make_user(make_partnership(), "lead")
    other = app.test_client()
    sign_in(other, other_lead)
    for url in (f"/workshop/{workshop.id}/projector", f"/workshop/{workshop.id}/projector/panel"):
        assert other.get(url).status_code == 404
    assert other.post(f"/workshop/{workshop.id}/move", data={"action": "reveal"}).status_code == 404
    assert (
        other.post(
            f"/workshop/{workshop.id}/options", data={"show_names": "yes", "countdown": "0"}
        ).status_code
        == 404
    )
    db.session.expire_all()
    session = db.session.get(WorkshopSession, workshop.id)
    assert (session.revealed, session.show_names, session.step) == (False, False, 0)


def test_a_comment_is_kept_as_plain_printable_text(lead_client, room):
    workshop, phones = room
    vote(phones["Pat"], workshop, "amber", comment="a\x00b\u200b\tc\r\n=1+1")
    vote(phones["Pol"], workshop, "amber", comment="   \n  ")
    move(lead_client, workshop, "reveal")
    page = parse(lead_client.get(f"/workshop/{workshop.id}"))
    assert [li.get_text() for li in page.select("#comments li")] == ["ab c =1+1"]
