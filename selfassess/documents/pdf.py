"""PDF documents with WeasyPrint: the report and the landscape action plan.

Their layouts and the print stylesheet live in ``exports/`` (laid out for paper, apart from the
web pages). They are rendered by a Jinja environment of their own, with autoescaping on and
strict undefined variables, so the app's page loader is untouched and free text stays inert.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Hashable
from datetime import date
from functools import lru_cache

from flask_babel import get_translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from selfassess.config import PROJECT_ROOT
from selfassess.documents.shared_cache import Kept
from selfassess.domain.rating_words import sentence_start
from selfassess.domain.reference import agency_name, region_name
from selfassess.queries.reports import ACTION_STATUS_LABELS
from selfassess.web.language import current_language, local

EXPORTS_DIR = PROJECT_ROOT / "exports"
PDF_VARIANT = "pdf/ua-1"


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(EXPORTS_DIR)),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.do", "jinja2.ext.i18n"],
    )
    # The documents speak the reader's language: the app's catalogue, rendered inside
    # ``use_language`` by whoever builds them (a request, or a job told the language).
    # As the app's own pages do: the catalogue's words only, the template filling them in
    # (Flask-Babel's ngettext would fill in ``num`` itself, before the template's values).
    env.install_gettext_callables(
        lambda text: get_translations().ugettext(text),
        lambda singular, plural, n: get_translations().ungettext(singular, plural, n),
        newstyle=True,
    )
    env.globals["current_language"] = current_language
    env.filters["local"] = local
    env.filters["agency_name"] = agency_name
    env.filters["region_name"] = region_name
    env.filters["sentence_start"] = sentence_start
    env.filters["svg_data_uri"] = svg_data_uri
    env.filters["action_status"] = lambda s: ACTION_STATUS_LABELS.get(s, s)
    env.filters["long_date"] = lambda d: d.strftime("%-d %B %Y") if d else "No date"
    return env


def render_html(template: str, **context) -> str:
    return environment().get_template(template).render(**context)


def render_pdf(template: str, **context) -> bytes:
    from weasyprint import HTML  # imported late: it loads Pango

    html = render_html(template, printed_on=date.today(), **context)
    # PDF/UA: tagged (headings, tables, lists and figures' text alternatives for screen
    # readers), with the title shown and the language declared; bookmarks from the headings.
    return HTML(string=html, base_url=str(EXPORTS_DIR)).write_pdf(pdf_variant=PDF_VARIANT)


PDF_CACHE_SIZE = 8
_pdfs: Kept[bytes] = Kept("pdf", PDF_CACHE_SIZE, bytes, bytes)


def cached_pdf(key: Hashable, make: Callable[[], bytes]) -> bytes:
    """A document made once per key (the assessment's state) and day, kept in a small LRU, or
    in Redis for every app server when one is configured: laying out a long report takes
    seconds."""
    return _pdfs.get_or_make((key, date.today()), make)


def kept_pdf(key: Hashable) -> bytes | None:
    """The document already made today for key, or None."""
    return _pdfs.peek((key, date.today()))


def keep_pdf(key: Hashable, body: bytes) -> None:
    _pdfs.put((key, date.today()), body)
