"""A PDF that takes more than a moment: a "Preparing your PDF" page that reloads itself (no
JavaScript needed) until the document is ready; only the person who asked can fetch it."""

from __future__ import annotations

import re
import time

from tests.report_world import build, sign_in


def test_a_slow_pdf_gets_a_page_that_continues_by_itself(app, client):
    app.config["PDF_WAIT_SECONDS"] = 0  # every layout counts as slow
    world = build()
    sign_in(client, world.lead)
    url = f"/assessments/{world.assessment.id}/report.pdf"
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">Preparing your PDF</h1>' in html
    refresh = re.search(r'<meta http-equiv="refresh" content="2;url=([^"]+)">', html)
    assert refresh, "the page must continue by itself, without JavaScript"
    next_url = refresh.group(1).replace("&amp;", "&")
    assert next_url.startswith(url + "?job=")
    assert response.headers["Cache-Control"].startswith("private, no-store")

    # Someone else with the same link never gets this person's document or job: the token is
    # refused for them, and they are served their own.
    sign_in(client, world.member)
    other = client.get(next_url)
    assert other.status_code == 200
    theirs = None
    if other.mimetype == "text/html":
        theirs = re.search(r"job=([\w-]+)", other.get_data(as_text=True)).group(1)
        assert theirs != next_url.rsplit("=", 1)[1]

    # The person who asked follows the page until the PDF arrives.
    sign_in(client, world.lead)
    deadline = time.monotonic() + 120
    while True:
        response = client.get(next_url)
        if response.mimetype == "application/pdf":
            break
        assert time.monotonic() < deadline, "the PDF never arrived"
        time.sleep(0.5)
    assert response.data.startswith(b"%PDF")
    # Now laid out, the same document is served at once.
    assert client.get(url).mimetype == "application/pdf"
    if theirs:  # the other reader's own document, left to finish before the database goes
        sign_in(client, world.member)
        while client.get(f"{url}?job={theirs}").mimetype != "application/pdf":
            assert time.monotonic() < deadline
            time.sleep(0.5)
