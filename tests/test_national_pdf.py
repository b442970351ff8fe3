"""The national picture as a PDF report: its figures are the national picture's, its regional
breakdowns never show a suppressed figure, and it carries the marking and page numbers.

Returns are imported to the known marginals of tests/national_helpers.py; the collection before
it had returns from r1-r8 only (every one of them with IOM in place), so q1 changes.
"""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from selfassess.extensions import db, frameworks
from selfassess.queries.national import national_picture, regional_pictures
from selfassess.services.collections import create_collection
from tests.factories import make_partnership, make_user
from tests.national_helpers import KP, REGIONS, S, import_rows, known_returns


def sign_in(client, user) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


def flat(text: str) -> str:
    """Text as read: lines joined, and the PDF text's breaks after hyphens and spaces before
    punctuation (from kerning) undone."""
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"(\w)- (\w)", r"\1-\2", text)
    return re.sub(r" ([,.;:?)])", r"\1", text).strip()


def pdf_pages(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages]


@pytest.fixture
def national(app, client):
    partnerships = [make_partnership(region=region) for region in REGIONS]
    late = make_partnership(name="Latecomer Community Safety Partnership", region="london")
    codes = [p.code for p in partnerships]
    before = create_collection(
        "National returns 2012",
        "returns-2012",
        [KP, S],
        date(2012, 4, 1),
        date(2012, 5, 31),
        expected=partnerships,
    )
    import_rows(before, known_returns(codes)[:8])
    collection = create_collection(
        "National returns 2013",
        "returns-2013",
        [KP, S],
        date(2013, 4, 1),
        date(2013, 5, 31),
        expected=[*partnerships, late],
    )
    import_rows(collection, known_returns(codes))
    db.session.commit()
    sign_in(client, make_user(None, is_analyst=True, agency=None))
    return collection


def _chunks(text: str, headings: list[str]) -> dict[str, str]:
    """The text under each heading, up to the next one (headings in document order)."""
    out = {}
    starts = []
    position = 0
    for heading in headings:
        found = text.index(heading, position)
        starts.append(found)
        position = found + len(heading)
    for i, heading in enumerate(headings):
        end = starts[i + 1] if i + 1 < len(headings) else len(text)
        out[heading] = text[starts[i] : end]
    return out


def _option_text(o, with_change: bool) -> str:
    text = f"{o.label} {o.count} {o.percent:.1f}%" if o.percent is not None else o.label
    if with_change and o.change is not None:
        text += f" {o.change:+.1f}"
    return text


def test_the_pdf_figures_are_the_national_picture(app, client, national):
    pages = pdf_pages(client.get("/national/collections/returns-2013/picture.pdf"))
    text = flat(" ".join(pages))
    picture = national_picture(national)
    assert picture.previous_collection == "returns-2012"

    kp = frameworks().get(KP)
    section_headings = [kp.section_heading(sid) for sid in picture.sections[KP]]
    item_headings = [f"{f.item_id}. {f.text}" for f in picture.items.values()]
    body = text[text.index("About the figures", text.index("About the figures") + 1) :]
    chunks = _chunks(body, section_headings + item_headings)

    for sid, s in picture.sections[KP].items():
        chunk = chunks[kp.section_heading(sid)]
        assert f"Answered by {s.n} partnerships; {s.missing} asked did not answer." in chunk
        for o in s.options:
            assert _option_text(o, True) in chunk, (sid, o)
    for f in picture.items.values():
        chunk = chunks[f"{f.item_id}. {f.text}"]
        unit = "arrangements" if f.unit == "arrangement" else "partnerships"
        assert f"Answered by {f.n} {unit}; {f.missing} asked did not answer." in chunk, f.key
        for o in f.options:
            assert _option_text(o, True) in chunk, (f.key, o)
        assert ("could choose more than one answer" in chunk) == f.multi, f.key

    # The figures the tests of the import check, as the PDF prints them.
    assert "Yes 8 80.0% -20.0" in chunks[f"q1. {picture.items['q1'].text}"]
    q6 = chunks[f"q6. {picture.items['q6'].text}"]
    assert "Answered by 10 arrangements; 1 asked did not answer." in q6
    assert "Police 10 100.0%" in q6 and "Housing" in q6
    q2 = chunks[f"q2. {picture.items['q2'].text}"]
    assert "Answered by 1 partnerships; 1 asked did not answer." in q2  # asked_if: 2 asked

    # Every chart (drawn as vector graphics, its caption below) comes with its data table.
    charts = re.findall(r"giving each answer \(n = \d+\)\. Data for the chart Answer", text)
    assert len(charts) == text.count("Data for the chart") == text.count("giving each answer")
    drawable = [f for f in picture.items.values() if f.n] + [
        s for s in picture.sections[KP].values() if s.n
    ]
    assert len(charts) == len(drawable) > 0


