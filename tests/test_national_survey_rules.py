"""The survey in the tool keeps the rules an import keeps: "none" is chosen alone, and the number
of arrangements answered for is the one the answers say."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import func, select

from selfassess.extensions import db
from selfassess.models import Return, SurveyAnswer
from tests.factories import make_partnership, make_user
from tests.test_national_pages import S, _open_collection, sign_in


def _lead_answering(client):
    partnership = make_partnership(region="london")
    lead = make_user(partnership, "lead")
    collection = _open_collection([partnership], frameworks=(S,), slug="survey-rules")
    sign_in(client, lead)
    base = f"/national/partnerships/{partnership.id}/collections/{collection.slug}"

    def answer(item, value, arrangement=0, status=302):
        r = client.post(f"{base}/questions/{S}/{item}/{arrangement}", data={"answer": value})
        assert r.status_code == status, r.data
        return r

    return base, answer


def test_none_chosen_with_other_tools_is_refused_on_the_question(client):
    base, answer = _lead_answering(client)
    answer("q1", "yes")
    response = answer("q13", ["iom_key_principles", "none"], status=200)
    page = BeautifulSoup(response.data, "html.parser")
    assert page.title.text.startswith("Error: ")
    assert (
        "“None of these” cannot be chosen with other answers"
        in page.select_one(".govuk-error-message").get_text()
    )
    assert db.session.scalar(select(SurveyAnswer).filter_by(item_id="q13")) is None
    answer("q13", ["none"])


def test_a_count_of_arrangements_the_answers_contradict_is_shown_and_not_submitted(
    client, get_page
):
    base, answer = _lead_answering(client)
    for item, value in [("q1", "yes"), ("q3", "fully"), ("q4", "one")]:
        answer(item, value)
    answer("_arrangements", "2")
    answer("q6", ["police"], 1)
    answer("q6", ["probation"], 2)

    page = get_page(f"{base}/check")
    assert page.title.text.startswith("Error: ")
    links = page.select("#contradictions a")
    assert [a.get_text() for a in links] == [
        "q4 is one (One arrangement covering the whole area), which means 1 IOM arrangement, "
        "but the return answers for 2"
    ]
    assert links[0]["href"].endswith(f"/questions/{S}/q4/0?change=1")
    response = client.post(f"{base}/check", data={})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Return.id))) == 0

    answer("_arrangements", "1")
    assert client.post(f"{base}/check", data={}).status_code == 302
    assert db.session.scalar(select(Return)).arrangements == 1


def test_co_location_is_asked_after_no_shared_premises_too(client):
    base, answer = _lead_answering(client)
    answer("q1", "yes")
    moved_on = answer("q7", "no").headers["Location"]
    assert moved_on.endswith(f"/questions/{S}/q8/0")
    answer("q8", ["none"])
