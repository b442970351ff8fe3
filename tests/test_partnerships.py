"""Partnerships and their people: the list, creating one, members, roles, the last lead."""

from __future__ import annotations

from sqlalchemy import select

from selfassess.extensions import db
from selfassess.models import AuditEvent, Invitation, Membership, Partnership, User
from tests.factories import PASSWORD, make_partnership, make_user


def sign_in(client, user):
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302


def link(page, text):
    """The first link whose words are text, or None."""
    return next((a for a in page.select("a") if a.get_text(strip=True) == text), None)


def make_analyst(**fields):
    user = make_user(**fields)
    user.is_analyst = True
    db.session.commit()
    return user


def test_anonymous_people_are_sent_to_sign_in(app, client):
    response = client.get("/partnerships/")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_your_partnerships_lists_each_partnership_with_your_role(app, client, get_page):
    north = make_partnership(name="Northshire CSP")
    south = make_partnership(name="Southshire CSP")
    make_partnership(name="Elsewhere CSP")
    user = make_user(north, "lead")
    db.session.add(Membership(user=user, partnership=south, role="observer"))
    db.session.commit()
    sign_in(client, user)
    page = get_page("/partnerships/")
    assert page.h1.get_text() == "Your partnerships"
    rows = [li.get_text(" ", strip=True) for li in page.select("#your-partnerships li")]
    assert len(rows) == 2
    assert rows[0].startswith("Northshire CSP") and rows[0].endswith("Lead")
    assert rows[1].startswith("Southshire CSP") and rows[1].endswith("Observer")
    assert "Elsewhere" not in page.get_text()
    assert link(page, "Create a partnership") is None
    nav = [a.get_text(strip=True) for a in page.select(".govuk-service-navigation a")]
    assert "Your partnerships" in nav


def test_analyst_sees_every_partnership_by_name_and_code_only(app, client, get_page):
    partnership = make_partnership(
        name="Westshire CSP", code="W12345", region="wales", police_force_area="Dyfed-Powys"
    )
    make_user(partnership, "lead")
    sign_in(client, make_analyst())
    page = get_page("/partnerships/")
    cells = [td.get_text(strip=True) for td in page.select("#all-partnerships tbody td")]
    assert cells[:4] == ["Westshire CSP", "W12345", "Wales", "Dyfed-Powys"]
    assert link(page, "Create a partnership")["href"] == "/partnerships/new"
    # An analyst is not a member: the partnership's own page (members, assessments) is not theirs.
    get_page(f"/partnerships/{partnership.id}", status=404)


def test_analyst_creates_a_partnership_and_gets_the_first_leads_link(app, client, get_page):
    analyst = make_analyst()
    sign_in(client, analyst)
    form = get_page("/partnerships/new")
    regions = [i["value"] for i in form.select("input[name=region]")]
    assert "north_west" in regions and "wales" in regions
    response = client.post(
        "/partnerships/new",
        data={
            "name": "Eastshire Community Safety Partnership",
            "code": " e22000999 ",
            "region": "east",
            "police_force_area": "Eastshire Police",
            "lead_name": "Dana Lead",
            "lead_email": "Dana@Test.example",
        },
    )
    assert response.status_code == 302
    page = get_page(response.headers["Location"])
    assert page.select_one(".govuk-panel__title").get_text(strip=True) == "Partnership created"
    link = page.select_one("input#invitation-link")["value"]
    assert "/invitations/" in link
    partnership = db.session.execute(select(Partnership)).scalar_one()
    assert partnership.code == "E22000999"
    assert partnership.region == "east"
    invitation = db.session.execute(select(Invitation)).scalar_one()
    assert invitation.role == "lead" and invitation.partnership_id == partnership.id
    assert "Dana Lead" in page.get_text()
    # The invitee's form is filled in with the name and email the analyst gave.
    client.post("/sign-out")
    accept = get_page(link.split("localhost", 1)[-1])
    assert accept.select_one("input[name=name]")["value"] == "Dana Lead"
    assert accept.select_one("input[name=email]")["value"] == "dana@test.example"
    events = db.session.execute(select(AuditEvent.entity, AuditEvent.event)).all()
    assert ("partnership", "created") in events and ("invitation", "invited") in events


def test_duplicate_or_malformed_code_is_a_gov_uk_error(app, client, post_page):
    make_partnership(code="E22000001")
    sign_in(client, make_analyst())
    data = {
        "name": "Copy CSP",
        "code": "e22000001",
        "region": "london",
        "police_force_area": "Metropolitan Police",
        "lead_name": "A Lead",
        "lead_email": "a@test.example",
    }
    page = post_page("/partnerships/new", data)
    assert page.title.get_text().startswith("Error: ")
    summary = {a["href"]: a.get_text() for a in page.select(".govuk-error-summary a")}
    assert summary == {"#code": "A partnership already uses this code"}
    page = post_page("/partnerships/new", {**data, "code": "no spaces!"})
    assert "#code" in {a["href"] for a in page.select(".govuk-error-summary a")}
    assert db.session.scalar(select(Partnership.id).where(Partnership.name == "Copy CSP")) is None


