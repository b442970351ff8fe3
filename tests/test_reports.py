"""The report page: section RAGs with their explanations, strengths, gaps, charts, item detail."""

from __future__ import annotations

from bs4 import BeautifulSoup

from selfassess.extensions import frameworks
from selfassess.queries.ratings import assessment_results
from selfassess.services.agreement import participant_for, save_agreed_rating
from tests.factories import make_partnership, make_user, rate
from tests.report_world import KP, SCRIPT, build, section_url, sign_in


def report_url(world):
    return f"/assessments/{world.assessment.id}/report"


def test_summary_shows_each_sections_rag_and_why(app, client, get_page):
    world = build()
    sign_in(client, world.observer)
    page = get_page(report_url(world))
    results = assessment_results(frameworks(), world.assessment).framework(KP)
    rows = page.select(f"#sections-{KP} tr.app-section")
    assert len(rows) == len(results.sections)
    for row, section in zip(rows, results.sections, strict=True):
        text = row.get_text(" ", strip=True)
        assert (section.rag_label or "Not rated") in text
        assert section.explanation in text
    # Principle 1: red (agreed? no: provisional), green, green (agreed) -> an average of 2.3, amber.
    p1 = rows[0].get_text(" ", strip=True)
    assert "Amber" in p1 and "(provisional)" in p1
    assert "average 2.3, where Red = 1, Amber = 2 and Green = 3; green needs 2.5 or more" in p1
    # The exact rule is one click away.
    rule = page.select_one("details.app-rule").get_text(" ", strip=True)
    assert "How ratings are worked out" in rule and "median" in rule


def test_gaps_come_in_priority_order_with_reasons(app, client, get_page):
    world = build()
    sign_in(client, world.observer)
    page = get_page(report_url(world))
    gaps = [li.get_text(" ", strip=True) for li in page.select("#gap-list > li")]
    assert gaps[0].startswith("1.1") and "Red" in gaps[0]
    assert any(g.startswith("2.1") and "don't know" in g for g in gaps)
    strengths = page.find(id="strengths").find_next("ul").get_text(" ", strip=True)
    assert "1.2" in strengths and "1.3" in strengths and "(agreed)" in strengths


def test_an_agreed_green_settles_a_contest_and_the_contest_stays_on_its_detail(
    app, client, get_page
):
    world = build()
    lead_part = participant_for(world.assessment, world.lead)
    member_part = participant_for(world.assessment, world.member)
    rate(lead_part, "2.2", "red")
    rate(member_part, "2.2", "green")  # red and green both given: contested
    save_agreed_rating(world.assessment, KP, "2.2", "green", "Seen in practice", None, world.lead)
    sign_in(client, world.observer)
    page = get_page(report_url(world))

    strengths = page.find(id="strengths").find_next("ul").get_text(" ", strip=True)
    assert "2.2" in strengths and "the votes were contested" in strengths
    gaps = [li.get_text(" ", strip=True) for li in page.select("#gap-list > li")]
    assert not any(g.startswith("2.2") for g in gaps)
    section = get_page(section_url(world.assessment.id, "2.2"))
    detail = section.find(id=f"item-{KP}-2.2").get_text(" ", strip=True)
    assert "Contested" in detail and "The board agreed green, which settles it." in detail

    sign_in(client, world.lead)
    item_page = get_page(f"/assessments/{world.assessment.id}/items/{KP}/2.2")
    assert "Contested" in item_page.get_text(" ", strip=True)


def test_item_detail_quotes_evidence_by_agency_and_lists_actions(app, client, get_page):
    world = build()
    sign_in(client, world.lead)
    page = get_page(section_url(world.assessment.id, "1.1"))
    item = page.find(id=f"item-{KP}-1.1")
    text = item.get_text(" ", strip=True)
    assert "Police (Mo Member)" in text
    assert "Write a protocol" in text  # measure to improve
    assert "Write the information-sharing protocol" in text and "Overdue" in text
    agreed = page.find(id=f"item-{KP}-1.3").get_text(" ", strip=True)
    assert "Agreed by the board: green." in agreed
    assert "Rationale: Board agreed: <b>in place</b>" in agreed  # shown as text
    assert "(provisional)" in page.find(id=f"item-{KP}-1.1").get_text()


