"""Phones polling a workshop with Redis configured: an unchanged state is answered from Redis
without reading the database, and every change that alters a phone's state (its own vote, the
lead moving on, removing it, ending) is seen by the very next poll."""

from __future__ import annotations

import contextlib

import pytest
from sqlalchemy import event

from selfassess.extensions import db
from selfassess.models import Participant
from tests.conftest import app_on
from tests.factories import make_assessment, make_partnership, make_user
from tests.test_workshop import join_guest, sign_in, start


@pytest.fixture
def app(database, tmp_path, redis_url):
    import redis

    redis.Redis.from_url(redis_url).flushdb()  # ids start again in each test's database
    with app_on(database, tmp_path, REDIS_URL=redis_url) as made:
        yield made


@pytest.fixture
def room(app):
    partnership = make_partnership()
    lead = make_user(partnership, "lead", name="Lena Lead")
    member = make_user(partnership, "member", name="Mo Member", agency="probation")
    lead_client = app.test_client()
    sign_in(lead_client, lead)
    workshop = start(lead_client, make_assessment(partnership))
    return {"lead": lead_client, "workshop": workshop, "member": member}


@contextlib.contextmanager
def statements():
    """The SQL statements run inside the block."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def state_url(workshop) -> str:
    return f"/workshop/{workshop.id}/live/state.json"


def test_an_unchanged_state_is_answered_without_reading_the_database(app, room):
    phone = join_guest(app, room["workshop"].join_code)
    url = state_url(room["workshop"])
    first = phone.get(url)
    assert first.status_code == 200
    with statements() as run:
        again = phone.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"] == "no-store"
    assert run == []


def test_each_change_to_a_phones_state_is_seen_by_its_next_poll(app, room):
    workshop, lead = room["workshop"], room["lead"]
    phone = join_guest(app, workshop.join_code, "Gita", "health")
    other = join_guest(app, workshop.join_code, "Owen", "police")
    url = state_url(workshop)

    def poll(client, etag):
        response = client.get(url, headers={"If-None-Match": etag})
        return response, response.headers.get("ETag", etag)

    first = phone.get(url)
    etag = first.headers["ETag"]
    other_etag = other.get(url).headers["ETag"]

    # Its own vote: changed for it, not for the other phone.
    phone.post(
        f"/workshop/{workshop.id}/live/vote",
        data={"item": "iom-key-principles:1.1", "value": "amber"},
        headers={"X-Requested-With": "fetch"},
    )
    voted, etag = poll(phone, etag)
    assert voted.status_code == 200 and voted.get_json()["my_vote"] == "amber"
    unmoved, other_etag = poll(other, other_etag)
    assert unmoved.status_code == 304

    # The lead moving on: changed for both.
    lead.post(f"/workshop/{workshop.id}/move", data={"action": "next"})
    moved, etag = poll(phone, etag)
    assert moved.status_code == 200 and moved.get_json()["item"]["id"] == "1.2"
    moved_too, other_etag = poll(other, other_etag)
    assert moved_too.status_code == 200 and moved_too.get_json()["step"] == moved.get_json()["step"]

    # Asking in Welsh is another state, even with nothing else changed.
    phone.set_cookie("language", "cy")
    welsh, etag = poll(phone, etag)
    assert (
        welsh.status_code == 200
        and welsh.get_json()["item"]["text"] != moved.get_json()["item"]["text"]
    )

    # Removed by the lead: no state any more, not a kept "not modified".
    owen = db.session.execute(db.select(Participant).filter_by(guest_name="Owen")).scalar_one()
    lead.post(f"/workshop/{workshop.id}/participants/{owen.id}/remove")
    gone, _ = poll(other, other_etag)
    assert gone.status_code == 404

    # Ended: the phone is told.
    lead.post(f"/workshop/{workshop.id}/end")
    ended, _ = poll(phone, etag)
    assert ended.status_code == 200 and ended.get_json()["status"] == "ended"


def test_a_kept_state_is_only_for_the_browser_that_joined_as_that_guest(app, room):
    workshop = room["workshop"]
    phone = join_guest(app, workshop.join_code, "Gita", "health")
    etag = phone.get(state_url(workshop)).headers["ETag"]

    stranger = app.test_client()  # never joined, but sends the ETag it saw over a shoulder
    assert stranger.get(state_url(workshop), headers={"If-None-Match": etag}).status_code == 404

    member = app.test_client()  # a member's phone is checked against who is signed in, each time
    sign_in(member, room["member"])
    joined = member.post("/join", data={"code": workshop.join_code})
    assert joined.status_code == 302
    url = state_url(workshop)
    member_etag = member.get(url).headers["ETag"]
    with statements() as run:
        again = member.get(url, headers={"If-None-Match": member_etag})
    assert again.status_code == 304 and run  # read from the database, still not modified
