"""Invitation links: signed, expiring, single use; accepting creates or joins an account."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from selfassess.extensions import db
from selfassess.models import AuditEvent, Invitation, Membership, Partnership, User
from selfassess.services.invitations import (
    USED,
    InvitationError,
    create_account_from_invitation,
    create_invitation,
    load_invitation,
)
from tests.factories import PASSWORD, make_partnership, make_user

NEW_PERSON = {
    "name": "Nia Newcomer",
    "email": "Nia@Health.example",
    "agency": "health",
    "password": "a long password",
    "confirm": "a long password",
}


def sign_in(client, user):
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302


def invite(partnership, role="member", by=None, **fields):
    made = create_invitation(partnership, role, by or make_user(partnership, "lead"), **fields)
    db.session.commit()
    return made.invitation, f"/invitations/{made.token}"


def signed_in_user_id(client):
    with client.session_transaction() as session:
        return session.get("_user_id")


def test_lead_invites_someone_and_copies_the_link(app, client, get_page, post_page):
    partnership = make_partnership(name="Northshire CSP")
    lead = make_user(partnership, "lead", name="Lee Lead")
    sign_in(client, lead)
    page = get_page(f"/partnerships/{partnership.id}/invite")
    assert [i["value"] for i in page.select("input[name=role]")] == ["member", "observer", "lead"]
    page = post_page(
        f"/partnerships/{partnership.id}/invite", {"role": "observer", "note": "Sam, housing"}
    )
    assert page.select_one(".govuk-panel__title").get_text(strip=True) == "Invitation link created"
    link = page.select_one("input#invitation-link")["value"]
    assert link.startswith("http://localhost/invitations/")
    show = get_page(f"/partnerships/{partnership.id}")
    row = [td.get_text(" ", strip=True) for td in show.select("#pending-invitations tbody td")]
    assert row[0] == "Sam, housing" and row[1] == "Observer"
    assert row[2].startswith("Lee Lead on ")
    expires = (datetime.now(UTC) + timedelta(days=14)).strftime("%-d %B %Y")
    assert row[3] == expires


def test_invite_form_errors_use_the_error_summary(app, client, post_page):
    partnership = make_partnership()
    sign_in(client, make_user(partnership, "lead"))
    page = post_page(f"/partnerships/{partnership.id}/invite", {"role": "boss", "note": "x" * 201})
    assert page.title.get_text().startswith("Error: ")
    assert {a["href"] for a in page.select(".govuk-error-summary a")} == {"#role", "#note"}


def test_accepting_creates_the_account_joins_and_signs_in(app, client, get_page, post_page):
    partnership = make_partnership(name="Northshire CSP")
    invitation, url = invite(partnership, "member")
    page = get_page(url)
    assert "Northshire CSP" in page.h1.parent.get_text()
    agencies = [label.get_text(strip=True) for label in page.select(".govuk-radios__label")]
    assert "Health (NHS and public health)" in agencies and "Crown Prosecution Service" in agencies
    page = post_page(url, NEW_PERSON)
    assert page.h1.get_text() == "Northshire CSP"
    user = db.session.execute(select(User).filter_by(email="nia@health.example")).scalar_one()
    assert user.agency == "health" and user.name == "Nia Newcomer"
    assert user.role_in(partnership.id) == "member"
    assert signed_in_user_id(client) == str(user.id)
    db.session.refresh(invitation)
    assert invitation.used_at is not None and invitation.used_by_id == user.id
    events = set(db.session.execute(select(AuditEvent.entity, AuditEvent.event)).all())
    assert {("invitation", "used"), ("membership", "joined")} <= events


def test_the_new_password_can_be_used_to_sign_in(app, client, post_page):
    _, url = invite(make_partnership())
    post_page(url, NEW_PERSON)
    client.post("/sign-out")
    response = client.post(
        "/sign-in", data={"email": "nia@health.example", "password": "a long password"}
    )
    assert response.status_code == 302


def test_account_form_errors(app, client, post_page):
    _, url = invite(make_partnership())
    page = post_page(url, {**NEW_PERSON, "password": "short", "confirm": "different"})
    assert page.title.get_text().startswith("Error: ")
    errors = {a["href"]: a.get_text() for a in page.select(".govuk-error-summary a")}
    assert errors["#password"] == "Your password must be 10 to 200 characters long"
    assert errors["#confirm"] == "The passwords do not match"
    page = post_page(url, dict.fromkeys(NEW_PERSON, ""))
    errors = {a["href"] for a in page.select(".govuk-error-summary a")}
    assert errors == {"#name", "#email", "#agency", "#password", "#confirm"}
    assert db.session.execute(select(User).filter_by(email="nia@health.example")).scalar() is None


def test_a_link_works_once(app, client, get_page, post_page):
    _, url = invite(make_partnership())
    post_page(url, NEW_PERSON)
    client.post("/sign-out")
    page = get_page(url, status=410)
    assert page.h1.get_text() == "This invitation link has already been used"
    post_page(url, {**NEW_PERSON, "email": "second@test.example"}, status=410)
    assert db.session.execute(select(User).filter_by(email="second@test.example")).scalar() is None


def test_two_people_racing_with_one_link_leave_one_member_and_one_account(app, client, post_page):
    partnership = make_partnership()
    lead = make_user(partnership, "lead")
    invitation, url = invite(partnership, by=lead)
    # The second person's page has read the link before the first person finishes joining.
    seen_by_second = load_invitation(url.rsplit("/", 1)[1])
    post_page(url, NEW_PERSON)
    with pytest.raises(InvitationError) as refused:
        create_account_from_invitation(
            seen_by_second, "Sam Second", "second@test.example", "police", "a long password"
        )
    assert refused.value.reason == USED
    assert db.session.execute(select(User).filter_by(email="second@test.example")).scalar() is None
    first = db.session.execute(select(User.id).filter_by(email="nia@health.example")).scalar_one()
    assert _unused_and_members(invitation, partnership) == (False, {lead.id, first})


def test_an_expired_row_is_refused(app, client, get_page):
    invitation, url = invite(make_partnership(name="Northshire CSP"))
    invitation.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    page = get_page(url, status=410)
    assert page.h1.get_text() == "This invitation link has expired"
    assert "Northshire" not in page.get_text()


def test_a_link_older_than_the_invitation_days_is_refused(app, client, get_page, monkeypatch):
    import itsdangerous.timed

    _, url = invite(make_partnership())
    later = datetime.now(UTC).timestamp() + 15 * 24 * 60 * 60
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: later)
    page = get_page(url, status=410)
    assert page.h1.get_text() == "This invitation link has expired"


def test_a_tampered_or_unknown_link_says_nothing_about_the_partnership(app, client, get_page):
    _, url = invite(make_partnership(name="Northshire CSP"))
    nonce_part, rest = url.rsplit("/", 1)[1].split(".", 1)
    tampered = f"/invitations/{nonce_part[:-2]}xx.{rest}"
    for bad in (tampered, "/invitations/not-a-token", url + "x"):
        page = get_page(bad, status=404)
        assert page.h1.get_text() == "This invitation link is not valid"
        assert "Northshire" not in page.get_text()
    # A correctly signed nonce with no row behind it (say, one from a deleted partnership).
    from selfassess.services.invitations import _serializer

    page = get_page(f"/invitations/{_serializer().dumps('no-such-nonce')}", status=404)
    assert page.h1.get_text() == "This invitation link is not valid"


def test_a_link_signed_with_another_key_is_refused(app, client, get_page):
    from itsdangerous import URLSafeTimedSerializer

    invitation, _ = invite(make_partnership())
    forged = URLSafeTimedSerializer("not-our-key", salt="invitation").dumps(invitation.nonce)
    get_page(f"/invitations/{forged}", status=404)


def test_an_existing_account_is_asked_to_sign_in_first(app, client, post_page):
    make_user(email="nia@health.example")
    _, url = invite(make_partnership())
    page = post_page(url, NEW_PERSON)
    assert page.title.get_text().startswith("Error: ")
    assert "Sign in first" in page.select_one(".govuk-error-summary").get_text()
    sign_in_link = page.select_one("#sign-in-first a")["href"]
    assert sign_in_link.startswith("/sign-in?next=")


def test_an_existing_account_joins_a_second_partnership(app, client, get_page, post_page):
    first = make_partnership(name="Northshire CSP")
    second = make_partnership(name="Southshire CSP")
    user = make_user(first, "member")
    invitation, url = invite(second, "observer")
    # Signing in from the invitation page comes back to it.
    response = client.post(f"/sign-in?next={url}", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == url
    page = get_page(url)
    assert page.h1.get_text() == "Join Southshire CSP"
    post_page(url, {})
    db.session.expire_all()
    assert user.role_in(first.id) == "member"
    assert user.role_in(second.id) == "observer"
    assert db.session.get(Invitation, invitation.id).used_by_id == user.id
    mine = get_page("/partnerships/")
    assert len(mine.select("#your-partnerships li")) == 2


def test_a_member_following_a_link_to_their_own_partnership_does_not_use_it(app, client, get_page):
    partnership = make_partnership()
    lead = make_user(partnership, "lead")
    invitation, url = invite(partnership, by=lead)
    sign_in(client, lead)
    response = client.get(url)
    assert response.status_code == 302
    db.session.refresh(invitation)
    assert invitation.used_at is None


def test_lead_withdraws_an_invitation(app, client, get_page, post_page):
    partnership = make_partnership()
    lead = make_user(partnership, "lead")
    invitation, url = invite(partnership, by=lead)
    sign_in(client, lead)
    post_page(f"/partnerships/{partnership.id}/invitations/{invitation.id}/withdraw", {})
    page = get_page(f"/partnerships/{partnership.id}")
    assert not page.select("#pending-invitations")
    client.post("/sign-out")
    get_page(url, status=410)


def test_analyst_invites_a_new_lead_for_a_partnership(app, client, get_page, post_page):
    partnership = make_partnership()
    analyst = make_user()
    analyst.is_analyst = True
    db.session.commit()
    sign_in(client, analyst)
    page = post_page(
        f"/partnerships/{partnership.id}/invite-lead",
        {"lead_name": "Lou Lead", "lead_email": "lou@test.example"},
    )
    link = page.select_one("input#invitation-link")["value"]
    client.post("/sign-out")
    post_page(link.split("localhost", 1)[1], {**NEW_PERSON, "email": "lou@test.example"})
    lou = db.session.execute(select(User).filter_by(email="lou@test.example")).scalar_one()
    assert (
        db.session.execute(
            select(Membership.role).filter_by(user_id=lou.id, partnership_id=partnership.id)
        ).scalar_one()
        == "lead"
    )


def _unused_and_members(invitation, partnership):
    """Whether the invitation is still unused, and who belongs to the partnership."""
    db.session.expire_all()
    unused = db.session.get(Invitation, invitation.id).used_at is None
    members = select(Membership.user_id).filter_by(partnership_id=partnership.id)
    return unused, set(db.session.execute(members).scalars())


def make_analyst(**fields):
    analyst = make_user(**fields)
    analyst.is_analyst = True
    db.session.commit()
    return analyst


def test_an_analyst_cannot_use_a_lead_invitation_they_made(app, client, get_page, post_page):
    partnership = make_partnership(name="Northshire CSP")
    analyst = make_analyst()
    sign_in(client, analyst)
    page = post_page(
        f"/partnerships/{partnership.id}/invite-lead",
        {"lead_name": "Lou Lead", "lead_email": "lou@test.example"},
    )
    url = page.select_one("input#invitation-link")["value"].split("localhost", 1)[1]
    page = get_page(url, status=403)
    assert page.h1.get_text() == "National analysts cannot join a partnership"
    post_page(url, {}, status=403)
    invitation = db.session.execute(select(Invitation)).scalar_one()
    assert _unused_and_members(invitation, partnership) == (True, set())
    assert get_page(f"/partnerships/{partnership.id}", status=404)


def test_an_analyst_naming_themselves_as_first_lead_still_cannot_join(app, client, post_page):
    analyst = make_analyst(email="ana@home.example")
    sign_in(client, analyst)
    response = client.post(
        "/partnerships/new",
        data={
            "name": "Eastshire Community Safety Partnership",
            "code": "E22000999",
            "region": "east",
            "police_force_area": "Eastshire Police",
            "lead_name": "Ana Lyst",
            "lead_email": "ANA@home.example",
        },
    )
    assert response.status_code == 302
    page = BeautifulSoup(client.get(response.headers["Location"]).data, "html.parser")
    url = page.select_one("input#invitation-link")["value"].split("localhost", 1)[1]
    page = post_page(url, {}, status=403)
    assert page.h1.get_text() == "National analysts cannot join a partnership"
    partnership = db.session.execute(select(Partnership)).scalar_one()
    invitation = db.session.execute(select(Invitation)).scalar_one()
    assert _unused_and_members(invitation, partnership) == (True, set())


def test_someone_signed_in_with_another_email_is_told_it_is_not_theirs(
    app, client, get_page, post_page
):
    partnership = make_partnership(name="Northshire CSP")
    invitation, url = invite(partnership, "lead", for_email="Lou@Test.example")
    before = _unused_and_members(invitation, partnership)
    stranger = make_user(email="someone@else.example")
    sign_in(client, stranger)
    page = get_page(url, status=403)
    assert page.h1.get_text() == "This invitation is for someone else"
    assert "someone@else.example" in page.get_text()
    assert "Northshire" not in page.get_text()
    post_page(url, {}, status=403)
    assert _unused_and_members(invitation, partnership) == before
    # The person it names (the address in any case) joins with it.
    client.post("/sign-out")
    lou = make_user(email="lou@test.example")
    sign_in(client, lou)
    assert get_page(url).h1.get_text() == "Join Northshire CSP"
    post_page(url, {})
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).used_by_id == lou.id
    assert lou.role_in(partnership.id) == "lead"


def test_a_new_account_from_a_named_invitation_uses_the_named_address(app, client, post_page):
    partnership = make_partnership()
    invitation, url = invite(partnership, "lead", for_email="nia@health.example")
    before = _unused_and_members(invitation, partnership)
    page = post_page(url, {**NEW_PERSON, "email": "other@health.example"})
    assert page.title.get_text().startswith("Error: ")
    assert "for a different email address" in page.select_one(".govuk-error-summary").get_text()
    assert db.session.execute(select(User).filter_by(email="other@health.example")).scalar() is None
    assert _unused_and_members(invitation, partnership) == before
    post_page(url, NEW_PERSON)  # Nia@Health.example: the same address, in other letters
    nia = db.session.execute(select(User).filter_by(email="nia@health.example")).scalar_one()
    assert nia.role_in(partnership.id) == "lead"


def test_an_analyst_account_never_holds_a_membership(app, runner):
    from selfassess.cli import cli, register_commands
    from selfassess.models.people import AnalystMembershipError

    partnership = make_partnership()
    analyst = make_analyst()
    db.session.add(Membership(user=analyst, partnership=partnership, role="lead"))
    with pytest.raises(AnalystMembershipError):
        db.session.commit()
    db.session.rollback()
    # Nor can a member be made an analyst.
    member = make_user(partnership, "member", email="mo@test.example")
    register_commands()
    args = ["users", "create-analyst", "--email", member.email, "--name", "Mo"]
    result = runner.invoke(cli, args=[*args, "--password", "long-enough-password"])
    assert result.exit_code != 0
    assert "is a member of a partnership" in result.output
    db.session.expire_all()
    assert not db.session.get(User, member.id).is_analyst


def test_making_a_lead_invitation_is_audited(app, client, post_page):
    partnership = make_partnership()
    analyst = make_analyst(name="Ana Lyst")
    sign_in(client, analyst)
    post_page(
        f"/partnerships/{partnership.id}/invite-lead",
        {"lead_name": "Lou Lead", "lead_email": "lou@test.example"},
    )
    event = db.session.execute(
        select(AuditEvent).filter_by(entity="invitation", event="invited")
    ).scalar_one()
    assert (event.actor_id, event.actor_label, event.partnership_id) == (
        analyst.id,
        "Ana Lyst",
        partnership.id,
    )
    assert event.after["role"] == "lead" and event.after["for_email"] == "lou@test.example"


def test_an_address_taken_at_the_same_moment_is_told_so_not_a_server_error(app, monkeypatch):
    """Two invitations used by one address at once: the check before saving passes for both,
    and the unique address decides; the loser is told the address has an account."""
    import selfassess.services.invitations as service

    partnership = make_partnership()
    lead = make_user(partnership, "lead")
    first = create_invitation(partnership, "member", lead).invitation
    second = create_invitation(partnership, "member", lead).invitation
    service.create_account_from_invitation(
        first, "Sam", "sam@x.example", "police", "a long password"
    )
    monkeypatch.setattr(service, "email_taken", lambda email: False)  # the race's window

    with pytest.raises(service.EmailTakenError):
        service.create_account_from_invitation(
            second, "Sam", "sam@x.example", "police", "a long password"
        )
    assert db.session.scalar(select(Invitation).filter_by(id=second.id)).used_at is None
    assert len(db.session.scalars(select(User).filter_by(email="sam@x.example")).all()) == 1
