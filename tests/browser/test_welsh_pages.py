"""Every page type, as each role, in Welsh: no English left outside the framework texts.

The service runs with its pseudo-locale: every message that went through the catalogue, and
every framework text that went through the library's translations, is wrapped in ⟦…⟧. Each page
the accessibility test visits is opened with the Welsh cookie (and its forms' error states
reached the same way); any visible text, title, label or alternative text left unmarked, other
than what people typed in (names, evidence, partnership names, read from the database), is a
string that never passed through a translation, and the test names it.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import String, Text, select

from selfassess.extensions import db
from tests.browser import a11y_world
from tests.browser.test_accessibility import CASES, PHONE, Case, _workshop
from tests.language_helpers import english_left

pytestmark = pytest.mark.browser

open_as = a11y_world.open_as
IDENTIFIER = re.compile(r"^[a-z0-9_.\-:/+]*$")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    ctx, server, thread, built = a11y_world.build_world(
        tmp_path_factory.mktemp("welsh"), PSEUDO_LOCALE=True
    )
    built.language = "cy"
    yield built
    server.shutdown()
    thread.join(timeout=5)
    db.session.remove()
    db.engine.dispose()
    ctx.pop()


def typed_in() -> list[str]:
    """What people and the test put in: every stored text that is not an identifier."""
    found: set[str] = set()
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text)]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)):
            for value in row:
                if isinstance(value, str) and value.strip() and not IDENTIFIER.match(value):
                    found.add(value.strip())
                    found.update(line.strip() for line in value.splitlines() if line.strip())
    return sorted(found)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_page_has_no_english_left_in_welsh(case: Case, world, open_as):
    if "facilitator" in case.name:
        _workshop(world, revealed=False)
    page = open_as(case.role, **(PHONE if case.phone else {}))
    response = page.goto(world.url + case.path(world))
    assert response.status == case.status, page.url
    if case.prepare:
        case.prepare(page, world)
    assert page.locator("html").get_attribute("lang") == "cy", page.url
    left = english_left(page.content(), data=typed_in())
    assert not left, f"{case.name} ({page.url}) shows words never translated: {left[:15]}"