def test_regional_breakdowns_never_show_a_suppressed_figure(app, client, national):
    text = flat(" ".join(pdf_pages(client.get("/national/collections/returns-2013/picture.pdf"))))
    regional = regional_pictures(national)
    picture = national_picture(national)
    item_headings = [f"{f.item_id}. {f.text}" for f in picture.items.values()]
    body = text[text.index(item_headings[0], text.index("Contents") + 10) :]
    chunks = _chunks(body, item_headings)
    names = {"north_west": "North West", "london": "London", "wales": "Wales"}
    checked = complements = 0
    for key, f in picture.items.items():
        chunk = chunks[f"{f.item_id}. {f.text}"]
        by_region = chunk[chunk.index("By region") :]
        for region, name in names.items():
            r = regional[region].items[key]
            if not r.n:
                assert f"{name} 0 no answers" in by_region, (key, region)
            elif r.suppressed and r.n < 3:
                assert f"{name} {r.n} Suppressed: fewer than 3 returns" in by_region, (key, region)
                checked += 1
            elif r.suppressed:  # hidden so that a smaller region's cannot be worked out
                assert f"{name} {r.n} Not shown, to protect a smaller group" in by_region
                complements += 1
            else:
                # A heat table: a column per answer, each cell its count and share.
                mine = {o.label: o for o in r.options}
                cells = []
                for o in f.options:
                    got = mine.get(o.label)
                    ok = got is not None and not got.suppressed
                    cells.append(f"{got.count} {got.percent:.0f}%" if ok else "–")
                assert f"{name} {r.n} {' '.join(cells)}" in by_region, (key, region)
    assert checked >= 5  # groups of one or two answers, each shown as "fewer than 3"
    assert complements >= 1  # London's q1 (3 returns) beside Wales's (2)
    assert "the smallest other regions are hidden with it" in text
    # Wales (2 returns) shows no figure in any breakdown: its rows never carry one after n.
    assert not re.search(r"Wales \d+ (?!Suppressed: fewer than 3 returns|no answers)\S", body)

    # The report for Wales alone: every group is under 3, so no percentage at all.
    wales = flat(
        " ".join(
            pdf_pages(client.get("/national/collections/returns-2013/picture.pdf?region=wales"))
        )
    )
    assert "The national picture: Wales" in wales
    assert "fewer than 3 returns" in wales
    assert not re.search(r"\d+\.\d%", wales)
    unsuppressed = national_picture(national, region="wales", threshold=0)
    no = unsuppressed.items["q1"].option("no")
    assert (no.count, no.percent) == (2, 100.0)
    assert "No 2" not in wales and "100.0" not in wales


def test_cover_contents_marking_and_page_numbers(app, client, national):
    response = client.get("/national/collections/returns-2013/picture.pdf")
    assert 'filename="returns-2013-national-picture.pdf"' in response.headers["Content-Disposition"]
    pages = pdf_pages(response)
    cover = flat(pages[0])
    assert "National returns 2013" in cover
    for fw_id in (KP, S):
        fw = frameworks().get(fw_id)
        assert f"{fw.title}, version {fw.version}" in flat(cover)
    assert "Returns received 10 of 11 expected partnerships" in cover
    assert date.today().strftime("%-d %B %Y") in cover
    assert "Compared with National returns 2012" in cover  # its title, not its slug
    for n, page in enumerate(pages, start=1):
        assert page.count("OFFICIAL-SENSITIVE") >= 2, n
        assert f"Page {n} of {len(pages)}" in page
    contents = flat(pages[1])
    for heading in ("Response rate", "Section ratings: ", "Questions: "):
        assert re.search(re.escape(heading) + r".*? \d+", contents), heading
    text = flat(" ".join(pages))
    assert "10 of 11 expected partnerships have made a return (91%)" in text
    assert "London 4 3 75%" in text and "North West 5 5 100%" in text and "Wales 2 2 100%" in text
    assert "Latecomer Community Safety Partnership" in text
    # Outstanding partnerships as a table by region.
    assert re.search(r"Region Number Partnerships London 1 Latecomer Community Safety", text)


def test_marking_is_configurable_and_the_page_links_to_the_pdf(app, client, national, get_page):
    app.config["PROTECTIVE_MARKING"] = "OFFICIAL"
    pages = pdf_pages(client.get("/national/collections/returns-2013/picture.pdf?region=london"))
    assert all("OFFICIAL" in p and "SENSITIVE" not in p for p in pages)
    page = get_page("/national/collections/returns-2013/picture?region=london")
    link = page.select_one("#picture-pdf")
    assert link["href"] == "/national/collections/returns-2013/picture.pdf?region=london"
    page = get_page("/national/collections/returns-2013/picture")
    assert (
        page.select_one("#picture-pdf")["href"] == "/national/collections/returns-2013/picture.pdf"
    )
    assert (
        client.get("/national/collections/returns-2013/picture.pdf?region=atlantis").status_code
        == 404
    )
    assert client.get("/national/collections/nope/picture.pdf").status_code == 404


def test_the_national_pdf_is_tagged_titled_with_bookmarks(app, client, national):
    from tests.test_pdf_structure import check_accessible

    response = client.get("/national/collections/returns-2013/picture.pdf")
    titles = check_accessible(response.data, "The national picture: National returns 2013")
    assert "Response rate" in titles and "Outstanding partnerships (1)" in titles
