"""PDF documents with WeasyPrint: the report and the landscape action plan.

Their layouts and the print stylesheet live in ``exports/`` (laid out for paper, apart from the
web pages). They are rendered by a Jinja environment of their own, with autoescaping on and
strict undefined variables, so the app's page loader is untouched and free text stays inert.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Callable, Hashable
from datetime import date
from functools import lru_cache

from babel.dates import format_date
from flask_babel import gettext
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from selfassess.config import PROJECT_ROOT
from selfassess.documents import report_words
from selfassess.documents.language import current_language, local, said, translations, use_language
from selfassess.documents.shared_cache import Kept
from selfassess.domain.rating_words import sentence_start
from selfassess.domain.reference import agency_name, region_name
from selfassess.queries.reports import ACTION_STATUS_LABELS

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
        lambda text: translations().ugettext(text),
        lambda singular, plural, n: translations().ungettext(singular, plural, n),
        newstyle=True,
    )
    env.globals["current_language"] = current_language
    env.globals["page_words_css"] = page_words_css
    env.filters["agency_name"] = lambda a: gettext(agency_name(a))
    env.filters["region_name"] = lambda r: gettext(region_name(r))
    env.filters["local"] = local
    env.filters["said"] = said
    env.filters.update(report_words.FILTERS)
    env.filters["sentence_start"] = sentence_start
    env.filters["svg_data_uri"] = svg_data_uri
    env.filters["action_status"] = lambda s: gettext(ACTION_STATUS_LABELS.get(s, s))
    env.filters["long_date"] = long_date
    return env


def long_date(day: date | None) -> str:
    """ "7 December 2026", "7 Rhagfyr 2026": in the language the document is being made in."""
    if not day:
        return gettext("No date")
    return format_date(day, "d MMMM y", locale=current_language())


# The languages a document can be made in: one, or Welsh then English in one PDF.
DOCUMENT_LANGUAGES = {"en": ("en",), "cy": ("cy",), "cy+en": ("cy", "en")}


def languages_of(choice: str) -> tuple[str, ...]:
    return DOCUMENT_LANGUAGES[choice]


def page_words_css() -> str:
    """The "Page N of M" words for the pages of the half being rendered: CSS named strings
    (``page-before``, ``page-of``) the stylesheet's footer puts around the counters."""
    words = gettext("Page %(page)s of %(pages)s")
    before, _, rest = words.partition("%(page)s")
    middle = rest.partition("%(pages)s")[0]

    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    return f"string-set: page-before {quoted(before)}, page-of {quoted(middle)}"


def render_html(template: str, **context) -> str:
    return environment().get_template(template).render(**context)


_BODY = re.compile(r"<body([^>]*)>(.*)</body>", re.DOTALL)
_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
_ANCHORS = re.compile(r'((?:id|href)=")(#?)([^"#/:]+")')


def render_languages(template: str, languages: tuple[str, ...], **context) -> str:
    """The document's HTML in one language, or in several one after the other: each whole
    document in its language, in an element that says so (``lang``), from a new page, with a
    bookmark naming its language, so readers, search and screen readers know which is which."""
    if len(languages) == 1:
        with use_language(languages[0]):
            return render_html(template, **context)
    halves, titles, body_attributes, html = [], [], "", ""
    for n, language in enumerate(languages):
        with use_language(language):
            name = gettext("Welsh") if language == "cy" else gettext("English")
            html = render_html(template, language_mark=name, **context)
        body = _BODY.search(html)
        body_attributes = body_attributes or body.group(1)
        inner = body.group(2)
        if n:  # the second half's anchors and links are its own
            inner = _ANCHORS.sub(
                lambda m, code=language: f"{m.group(1)}{m.group(2)}{code}-{m.group(3)}", inner
            )
        titles.append(_TITLE.search(html).group(1))
        halves.append(
            f'<div class="language-half" lang="{language}" id="language-{language}">{inner}</div>'
        )
    head = html[: html.index("<body")]  # the stylesheet and styles, as each half has them
    head = _TITLE.sub(lambda _: "<title>" + " / ".join(titles) + "</title>", head, count=1)
    head = re.sub(r'<html lang="[^"]*"', f'<html lang="{languages[0]}"', head, count=1)
    return (
        f'{head}<body{body_attributes} data-languages="{" ".join(languages)}">'
        + "".join(halves)
        + "</body>\n</html>\n"
    )


def render_pdf(template: str, languages: tuple[str, ...] | None = None, **context) -> bytes:
    from weasyprint import HTML  # imported late: it loads Pango

    context = {"printed_on": date.today(), **context}
    if languages is None:
        html = render_html(template, **context)
    else:
        html = render_languages(template, languages, **context)
    # PDF/UA: tagged (headings, tables, lists and figures' text alternatives for screen
    # readers), with the title shown and the language declared; bookmarks from the headings.
    document = HTML(string=html, base_url=str(EXPORTS_DIR)).render()
    body = document.write_pdf(pdf_variant=PDF_VARIANT)
    if languages is None or len(languages) == 1:
        return body
    # In two languages, each page's tagged content says which language it is in, so a screen
    # reader speaks the Welsh half in Welsh and the English half in English.
    first_pages: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for language in languages:
            if f"language-{language}" in page.anchors:
                first_pages.setdefault(language, number)
    return tag_languages(body, first_pages)


def tag_languages(body: bytes, first_pages: dict[str, int]) -> bytes:
    """Set ``/Lang`` on each page's structure element: the language of the half the page is
    in (``first_pages``: each language's first page)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(body)))
    starts = sorted((page, language) for language, page in first_pages.items())
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(writer.pages)}

    def language_of(page_number: int) -> str:
        return next((lang for start, lang in reversed(starts) if start <= page_number), "")

    def children(node) -> list:
        kids = node.get("/K")
        if kids is None:
            return []
        kids = kids.get_object()
        kids = kids if isinstance(kids, list) else [kids]
        return [k.get_object() for k in kids if isinstance(k.get_object(), dict)]

    tree = writer.root_object["/StructTreeRoot"].get_object()
    for top in children(tree):
        for element in children(top):
            page = element.get("/Pg")
            language = language_of(pages.get(page.idnum, -1)) if page is not None else ""
            if language:
                element[NameObject("/Lang")] = TextStringObject(language)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


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
