"""Showing the domain's sentences (:mod:`selfassess.domain.phrases`) in the reader's language."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext

from selfassess.domain.phrases import FrameworkText, Phrase
from selfassess.web.language import local


def translated(text: Any) -> Any:
    """A Phrase in the page's language (its template through the catalogue, its values each
    translated as what they are); a framework text through the framework's translations;
    anything else as it is."""
    if isinstance(text, Phrase):
        values = {name: translated(value) for name, value in text.values.items()}
        return gettext(text.template, **values) if values else gettext(text.template)
    if isinstance(text, FrameworkText):
        return str(local(str(text)))
    return text
