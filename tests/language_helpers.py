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
# What is not language: numbers, dates in figures, punctuation, symbols, GOV.UK's brand.
NOT_WORDS = re.compile(r"GOV\.UK|[^A-Za-zÀ-ÿŵŷŴŶ]+")
ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")


def english_left(html: str | bytes, data: Iterable[str] = ()) -> list[str]:
    """The pieces of visible (and screen-reader) text not marked as translated.

    ``data``: what the test put in (names, partnership names, evidence), allowed as it is.
    Text inside an element whose ``lang`` differs from the page's (the toggle's "English", an
    English fragment on a Welsh page) is the other language on purpose, and allowed.
    """
    soup = BeautifulSoup(html, "html.parser")
    page_lang = (soup.html or {}).get("lang", "en") if soup.html else "en"
    for tag in soup(["script", "style", "template", "noscript"]):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(lang=True):
        if tag.decomposed:  # inside another element of another language, gone with it
            continue
        if tag is not soup.html and tag.get("lang") != page_lang:
            tag.decompose()
    # The page's strings one a line, matched as a whole: a message holding a link or other
    # markup (a sentence with a link in it) spans several strings between its two markers.
    lines = [soup.title.get_text()] if soup.title else []
    body = soup.body or soup
    lines += [" ".join(s.split()) for s in body.stripped_strings]
    attributes = []
    for name in ATTRIBUTES:
        attributes += [tag[name] for tag in body.find_all(attrs={name: True})]
    allowed = sorted((d for d in data if d), key=len, reverse=True)
    left = []
    for text in ["\n".join(lines), *attributes]:
        rest, before = text, None
        while rest != before:  # a message holding another message: innermost first
            before, rest = rest, MARKED.sub(" ", rest)
        for known in allowed:
            rest = rest.replace(known, " ")
        left += [piece.strip() for piece in rest.split("\n") if NOT_WORDS.sub("", piece)]
    return left