def test_only_analysts_create_partnerships(app, client, get_page):
    partnership = make_partnership()
    sign_in(client, make_user(partnership, "lead"))
    get_page("/partnerships/new", status=404)


def test_members_page_shows_people_with_agency_full_names(app, client, get_page):
    partnership = make_partnership()
    lead = make_user(partnership, "lead", name="Lee Lead", agency="local_authority")
    make_user(partnership, "member", name="Pat Probation", agency="probation")
    make_user(partnership, "observer", name="Olu Observer", agency="vcs")
    sign_in(client, lead)
    page = get_page(f"/partnerships/{partnership.id}")
    rows = [
        [td.get_text(" ", strip=True) for td in tr.select("td")[:3]]
        for tr in page.select("#members tbody tr")
    ]
    assert rows == [
        ["Lee Lead (you)", "Local authority", "Lead"],
        ["Pat Probation", "Probation Service", "Member"],
        ["Olu Observer", "Voluntary and community sector", "Observer"],
    ]
    assert link(page, "Invite someone")


def test_members_and_observers_see_the_list_read_only(app, client, get_page):
    partnership = make_partnership()
    make_user(partnership, "lead")
    observer = make_user(partnership, "observer")
    sign_in(client, observer)
    page = get_page(f"/partnerships/{partnership.id}")
    assert len(page.select("#members tbody tr")) == 2
    assert link(page, "Invite someone") is None
    assert not page.select("a[href*='/members/']")
    get_page(f"/partnerships/{partnership.id}/invite", status=403)


def test_outsiders_get_not_found(app, client, get_page):
    partnership = make_partnership()
    make_user(partnership, "lead")
    sign_in(client, make_user(make_partnership(), "lead"))
    get_page(f"/partnerships/{partnership.id}", status=404)


def test_lead_changes_a_role_and_it_is_audited(app, client, get_page, post_page):
    partnership = make_partnership()
    lead = make_user(partnership, "lead")
    member = make_user(partnership, "member", name="Morgan Member")
    membership = db.session.execute(select(Membership).filter_by(user_id=member.id)).scalar_one()
    sign_in(client, lead)
    url = f"/partnerships/{partnership.id}/members/{membership.id}/role"
    form = get_page(url)
    assert form.select_one("input[name=role][checked]")["value"] == "member"
    page = post_page(url, {"role": "observer"})
    assert "Morgan Member is now observer." in page.get_text()
    db.session.expire_all()
    assert db.session.get(Membership, membership.id).role == "observer"
    event = db.session.execute(
        select(AuditEvent).filter_by(entity="membership", event="role_changed")
    ).scalar_one()
    assert event.before["role"] == "member" and event.after["role"] == "observer"
    assert event.actor_id == lead.id and event.partnership_id == partnership.id


def test_lead_removes_a_member(app, client, get_page, post_page):
    partnership = make_partnership()
    lead = make_user(partnership, "lead")
    member = make_user(partnership, "member", name="Morgan Member")
    membership = db.session.execute(select(Membership).filter_by(user_id=member.id)).scalar_one()
    sign_in(client, lead)
    page = post_page(f"/partnerships/{partnership.id}/members/{membership.id}/remove", {})
    assert "Morgan Member is no longer a member" in page.get_text()
    assert db.session.execute(select(Membership).filter_by(user_id=member.id)).scalar() is None
    assert db.session.get(User, member.id) is not None  # the account itself stays
    assert db.session.execute(
        select(AuditEvent).filter_by(entity="membership", event="removed")
    ).scalar_one()


def test_the_last_lead_cannot_step_down_or_leave(app, client, get_page, post_page):
    partnership = make_partnership()
    lead = make_user(partnership, "lead")
    mine = db.session.execute(select(Membership).filter_by(user_id=lead.id)).scalar_one()
    sign_in(client, lead)
    page = post_page(f"/partnerships/{partnership.id}/members/{mine.id}/role", {"role": "member"})
    assert page.title.get_text().startswith("Error: ")
    assert "at least one lead" in page.select_one(".govuk-error-summary").get_text()
    page = get_page(f"/partnerships/{partnership.id}/members/{mine.id}/remove")
    assert "at least one lead" in page.select_one(".govuk-warning-text").get_text()
    post_page(f"/partnerships/{partnership.id}/members/{mine.id}/remove", {})
    db.session.expire_all()
    assert db.session.get(Membership, mine.id).role == "lead"
    # With a second lead, the first may step down.
    other = make_user(partnership, "lead")
    assert other
    post_page(f"/partnerships/{partnership.id}/members/{mine.id}/role", {"role": "member"})
    db.session.expire_all()
    assert db.session.get(Membership, mine.id).role == "member"


