"""Marking words for translation where they are defined, without translating them there.

The domain imports nothing from the web: a label defined here is marked with ``N_`` so that
``make messages`` collects it into the catalogue, and the page that shows it translates it then,
in the reader's language (``_(label)`` in a template, ``gettext(label)`` in Python).
"""

from __future__ import annotations


def N_(text: str) -> str:  # noqa: N802 - gettext's own name for this marker
    return text
