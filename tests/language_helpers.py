"""Finding words a page shows that never went through a translation.

Pages are rendered with ``PSEUDO_LOCALE`` on: every message from the catalogue and every
framework text comes out wrapped in ⟦…⟧. What is left outside the markers, once the data the
test itself put there is taken out, is a string someone forgot to pass through gettext.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bs4 import BeautifulSoup, Comment

MARKED = re.compile(r"⟦[^⟦⟧]*⟧")
# A marked text shortened for a table ("⟦A oes strategaeth…"): its end cut off with the marker.
CUT_SHORT = re.compile(r"⟦[^⟦⟧\n]*(?:…|\.\.\.)$", re.MULTILINE)
# What is not language: numbers, dates in figures, punctuation, symbols, GOV.UK's brand.
NOT_WORDS = re.compile(r"GOV\.UK|[^A-Za-zÀ-ÿŵŷŴŶ]+")
ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")


def english_left(html: str | bytes, data: Iterable[str] = ()) -> list[str]:
    """The pieces of visible (and screen-reader) text not marked as translated.

    ``data``: what the test put in (names, partnership names, evidence), allowed as it is.
    Text inside an element whose ``lang`` differs from the page's (the toggle's "English", an
    English fragment on a Welsh page) is the other language on purpose, and allowed; so is text
    marked ``translate="no"`` (each language named in itself on the toggle).
    """
    soup = BeautifulSoup(html, "html.parser")
    page_lang = (soup.html or {}).get("lang", "en") if soup.html else "en"
    # What the person typed into a form is theirs, in whatever language they wrote it.
    for tag in soup(["script", "style", "template", "noscript", "metadata", "textarea"]):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(translate="no"):  # names as they are in any language
        tag.decompose()
    for tag in soup.find_all(lang=True):
        if tag.decomposed:  # inside another English fragment, gone with it
            continue
        if tag is not soup.html and tag.get("lang") != page_lang:
            tag.decompose()
    # One text for the whole page, so a message holding a link (its markers in two strings)
    # is still seen whole.
    body = soup.body or soup
    parts = [soup.title.get_text()] if soup.title else []
    parts.append(body.get_text("\n"))
    for name in ATTRIBUTES:
        parts += [tag[name] for tag in body.find_all(attrs={name: True})]
    rest, before = "\n".join(parts), None
    while rest != before:  # a message holding another message: innermost first
        before, rest = rest, MARKED.sub(" ", rest)
    rest = CUT_SHORT.sub(" ", rest)
    for known in sorted((d for d in data if len(d) >= 2), key=len, reverse=True):
        rest = re.sub(rf"(?<!\w){re.escape(known)}(?!\w)", " ", rest)
    left = [line.strip() for line in rest.splitlines() if NOT_WORDS.sub("", line)]
    return left