def test_stored_script_is_inert(app, client):
    world = build()
    sign_in(client, world.lead)
    for url in (report_url(world), section_url(world.assessment.id, "1.1")):
        body = client.get(url).get_data(as_text=True)
        assert SCRIPT not in body
        assert "<b>in place</b>" not in body
    assert "&lt;script&gt;alert(" in body  # the evidence holding it, shown as text


def test_charts_are_inline_svg_with_caption_and_table(app, client, get_page):
    world = build()
    sign_in(client, world.observer)
    page = get_page(report_url(world))
    bars = page.find(id=f"chart-bars-{KP}")
    assert bars.find("svg") is not None
    assert "by rating" in bars.figcaption.get_text()
    first = [c.get_text(strip=True) for c in bars.find("tbody").find("tr").find_all(["th", "td"])]
    assert first[:4] == ["Principle 1", "1", "0", "2"]  # 1.3 agreed green
    heat = page.find(id=f"chart-heatmap-{KP}")
    agencies = [r.th.get_text(strip=True) for r in heat.find("tbody").find_all("tr")]
    assert agencies == ["Police", "Local authority"]
    assert page.find(id=f"chart-change-{KP}") is None  # no previous assessment


def test_hallmarks_lens_is_shown(app, client, get_page):
    world = build()
    sign_in(client, world.member)
    page = get_page(report_url(world))
    assert page.find(id="lens-hallmarks") is not None


def test_downloads_linked_and_next_cycle_only_for_the_lead(app, client, get_page):
    world = build()
    sign_in(client, world.member)
    page = get_page(report_url(world))
    links = [a["href"] for a in page.select("#downloads a")]
    aid = world.assessment.id
    for suffix in (
        "report.pdf",
        "action-plan.pdf",
        "export/actions.xlsx",
        "export/actions.csv",
        "export/ratings.xlsx",
        "export/ratings.csv",
        "export/assessment.json",
    ):
        assert f"/assessments/{aid}/{suffix}" in links
    assert page.find("a", string=lambda s: s and "Start the next assessment" in s) is None
    lead_client = app.test_client()
    sign_in(lead_client, world.lead)
    with app.app_context():  # Flask-Login caches the user on `g`: a fresh context per user
        page = BeautifulSoup(lead_client.get(report_url(world)).data, "html.parser")
    assert page.find("a", string=lambda s: s and "Start the next assessment" in s) is not None


def test_outsiders_and_analysts_do_not_see_it(app, client, get_page):
    world = build()
    other = make_partnership()
    for user in (make_user(other, "lead"), make_user(None, is_analyst=True)):
        visitor = app.test_client()
        sign_in(visitor, user)
        with app.app_context():
            assert visitor.get(report_url(world)).status_code == 404


def test_empty_assessment_report(app, client, get_page):
    from tests.factories import make_assessment

    world = build()
    empty = make_assessment(world.partnership)
    sign_in(client, world.observer)
    page = get_page(f"/assessments/{empty.id}/report")
    assert "Nothing is rated green yet." in page.get_text()
    assert "No ratings yet" in str(page.find(id=f"chart-heatmap-{KP}"))


def test_assessment_page_links_to_the_report_and_downloads(app, client, get_page):
    world = build()
    sign_in(client, world.observer)
    page = get_page(f"/assessments/{world.assessment.id}")
    links = [a["href"] for a in page.find(id="report").find_next("ul").find_all("a")]
    aid = world.assessment.id
    assert f"/assessments/{aid}/report" in links
    assert (
        f"/assessments/{aid}/report.pdf" in links and f"/assessments/{aid}/action-plan.pdf" in links
    )
    assert f"/assessments/{aid}/next-cycle" not in links  # observers do not start cycles
