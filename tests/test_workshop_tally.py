"""Who counts in a live workshop: one current rating per person, this meeting's votes apart from
ratings given before it, and the lead's view of who is present."""

from __future__ import annotations

import csv
import io

import pytest

from selfassess.extensions import db, frameworks
from selfassess.models import AuditEvent, Participant, Rating
from selfassess.queries.ratings import assessment_results
from tests.factories import make_assessment, make_partnership, make_user
from tests.test_workshop import join_guest, parse, sign_in, start, text, vote


@pytest.fixture
def world(app):
    partnership = make_partnership()
    lead = make_user(partnership, "lead", name="Lena Lead")
    member = make_user(partnership, "member", name="Mo Member", agency="probation")
    return {"lead": lead, "member": member, "assessment": make_assessment(partnership)}


@pytest.fixture
def lead_client(app, world):
    client = app.test_client()
    sign_in(client, world["lead"])
    return client


def results_for_item(assessment, item_id="1.1"):
    db.session.expire_all()
    return (
        assessment_results(frameworks(), assessment).framework("iom-key-principles").item(item_id)
    )


def export_rows(client, assessment, item_id="1.1"):
    response = client.get(f"/assessments/{assessment.id}/export/ratings.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    header = rows[0]
    item, person = header.index("Item id"), header.index("Participant name")
    return [row[person] for row in rows[1:] if row[item] == item_id]


def test_a_second_workshop_counts_none_of_the_first_workshops_votes(app, lead_client, world):
    assessment = world["assessment"]
    first = start(lead_client, assessment)
    phones = [
        join_guest(app, first.join_code, name, agency)
        for name, agency in (("Pat", "police"), ("Pru", "probation"), ("Hal", "health"))
    ]
    for phone, value in zip(phones, ("red", "green", "amber"), strict=True):
        vote(phone, first, value)
    member = app.test_client()
    sign_in(member, world["member"])
    assert member.post("/join", data={"code": first.join_code}).status_code == 302
    vote(member, first, "amber")
    lead_client.post(f"/workshop/{first.id}/end")

    # The second workshop: two of the phones come back, one newcomer; the member stays away.
    second = start(lead_client, assessment)
    for phone, (name, agency) in zip(
        phones[:2], (("Pat", "police"), ("Pru", "probation")), strict=True
    ):
        phone.post("/join", data={"code": second.join_code, "name": name, "agency": agency})
    newcomer = join_guest(app, second.join_code, "Nia", "housing")
    page = parse(lead_client.get(f"/workshop/{second.id}"))
    assert text(page, "#joined-count") == "3 people have joined"
    assert text(page, "#vote-count") == "0 votes cast"
    assert phones[0].get(f"/workshop/{second.id}/live/state.json").get_json()["my_vote"] is None

    vote(phones[0], second, "amber")  # Pat changes their mind
    vote(phones[1], second, "green")
    vote(newcomer, second, "green")
    status = lead_client.get(f"/workshop/{second.id}/status.json").get_json()
    assert (status["votes"], status["joined"]) == (3, 3)

    lead_client.post(f"/workshop/{second.id}/move", data={"action": "reveal"})
    page = parse(lead_client.get(f"/workshop/{second.id}"))
    assert text(page, ".app-bars caption") == "All agencies: 3 votes"
    meeting = {
        r.th.get_text(strip=True): r.select_one("td").get_text(strip=True)
        for r in page.select_one(".app-bars").tbody.select("tr")
    }
    assert (meeting["Red"], meeting["Amber"], meeting["Green"]) == ("0", "1", "2")
    # Hal and the member did not vote here: their current ratings are shown apart, once.
    assert "2 ratings" in text(page, "#before caption")

    # The report and the export hold one current rating per person: five people, Pat's latest.
    result = results_for_item(assessment)
    assert result.n == 5
    assert (result.distribution["red"], result.distribution["amber"]) == (0, 3)
    assert result.distribution["green"] == 2
    names = export_rows(lead_client, assessment)
    assert sorted(names) == sorted(
        ["Pat (guest)", "Pru (guest)", "Hal (guest)", "Nia (guest)", "Mo Member"]
    )
    assert db.session.query(Participant).count() == 5
    # Pat's first vote is kept in the history.
    pat = db.session.execute(db.select(Participant).filter_by(guest_name="Pat")).scalar_one()
    rating = db.session.execute(db.select(Rating).filter_by(participant_id=pat.id)).scalar_one()
    changes = db.session.execute(
        db.select(AuditEvent)
        .filter_by(entity="rating", entity_id=rating.id)
        .order_by(AuditEvent.id)
    ).scalars()
    assert [(e.before or {}).get("value") for e in changes] == [None, "red"]


def test_the_lead_removes_a_participant_and_their_vote_leaves_the_tally(app, lead_client, world):
    workshop = start(lead_client, world["assessment"])
    keep = join_guest(app, workshop.join_code, "Kim", "police")
    leave = join_guest(app, workshop.join_code, "Lou", "police")
    vote(keep, workshop, "red")
    vote(leave, workshop, "green")
    page = parse(lead_client.get(f"/workshop/{workshop.id}"))
    assert text(page, "#vote-count") == "2 votes cast"
    people = [text(li, "span") for li in page.select(".app-present__person")]
    assert people == ["Kim (guest), Police Voted", "Lou (guest), Police Voted"]

    lou = db.session.execute(db.select(Participant).filter_by(guest_name="Lou")).scalar_one()
    lead_client.post(f"/workshop/{workshop.id}/participants/{lou.id}/remove")
    page = parse(lead_client.get(f"/workshop/{workshop.id}"))
    assert text(page, "#vote-count") == "1 vote cast"
    assert text(page, "#joined-count") == "1 person has joined"
    assert "Lou" not in text(page, "#present")
    removal = db.session.execute(
        db.select(AuditEvent).filter_by(entity="participant", event="removed_from_workshop")
    ).scalar_one()
    assert (removal.entity_id, removal.actor_id) == (lou.id, world["lead"].id)

    # Lou's phone is out of this workshop: no vote, no way back in with the same browser.
    assert leave.get(f"/workshop/{workshop.id}/live").status_code == 302
    leave.post(
        f"/workshop/{workshop.id}/live/vote",
        data={"item": "iom-key-principles:1.1", "value": "red"},
    )
    page = parse(
        leave.post("/join", data={"code": workshop.join_code, "name": "Lou", "agency": "police"})
    )
    assert "removed you from this workshop" in text(page, ".govuk-error-summary")
    # Their own rating stays theirs, shown apart from the meeting's votes on reveal.
    assert (
        db.session.execute(db.select(Rating.value).filter_by(participant_id=lou.id)).scalar_one()
        == "green"
    )
    lead_client.post(f"/workshop/{workshop.id}/move", data={"action": "reveal"})
    page = parse(lead_client.get(f"/workshop/{workshop.id}"))
    assert text(page, ".app-bars caption") == "All agencies: 1 vote"
    assert "1 rating" in text(page, "#before caption")


def test_the_same_name_and_agency_from_another_device_is_offered_continue_as(
    app, lead_client, world
):
    workshop = start(lead_client, world["assessment"])
    laptop = join_guest(app, workshop.join_code, "Gita Guest", "health")
    vote(laptop, workshop, "red")

    phone = app.test_client()
    details = {"code": workshop.join_code, "name": "gita guest", "agency": "health"}
    page = parse(phone.post("/join", data=details))
    assert "Have you joined before as Gita Guest, Health (NHS and public health)?" in text(
        page, "legend"
    )
    assert [label.get_text(strip=True) for label in page.select(".govuk-radios__label")] == [
        "Yes, continue as Gita Guest",
        "No, I am someone else: join as a new person",
    ]
    page = parse(phone.post("/join", data={**details, "asked": "1"}))
    assert page.title.string.startswith("Error: ")
    assert "Select whether you are Gita Guest" in text(page, ".govuk-error-summary")
    assert db.session.query(Participant).count() == 1

    assert phone.post("/join", data={**details, "continue_as": "yes"}).status_code == 302
    assert db.session.query(Participant).count() == 1
    state = phone.get(f"/workshop/{workshop.id}/live/state.json").get_json()
    assert state["my_vote"] == "red"
    vote(phone, workshop, "amber")
    page = parse(lead_client.get(f"/workshop/{workshop.id}"))
    assert (text(page, "#vote-count"), text(page, "#joined-count")) == (
        "1 vote cast",
        "1 person has joined",
    )

    namesake = app.test_client()
    namesake.post("/join", data={**details, "continue_as": "no"})
    assert db.session.query(Participant).count() == 2
    assert text(parse(lead_client.get(f"/workshop/{workshop.id}")), "#joined-count") == (
        "2 people have joined"
    )


def test_a_guest_who_changes_agency_moves_their_vote_in_the_report(app, lead_client, world):
    """The report, its section pages and its charts are kept per state of the ratings: a
    guest re-joining under another agency changes that state, so the lead sees the move."""
    assessment = world["assessment"]
    workshop = start(lead_client, assessment)
    phone = join_guest(app, workshop.join_code, "Gita Guest", "health")
    vote(phone, workshop, "red")

    def agencies_voting() -> list[str]:
        page = parse(lead_client.get(f"/assessments/{assessment.id}/report/iom-key-principles/1"))
        votes = page.find(id="item-iom-key-principles-1.1").select("tbody tr th")
        return [th.get_text(strip=True) for th in votes]

    def heatmap_rows() -> list[str]:
        page = parse(lead_client.get(f"/assessments/{assessment.id}/report"))
        rows = page.find(id="chart-heatmap-iom-key-principles").select("tbody tr th")
        return [th.get_text(strip=True) for th in rows]

    assert agencies_voting() == ["Health (NHS and public health)", "All"]
    assert heatmap_rows() == ["Health (NHS and public health)"]
    again = {"code": workshop.join_code, "name": "Gita Guest", "agency": "police"}
    assert phone.post("/join", data=again).status_code == 302
    assert db.session.query(Participant).count() == 1
    assert agencies_voting() == ["Police", "All"]
    assert heatmap_rows() == ["Police"]
