"""Authorization table: partnerships, their people and invitation links.

Analysts see the list of partnerships, create them and invite their leads, but a partnership's
own page (members, assessments) is only for its members. Leads manage people; observers and
members read the member list. An invitation link works for whoever holds it, once.
"""

from __future__ import annotations

from sqlalchemy import select

from selfassess.extensions import db
from selfassess.models import Membership
from selfassess.services.invitations import create_invitation
from tests.authz.harness import DENIED, Route, expect, route_test

READERS = {"observer": 200, "member": 200, "lead": 200}
ANALYST_ONLY = {**dict.fromkeys(DENIED, 404), "anonymous": 302}
SIGNED_IN_200 = {**dict.fromkeys(DENIED, 200), "anonymous": 302}
# Someone else's invitation: the account form for the signed-out, "not yours" for everyone else.
NOT_YOURS = {**dict.fromkeys(DENIED, 403), "anonymous": 200}
NEW_PARTNERSHIP = {
    "name": "Rshire Community Safety Partnership",
    "code": "R0001",
    "region": "london",
    "police_force_area": "Metropolitan Police",
    "lead_name": "Rae Lead",
    "lead_email": "rae@test.example",
}


def _invitation(world, role="member", partnership=None, by="lead", for_email=None):
    made = create_invitation(partnership or world.p, role, world.users[by], for_email=for_email)
    db.session.commit()
    return made


def _membership_id(world, persona):
    return db.session.execute(
        select(Membership.id).filter_by(user_id=world.users[persona].id)
    ).scalar_one()


def pending(world):
    return {"invitation": _invitation(world).invitation.id}


def lead_pending(world):
    return {"invitation": _invitation(world, "lead", by="analyst").invitation.id}


def q_pending(world):
    return {"q_invitation": _invitation(world, partnership=world.q, by="outsider").invitation.id}


def member_membership(world):
    return {"membership": _membership_id(world, "member")}


def q_membership(world):
    return {"q_membership": _membership_id(world, "outsider")}


def token(world):
    return {"token": _invitation(world).token}


def named_token(world):
    return {"token": _invitation(world, "lead", by="analyst", for_email="rae@test.example").token}


def analyst_named_token(world):
    email = world.users["analyst"].email.upper()
    return {"token": _invitation(world, "lead", by="analyst", for_email=email).token}


ROUTES = [
    # Your partnerships: everyone signed in; analysts also see every partnership's name and code.
    Route("GET", "/partnerships/", SIGNED_IN_200),
    # Creating partnerships and inviting their leads: national analysts only.
    Route("GET", "/partnerships/new", {**ANALYST_ONLY, "analyst": 200}),
    Route("POST", "/partnerships/new", {**ANALYST_ONLY, "analyst": 302}, data=NEW_PARTNERSHIP),
    Route("GET", "/partnerships/{p}/invite-lead", {**ANALYST_ONLY, "analyst": 200}),
    Route(
        "POST",
        "/partnerships/{p}/invite-lead",
        {**ANALYST_ONLY, "analyst": 302},
        data={"lead_name": "Rae Lead", "lead_email": "rae@test.example"},
    ),
    Route(
        "GET",
        "/partnerships/{p}/lead-invitations/{invitation}",
        {**ANALYST_ONLY, "analyst": 200},
        setup=lead_pending,
    ),
    Route("GET", "/partnerships/999999/invite-lead", {**ANALYST_ONLY, "analyst": 404}),
    # A partnership's page: its members only, never an analyst who is not one.
    Route("GET", "/partnerships/{p}", expect(**READERS)),
    Route("GET", "/partnerships/{q}", expect(outsider=200, observer=404, member=404, lead=404)),
    # Inviting and managing people: leads.
    Route("GET", "/partnerships/{p}/invite", expect(lead=200)),
    Route("POST", "/partnerships/{p}/invite", expect(lead=302), data={"role": "member"}),
    Route(
        "POST",
        "/partnerships/{q}/invite",
        expect(outsider=302, observer=404, member=404, lead=404),
        data={"role": "member"},
    ),
    Route("GET", "/partnerships/{p}/invitations/{invitation}", expect(lead=200), setup=pending),
    Route(
        "POST",
        "/partnerships/{p}/invitations/{invitation}/withdraw",
        expect(lead=302),
        setup=pending,
    ),
    # Another partnership's invitation through P's address: not found, even for P's lead.
    Route(
        "GET",
        "/partnerships/{p}/invitations/{q_invitation}",
        expect(lead=404),
        setup=q_pending,
    ),
    Route(
        "GET",
        "/partnerships/{p}/members/{membership}/role",
        expect(lead=200),
        setup=member_membership,
    ),
    Route(
        "POST",
        "/partnerships/{p}/members/{membership}/role",
        expect(lead=302),
        data={"role": "observer"},
        setup=member_membership,
    ),
    Route(
        "POST",
        "/partnerships/{p}/members/{q_membership}/role",
        expect(lead=404),
        data={"role": "observer"},
        setup=q_membership,
    ),
    Route(
        "GET",
        "/partnerships/{p}/members/{membership}/remove",
        expect(lead=200),
        setup=member_membership,
    ),
    Route(
        "POST",
        "/partnerships/{p}/members/{membership}/remove",
        expect(lead=302),
        setup=member_membership,
    ),
    Route(
        "POST",
        "/partnerships/{p}/members/{q_membership}/remove",
        expect(lead=404),
        setup=q_membership,
    ),
    # The invitation link: anyone holding it sees the page; P's own people are sent on to P;
    # a national analyst is told analysts never join a partnership.
    Route(
        "GET",
        "/invitations/{token}",
        {
            "anonymous": 200,
            "outsider": 200,
            "analyst": 403,
            "observer": 302,
            "member": 302,
            "lead": 302,
        },
        setup=token,
    ),
    # Posting it: anonymous with an empty form gets the errors; the outsider (signed in) joins
    # with it; after that the link is used up for everyone (410).
    Route(
        "POST",
        "/invitations/{token}",
        {
            "anonymous": 200,
            "outsider": 302,
            "analyst": 410,
            "observer": 410,
            "member": 410,
            "lead": 410,
        },
        data={},
        setup=token,
    ),
    # An invitation made for an email address: only that person uses it; anyone else signed in
    # is told it is someone else's, and nothing changes.
    Route("GET", "/invitations/{token}", NOT_YOURS, setup=named_token),
    Route("POST", "/invitations/{token}", NOT_YOURS, data={}, setup=named_token),
    # Even one naming the analyst's own address: an analyst never becomes a member.
    Route("POST", "/invitations/{token}", NOT_YOURS, data={}, setup=analyst_named_token),
    Route("GET", "/invitations/not-a-valid-token", {**dict.fromkeys(DENIED, 404)}),
]
test_routes = route_test(ROUTES)
