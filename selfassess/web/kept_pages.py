"""Pages whose content is kept as drawn, per state of everything they show.

A board's report page is read many times between changes, and drawing it (every section's
rating and why, the gaps, the charts with their figures, the change since last cycle) is most of
its cost. Its content holds no one's evidence (that is on each section's own page, drawn every
time), so it is kept like the report's PDF: in this process, or in Redis for every app server
when one is configured, under a key holding the state of the assessment and of the previous
cycle's, whose ratings the reader may see, the day (actions fall overdue), what they may do there
and the language. A change to any of them is a new key, so a reader never sees an old state.
The page around the content (header, navigation, the reader's CSRF token) is drawn per request.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from flask import current_app
from markupsafe import Markup

from selfassess.documents.shared_cache import Kept
from selfassess.web.language import current_language

# A report page's content is a few hundred kilobytes: a few boards' reports per worker.
REPORT_PAGES_KEPT = 16

_report_pages: Kept[str] = Kept(
    "report-page", REPORT_PAGES_KEPT, lambda text: text.encode("utf-8"), bytes.decode
)


def report_content(key: Hashable, draw: Callable[[], str]) -> Markup:
    """The report page's content for key (in the page's language), drawn once and kept."""
    key = (key, current_language(), bool(current_app.config.get("PSEUDO_LOCALE")))
    return Markup(_report_pages.get_or_make(key, lambda: str(draw())))  # noqa: S704 - our template


def clear() -> None:
    """Forget every page kept (a database whose ids start again, as each test's does)."""
    _report_pages.clear()
