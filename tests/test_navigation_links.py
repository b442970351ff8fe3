"""The pages a lead starts from link to the workshop and to national returns."""

from tests.factories import PASSWORD, make_assessment, make_partnership, make_user


def sign_in(client, user):
    client.post("/sign-in", data={"email": user.email, "password": PASSWORD})


def test_lead_sees_the_workshop_link_on_an_open_assessment(app, client, get_page):
    partnership = make_partnership()
    lead = make_user(partnership, role="lead")
    assessment = make_assessment(partnership, status="open")
    sign_in(client, lead)
    link = get_page(f"/assessments/{assessment.id}").select_one("#workshop-link")
    assert link["href"] == f"/assessments/{assessment.id}/workshop"


def test_member_does_not_see_the_workshop_link(app, client, get_page):
    partnership = make_partnership()
    member = make_user(partnership, role="member")
    assessment = make_assessment(partnership, status="open")
    sign_in(client, member)
    assert get_page(f"/assessments/{assessment.id}").select_one("#workshop-link") is None


def test_lead_sees_national_returns_from_the_partnership_page(app, client, get_page):
    partnership = make_partnership()
    lead = make_user(partnership, role="lead")
    sign_in(client, lead)
    link = get_page(f"/partnerships/{partnership.id}").select_one("#national-returns-link")
    assert link["href"] == f"/national/partnerships/{partnership.id}/returns"
    assert get_page(link["href"]).h1
