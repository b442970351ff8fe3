"""Welsh and English: the catalogue is complete, the toggle works, dates read in the language,
and GOV.UK's own words are translated."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from jinja2 import PackageLoader

from selfassess.web.language import date_and_time, long_date, use_language
from selfassess.web.templating import GOVUK_DEFAULT_WORDS

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "selfassess" / "translations" / "cy" / "LC_MESSAGES" / "messages.po"


def test_every_message_in_the_code_has_its_welsh():
    """What `make messages` would collect from the code and templates today, each translated
    (no empty and no fuzzy entry): the same check as `tools/translations.py missing`."""
    done = subprocess.run(
        [sys.executable, "tools/translations.py", "missing"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-500:]


def test_welsh_messages_keep_their_placeholders_and_plural_forms():
    with CATALOGUE.open("rb") as f:
        catalogue = read_po(f, locale="cy")
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        problems += [f"{message.id!r}: {error}" for error in message.check(catalogue)]
        if message.pluralizable:
            assert len(message.string) == 6, f"{message.id!r} needs Welsh's six plural forms"
    assert not problems, problems[:10]


def test_the_compiled_catalogue_is_built_from_the_po_file():
    """`make` compiles the .mo from the committed .po: it exists and is not older."""
    compiled = CATALOGUE.with_suffix(".mo")
    assert compiled.exists(), "run make translations"
    assert compiled.stat().st_mtime >= CATALOGUE.stat().st_mtime, "run make translations"


@pytest.mark.parametrize("template", sorted(GOVUK_DEFAULT_WORDS))
def test_govuk_default_words_are_still_where_the_loader_translates_them(template):
    """An upgrade of the GOV.UK macros that rewords one of these would leave it in English."""
    source = PackageLoader("govuk_frontend_jinja").get_source(None, template)[0]
    for english, _translated in GOVUK_DEFAULT_WORDS[template]:
        assert english in source, (template, english)


def test_language_toggle_on_the_start_page(get_page):
    page = get_page("/")
    assert page.html["lang"] == "en"
    toggle = page.select_one(".app-language-toggle")
    current = toggle.select_one("[aria-current]")
    assert current.get_text(strip=True) == "English"
    link = toggle.select_one("a[hreflang=cy]")
    assert link.get_text(" ", strip=True).endswith("Cymraeg")
    assert link["href"] == "/language/cy?next=/"


def test_choosing_welsh_turns_the_pages_welsh_and_back(client, get_page):
    response = client.get("/language/cy?next=/sign-in")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    cookie = response.headers["Set-Cookie"]
    assert "language=cy" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = get_page("/sign-in")
    assert page.html["lang"] == "cy"
    assert page.select_one(".govuk-skip-link").get_text(strip=True) == "Neidio i’r prif gynnwys"
    assert "Hawlfraint y Goron" in page.select_one(".govuk-footer").get_text()
    client.get("/language/en?next=/sign-in")
    assert get_page("/sign-in").html["lang"] == "en"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:x"]
)
def test_the_toggle_never_sends_anyone_off_the_service(client, target):
    response = client.get("/language/cy", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_an_unknown_language_is_not_found(client):
    assert client.get("/language/fr?next=/").status_code == 404
    assert "language=" not in client.get("/language/fr").headers.get("Set-Cookie", "")


def test_dates_read_in_the_pages_language(app):
    with app.test_request_context():
        assert long_date(date(2026, 12, 7)) == "7 December 2026"
        assert date_and_time(datetime(2026, 3, 1, 9, 5)) == "1 March 2026, 09:05"
        with use_language("cy"):
            assert long_date(date(2026, 12, 7)) == "7 Rhagfyr 2026"
            assert long_date("2026-03-01") == "1 Mawrth 2026"
