"""The framework browser, read through the test client as a user would see it."""

from selfassess.extensions import frameworks


def test_start_page_introduces_the_service(get_page):
    page = get_page("/")
    assert page.h1.get_text(strip=True) == "Assess your Integrated Offender Management arrangements"
    assert page.select_one(".govuk-phase-banner")
    assert page.select_one("a.govuk-skip-link")["href"] == "#main-content"
    assert "IOM self-assessment" in page.select_one(".govuk-service-navigation").get_text()
    assert page.select_one("footer .govuk-footer")
    assert page.select_one("header .govuk-header")


def test_index_lists_every_framework_with_counts(get_page):
    rows = get_page("/frameworks/").select("tbody tr")
    found = {
        r.select("td")[0].get_text(strip=True): r.select("td")[4].get_text(strip=True) for r in rows
    }
    assert found["Integrated Offender Management: Key Principles"] == "32"
    assert len(found) == 6


def test_key_principles_page_shows_all_32_questions_with_hallmarks(get_page):
    page = get_page("/frameworks/iom-key-principles")
    items = page.select("li.app-item")
    assert len(items) == 32
    q55 = page.select_one("#item-5\\.5")
    assert (
        "Are there exit strategies in place for those offenders whose risk of re-offending"
        in q55.get_text()
    )
    assert "Hallmarks" in q55.select_one(".app-item-tags").get_text()
    headings = [h.get_text(" ", strip=True) for h in page.select("h2.govuk-heading-l")]
    assert headings[0] == "Principle 1 : All partners tackling offenders together" or headings[
        0
    ].startswith("Principle 1")
    scale = page.select(".govuk-summary-list .app-rag")
    assert [s.get_text(strip=True) for s in scale] == [
        "Red",
        "Amber",
        "Green",
        "Don't know",
        "Not applicable",
    ]


def test_hallmarks_page_lists_six_hallmarks_and_the_questions_that_evidence_them(app, get_page):
    page = get_page("/frameworks/hallmarks")
    assert len(page.select("li.app-item")) == 6
    leadership = page.select_one("#item-leadership")
    tagged = [
        q
        for q in frameworks().get("iom-key-principles").items
        if "leadership" in q.tags["hallmarks"]
    ]
    assert f"Evidenced by {len(tagged) + _others(app, 'leadership')} " in leadership.get_text()


def _others(app, hallmark):
    return sum(
        1
        for fw in frameworks()
        if fw.id != "iom-key-principles"
        for q in fw.items
        if hallmark in q.tags.get("hallmarks", ())
    )


def test_ppo_and_dip_pages_show_criteria_marked_derived(get_page):
    for framework_id, first_section in (
        ("ppo-traffic-light", "People and relationships"),
        ("dip", "Identification"),
    ):
        page = get_page(f"/frameworks/{framework_id}")
        assert first_section in page.select("h2.govuk-heading-l")[0].get_text()
        assert page.select("li.app-item .govuk-tag--grey")  # "Derived"
        assert "written for this service" in page.select_one(".govuk-inset-text").get_text()


def test_survey_pages_show_options_units_and_conditions(get_page):
    for survey in ("national-survey-2011", "national-survey-2013"):
        page = get_page(f"/frameworks/{survey}")
        text = page.get_text(" ")
        assert "asked only if the answer to" in text
        assert "Choose all that apply" in text
        assert page.select("li.app-item ul.govuk-list--bullet li")
    assert "one answer per arrangement" in get_page("/frameworks/national-survey-2013").get_text(
        " "
    )


def test_unknown_framework_is_a_404_page(get_page):
    page = get_page("/frameworks/no-such-thing", status=404)
    assert page.h1.get_text(strip=True) == "Page not found"


def test_assets_are_served_from_the_built_static_folder(client):
    assert client.get("/static/govuk-frontend.min.css").status_code == 200
    assert client.get("/app-assets/app.js").status_code == 200