def test_members_of_another_partnership_cannot_be_reached(app, client, get_page):
    partnership = make_partnership()
    lead = make_user(partnership, "lead")
    elsewhere = make_partnership()
    stranger = make_user(elsewhere, "member")
    theirs = db.session.execute(select(Membership).filter_by(user_id=stranger.id)).scalar_one()
    sign_in(client, lead)
    get_page(f"/partnerships/{partnership.id}/members/{theirs.id}/role", status=404)
    get_page(f"/partnerships/{elsewhere.id}/members/{theirs.id}/role", status=404)


def test_create_analyst_command(app, runner):
    from selfassess.cli import cli, register_commands

    register_commands()
    result = runner.invoke(
        cli,
        args=[
            "users",
            "create-analyst",
            "--email",
            "Ana@Home.example",
            "--name",
            "Ana Lyst",
            "--password",
            "long-enough-password",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "ana@home.example is a national analyst." in result.output
    user = db.session.execute(select(User).filter_by(email="ana@home.example")).scalar_one()
    assert user.is_analyst and user.name == "Ana Lyst"
    short = runner.invoke(
        cli,
        args=[
            "users",
            "create-analyst",
            "--email",
            "b@x.example",
            "--name",
            "B",
            "--password",
            "short",
        ],
    )
    assert short.exit_code != 0
    assert db.session.execute(select(User).filter_by(email="b@x.example")).scalar() is None


def test_demo_shows_the_lead_their_partnership_and_adds_an_analyst(app, client, runner, get_page):
    from selfassess.cli import cli, register_commands
    from selfassess.demo.partnership import DEMO_PASSWORD

    register_commands()
    result = runner.invoke(cli, args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "analyst@demo.example" in result.output
    again = runner.invoke(cli, args=["demo", "load"])
    assert again.exit_code == 0 and "already present" in again.output
    for email in ("lead@demo.example", "analyst@demo.example"):
        response = client.post("/sign-in", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302
        page = get_page("/partnerships/")
        assert "Northshire Community Safety Partnership" in page.get_text()
        client.post("/sign-out")
    analyst = db.session.execute(select(User).filter_by(email="analyst@demo.example")).scalar_one()
    assert analyst.is_analyst and not analyst.memberships


def test_partnership_page_links_to_its_assessments_when_there_are_any_pages_for_them(
    app, client, get_page
):
    partnership = make_partnership()
    sign_in(client, make_user(partnership, "observer"))
    page = get_page(f"/partnerships/{partnership.id}")
    assessments = link(page, "Assessments")
    if "assessments.index" in app.view_functions:
        assert assessments["href"] == f"/partnerships/{partnership.id}/assessments"
    else:
        assert assessments is None


def _copy_of(app, browser):
    copy = app.test_client()
    copy.set_cookie("session", browser.get_cookie("session").value)
    return copy


def test_a_removed_or_moved_members_old_session_ends(app, client, post_page):
    partnership = make_partnership()
    lead = make_user(partnership, "lead")
    member = make_user(partnership, "member")
    moved = make_user(partnership, "member")
    ids = {
        user.id: db.session.execute(select(Membership.id).filter_by(user_id=user.id)).scalar_one()
        for user in (member, moved)
    }
    sessions = {}
    for user in (member, moved):
        browser = app.test_client()
        sign_in(browser, user)
        sessions[user.id] = _copy_of(app, browser)
        assert sessions[user.id].get(f"/partnerships/{partnership.id}").status_code == 200
    sign_in(client, lead)
    post_page(f"/partnerships/{partnership.id}/members/{ids[member.id]}/remove", {})
    post_page(f"/partnerships/{partnership.id}/members/{ids[moved.id]}/role", {"role": "observer"})
    for user in (member, moved):
        response = sessions[user.id].get(f"/partnerships/{partnership.id}")
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/sign-in")
    # The lead who made the changes is still signed in.
    assert client.get(f"/partnerships/{partnership.id}").status_code == 200


def test_a_lead_who_steps_down_keeps_this_session_but_not_old_copies(app, client, post_page):
    partnership = make_partnership()
    lead = make_user(partnership, "lead")
    make_user(partnership, "lead")
    mine = db.session.execute(select(Membership.id).filter_by(user_id=lead.id)).scalar_one()
    sign_in(client, lead)
    copy = _copy_of(app, client)
    post_page(f"/partnerships/{partnership.id}/members/{mine}/role", {"role": "member"})
    assert client.get(f"/partnerships/{partnership.id}").status_code == 200
    assert copy.get(f"/partnerships/{partnership.id}").status_code == 302


def test_a_code_taken_at_the_same_moment_is_told_so_not_a_server_error(app, monkeypatch):
    import pytest

    import selfassess.services.partnerships as service

    analyst = make_user(is_analyst=True)
    args = ("Northshire CSP", "E22000999", "north_west", "Northshire Police", analyst)
    service.create_partnership(*args, "Lee Lead", "lee@x.example")
    monkeypatch.setattr(service, "code_taken", lambda code: False)  # the race's window

    with pytest.raises(service.CodeTakenError):
        service.create_partnership(*args, "Kim Lead", "kim@x.example")
    assert len(db.session.scalars(select(Partnership)).all()) == 1
