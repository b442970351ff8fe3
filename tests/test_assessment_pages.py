"""Assessment pages through the test client: creating, rating, checking, the lead's views."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from selfassess.extensions import db
from selfassess.models import Action, AgreedRating, Assessment, Participant, Rating
from selfassess.web import fragments
from tests.authz.harness import EVIDENCE, build_world, client_as

KP = "iom-key-principles"


@pytest.fixture
def world(app):
    return build_world()


@pytest.fixture
def visit(app, world):
    """visit(persona, method, url, **kwargs) -> (status, parsed page or JSON)."""

    def go(persona, url, method="GET", **kwargs):
        client = client_as(app, world, persona)
        with app.app_context():
            response = client.open(url, method=method, **kwargs)
        db.session.expire_all()
        if response.is_json:
            return response.status_code, response.get_json()
        return response.status_code, BeautifulSoup(response.data, "html.parser")

    return go


def text(page) -> str:
    return " ".join(page.get_text(" ").split())


def new_assessment(world, visit, **data):
    form = {"title": "Spring 2026", "period": "2026 to 2027", **data}
    status, page = visit("lead", f"/partnerships/{world.p.id}/assessments/new", "POST", data=form)
    assert status == 302
    return db.session.execute(
        db.select(Assessment).filter_by(title=form["title"]).order_by(Assessment.id.desc())
    ).scalar()


def test_a_lead_creates_a_draft_assessment_with_the_frameworks_chosen(world, visit):
    status, page = visit("lead", f"/partnerships/{world.p.id}/assessments/new")
    assert status == 200
    labels = text(page.find("form"))
    assert "PPO" in labels and "DIP" in labels
    assessment = new_assessment(world, visit, frameworks=["dip"])
    assert assessment.status == "draft"
    pinned = [(af.framework_id, af.framework_version) for af in assessment.frameworks]
    assert pinned == [(KP, "2010.1"), ("dip", "2010.1")]
    status, page = visit("lead", f"/assessments/{assessment.id}")
    assert "Draft" in text(page)
    assert page.find("button", string=lambda s: s and "Open for rating" in s)


def test_creating_needs_a_title_and_period(world, visit):
    status, page = visit(
        "lead", f"/partnerships/{world.p.id}/assessments/new", "POST", data={"title": ""}
    )
    assert status == 200
    assert page.title.string.startswith("Error:")
    summary = text(page.find(class_="govuk-error-summary"))
    assert "Enter a title" in summary and "Enter the period" in summary


def test_only_a_lead_moves_the_status_and_submitted_is_never_offered(world, visit):
    a = world.assessment
    assert visit("member", f"/assessments/{a.id}/status", "POST", data={"to": "agreed"})[0] == 403
    status, _ = visit("lead", f"/assessments/{a.id}/status", "POST", data={"to": "agreed"})
    assert status == 302
    assert db.session.get(Assessment, a.id).status == "agreed"
    visit("lead", f"/assessments/{a.id}/status", "POST", data={"to": "submitted"})
    assert db.session.get(Assessment, a.id).status == "agreed"
    _, page = visit("lead", f"/assessments/{a.id}")
    buttons = [b.get_text(strip=True) for b in page.select("#status-moves button")]
    assert buttons == ["Reopen for rating"]


def test_a_member_sees_their_own_task_list_and_resumes_where_they_left_off(world, visit):
    a = world.assessment
    # The member rated 1.1 in the world; principle 1 is in progress for them.
    _, page = visit("member", f"/assessments/{a.id}")
    task_lists = page.select(".govuk-task-list")
    assert len(task_lists) == 2  # Key Principles and PPO traffic light
    first = task_lists[0].select(".govuk-task-list__item")[0]
    assert "In progress" in text(first)
    assert "Not started" in text(task_lists[0].select(".govuk-task-list__item")[1])
    assert page.find(id="resume")["href"].endswith(f"/rate/{KP}/1")


def test_rating_a_section_without_javascript_saves_and_moves_on(world, visit, app):
    a = world.assessment
    url = f"/assessments/{a.id}/rate/{KP}/2"
    _, page = visit("observer", url)
    status, page = visit("member", url)
    assert status == 200
    items = page.select(".app-rating-item")
    labels = text(items[0].find("fieldset"))
    for word in ("Red", "Amber", "Green", "Don't know", "Not applicable"):
        assert word in labels
    assert items[0].find("strong", class_="app-rag--red").get_text(strip=True) == "Red"
    form = {}
    for item in items:
        key = item["id"]
        form[f"{key}-value"] = "amber"
        form[f"{key}-evidence"] = f"Evidence for {item['data-item-id']}"
    status, _ = visit("member", url, "POST", data=form)
    assert status == 302
    participant = db.session.execute(
        db.select(Participant).filter_by(user_id=world.users["member"].id)
    ).scalar()
    assert participant.agency == "police"
    rated = db.session.execute(
        db.select(Rating).filter_by(participant_id=participant.id, framework_id=KP)
    ).scalars()
    assert {r.item_id for r in rated if r.item_id.startswith("2.")} == {
        i["data-item-id"] for i in items
    }
    _, page = visit("member", f"/assessments/{a.id}")
    second = page.select(".govuk-task-list")[0].select(".govuk-task-list__item")[1]
    assert "Completed" in text(second)


def test_too_long_evidence_gets_a_govuk_error_and_nothing_is_saved(world, visit):
    a = world.assessment
    url = f"/assessments/{a.id}/rate/{KP}/1"
    long_text = "x" * 5001
    status, page = visit(
        "member",
        url,
        "POST",
        data={"item-1-2-value": "green", "item-1-2-evidence": long_text},
    )
    assert status == 200
    assert page.title.string.startswith("Error:")
    summary = page.find(class_="govuk-error-summary")
    assert "Evidence must be 5000 characters or fewer" in text(summary)
    assert summary.find("a")["href"] == "#item-1-2-evidence"
    assert page.find("textarea", id="item-1-2-evidence").string.strip() == long_text
    assert page.find("input", id="item-1-2-value-3").has_attr("checked")  # green kept
    assert db.session.execute(db.select(Rating).filter_by(item_id="1.2")).scalar() is None


def test_autosave_saves_one_item_and_answers_in_json(world, visit):
    a = world.assessment
    url = f"/assessments/{a.id}/rate/{KP}/1/autosave"
    status, body = visit("member", url, "POST", json={"item_id": "1.2", "value": "red"})
    assert (status, body["saved"]) == (200, True)
    status, body = visit(
        "member", url, "POST", json={"item_id": "1.2", "value": "red", "evidence": "y" * 5001}
    )
    assert status == 400
    assert body["errors"]["evidence"] == "Evidence must be 5000 characters or fewer"
    status, body = visit("member", url, "POST", json={"item_id": "2.1", "value": "red"})
    assert status == 400  # not in this section
    rating = db.session.execute(db.select(Rating).filter_by(item_id="1.2")).scalar()
    assert (rating.value, rating.evidence) == ("red", None)
    world.assessment.status = "agreed"
    db.session.commit()
    status, body = visit("member", url, "POST", json={"item_id": "1.2", "value": "green"})
    assert status == 409 and body["saved"] is False


def test_rating_page_loads_the_autosave_script_from_a_file(world, visit):
    _, page = visit("member", f"/assessments/{world.assessment.id}/rate/{KP}/1")
    sources = [s.get("src", "") for s in page.find_all("script")]
    assert any(src.endswith("/autosave.js") for src in sources)
    inline = [s for s in page.find_all("script") if not s.get("src")]
    assert all(s.get("nonce") for s in inline)  # only GOV.UK's own, allowed by nonce


def test_check_your_answers_then_mark_complete(world, visit):
    a = world.assessment
    _, page = visit("member", f"/assessments/{a.id}/check-your-answers")
    answers = page.find(id=f"answers-{KP}-1")
    assert "No protocol" in text(answers)
    change = answers.select_one("a.govuk-link")
    assert "Change" in change.get_text()
    assert change["href"].endswith(f"/rate/{KP}/1#item-1-1")
    assert page.find(class_="govuk-warning-text")  # not everything rated yet
    visit("member", f"/assessments/{a.id}/complete", "POST")
    member_part = db.session.execute(
        db.select(Participant).filter_by(user_id=world.users["member"].id)
    ).scalar()
    assert member_part.completed_at is None
    # Rate everything, then completing works.
    from selfassess.domain.progress import sections_of
    from selfassess.extensions import frameworks
    from selfassess.services.agreement import save_rating

    fws = [frameworks().get(af.framework_id) for af in a.frameworks]
    for ref in sections_of(fws):
        for item_id in ref.item_ids:
            save_rating(member_part, ref.framework.id, item_id, "dont_know", None, None, None)
    _, page = visit("member", f"/assessments/{a.id}/check-your-answers")
    assert page.find("button", string=lambda s: s and "Mark my ratings as complete" in s)
    status, _ = visit("member", f"/assessments/{a.id}/complete", "POST")
    assert status == 302
    db.session.refresh(member_part)
    assert member_part.completed_at is not None


def test_once_agreed_members_cannot_change_ratings(world, visit):
    a = world.assessment
    a.status = "agreed"
    db.session.commit()
    url = f"/assessments/{a.id}/rate/{KP}/1"
    status, page = visit("member", url)
    assert status == 200 and page.find("form", id="rating-form") is None
    assert "not open for rating" in text(page)
    status, _ = visit("member", url, "POST", data={"item-1-1-value": "green"})
    assert status == 403
    assert db.session.execute(db.select(Rating).filter_by(value="green")).scalar() is None


def test_the_completion_matrix_shows_members_and_sections(world, visit):
    _, page = visit("lead", f"/assessments/{world.assessment.id}/progress")
    table = page.find(id="completion")
    rows = {r.th.get_text(" ", strip=True): r for r in table.tbody.find_all("tr")}
    member_row = next(r for name, r in rows.items() if "Mo Member" in name)
    assert "Police" in member_row.th.get_text()
    first_cell = member_row.find_all("td")[0]
    assert "1 of" in first_cell.get_text() and "In progress" in first_cell.get_text()
    assert "Not started" in member_row.find_all("td")[1].get_text()


def test_results_and_item_page_show_distributions_overall_and_by_agency(world, visit):
    a = world.assessment
    _, page = visit("observer", f"/assessments/{a.id}/results")
    row = page.find(id=f"results-{KP}-1").find("tr", attrs={"data-item-id": "1.1"})
    cells = [td.get_text(strip=True) for td in row.find_all("td")]
    assert cells[:3] == ["1", "1", "0"]  # red, amber, green
    status, page = visit("observer", f"/assessments/{a.id}/items/{KP}/1.1")
    assert status == 200
    by_agency = page.find(id="distribution-by-agency")
    agencies = [th.get_text(strip=True) for th in by_agency.tbody.find_all("th")]
    assert agencies == ["Police", "Local authority"]  # in the reference list's order
    assert "No protocol" in text(page.find(id="evidence"))
    # Observers read everything and get no forms.
    assert page.find("form", id="agreed-rating-form") is None
    assert page.find("form", id="add-action-form") is None
    assert page.find(id="history") is None


def test_evidence_is_escaped(world, visit):
    from selfassess.services.agreement import participant_for, save_rating

    part = participant_for(world.assessment, world.users["member"])
    save_rating(part, KP, "1.1", "red", "<script>alert(1)</script>", None, None)
    status, page = visit("lead", f"/assessments/{world.assessment.id}/items/{KP}/1.1")
    assert page.find("script", string=lambda s: s and "alert" in s) is None
    assert "<script>alert(1)</script>" in text(page.find(id="evidence"))


def test_a_stale_agreed_rating_is_refused_showing_the_newer_one_and_keeping_the_typing(
    world, visit
):
    a = world.assessment
    url = f"/assessments/{a.id}/items/{KP}/1.1"
    _, page = visit("lead", url)
    assert page.find("input", attrs={"name": "version"})["value"] == "1"
    # Someone else saves first, on version 1.
    visit(
        "lead",
        url + "/agreed-rating",
        "POST",
        data={"value": "green", "rationale": "Protocol now signed", "version": "1"},
    )
    status, page = visit(
        "lead",
        url + "/agreed-rating",
        "POST",
        data={"value": "red", "rationale": "My typed reason", "version": "1"},
    )
    assert status == 409
    assert page.title.string.startswith("Error:")
    stale = text(page.find(id="stale-agreed"))
    assert "Green" in stale and "Protocol now signed" in stale
    assert page.find("textarea", id="rationale").string.strip() == "My typed reason"
    assert page.find("input", attrs={"name": "value", "value": "red"}).has_attr("checked")
    assert page.find("input", attrs={"name": "version"})["value"] == "2"
    stored = db.session.execute(db.select(AgreedRating)).scalar()
    assert (stored.value, stored.rationale) == ("green", "Protocol now signed")
    # History, newest first, for the lead.
    history = page.find(id="history-list").find_all("li", recursive=False)
    assert "agreed rating changed" in text(history[0])
    assert "Protocol now signed" in text(history[0])


def test_actions_are_added_with_a_due_date_and_edited_with_a_version_check(world, visit):
    a = world.assessment
    url = f"/assessments/{a.id}/items/{KP}/1.1/actions"
    status, page = visit(
        "lead",
        url,
        "POST",
        data={
            "description": "Bad date",
            "owner": "Police",
            "status": "not_started",
            "due_on": ["31", "2", "2026"],
        },
    )
    assert status == 200
    assert "Due date must be a real date" in text(page.find(class_="govuk-error-summary"))
    status, _ = visit(
        "lead",
        url,
        "POST",
        data={
            "description": "Agree the protocol",
            "owner": "Probation",
            "status": "in_progress",
            "due_on": ["30", "9", "2026"],
        },
    )
    assert status == 302
    action = db.session.execute(
        db.select(Action).filter_by(description="Agree the protocol")
    ).scalar()
    assert str(action.due_on) == "2026-09-30"
    _, page = visit("lead", f"/assessments/{a.id}/items/{KP}/1.1")
    assert "Agree the protocol" in text(page.find(id="action-list"))
    edit = f"/assessments/{a.id}/actions/{action.id}"
    base = {"description": "Agree the protocol", "owner": "Probation", "due_on": ["", "", ""]}
    assert (
        visit("lead", edit, "POST", data={**base, "status": "completed", "version": "1"})[0] == 302
    )
    status, page = visit("lead", edit, "POST", data={**base, "status": "dropped", "version": "1"})
    assert status == 409
    assert "completed" in text(page.find(id="stale-action"))
    assert db.session.get(Action, action.id).status == "completed"


def test_the_question_page_always_shows_each_persons_latest_answers(world, visit):
    # What anyone sees is their own answer as it is now, however often the page is drawn.
    url = f"/assessments/{world.assessment.id}/rate/{KP}/1"

    def chosen(persona, item_key):
        _, page = visit(persona, url)
        radios = page.find_all("input", attrs={"name": f"{item_key}-value"})
        evidence = page.find("textarea", id=f"{item_key}-evidence").get_text().strip()
        return [r["value"] for r in radios if r.has_attr("checked")], evidence

    assert chosen("member", "item-1-1") == (["red"], "No protocol")
    assert chosen("lead", "item-1-1") == (["amber"], "Board minutes")
    for value, evidence in (("red", "First look"), ("green", "Second <look> & more")):
        data = {"item-1-2-value": value, "item-1-2-evidence": evidence}
        status, _ = visit("member", url, "POST", data=data)
        assert status == 302
        assert chosen("member", "item-1-2") == ([value], evidence)
    assert chosen("lead", "item-1-2") == ([], "")
    assert chosen("lead", "item-1-1") == (["amber"], "Board minutes")


def test_the_question_page_keeps_no_ones_evidence_between_requests(world, visit):
    """Its form components are drawn once and kept (web/fragments.py); each person still sees
    only their own evidence, escaped, in their own boxes, and their own errors."""
    url = f"/assessments/{world.assessment.id}/rate/{KP}/1"
    typed = 'Weekly <b>"case"</b> meetings & reviews'
    status, _ = visit(
        "member", url, "POST", data={"item-1-1-value": "green", "item-1-1-evidence": typed}
    )
    assert status == 302
    _, mine = visit("member", url)
    box = mine.find("textarea", attrs={"name": "item-1-1-evidence"})
    assert box.get_text() == typed  # the markup typed is text, not tags
    assert mine.find("input", attrs={"name": "item-1-1-value", "value": "green"}).has_attr(
        "checked"
    )

    # The lead's page is drawn from the same kept components, with the lead's text and choice.
    _, theirs = visit("lead", url)
    assert typed not in theirs.get_text()
    assert (
        theirs.find("textarea", attrs={"name": "item-1-1-evidence"}).get_text()
        == (EVIDENCE["lead"])
    )
    assert theirs.find("input", attrs={"name": "item-1-1-value", "value": "amber"}).has_attr(
        "checked"
    )
    assert not theirs.find("input", attrs={"name": "item-1-1-value", "value": "green"}).has_attr(
        "checked"
    )
    assert all(typed not in html for html in fragments._kept.values())

    # An error shown to one person is not shown to the next.
    status, refused = visit("member", url, "POST", data={"item-1-1-evidence": "x" * 5001})
    assert status == 200 and refused.find(class_="govuk-error-summary")
    _, again = visit("lead", url)
    assert not again.find(class_="govuk-error-summary")
    assert not again.find(class_="govuk-error-message")
