"""Sentences the domain makes for people (an import's row problems, a survey rule broken) that a
page shows in its reader's language.

The domain imports nothing from the web, so it cannot translate. A :class:`Phrase` is the
English sentence (it *is* a ``str``: logs, the command line and the API read it as before) that
also keeps its template, marked with ``N_`` for the catalogue, and its values; the page
translates the template and fills it in (``selfassess.web.phrases.translated``). A value that is
itself a framework text (an option's label) is a :class:`FrameworkText`, shown through the
framework's own translations; a value that is a Phrase is translated in turn.
"""

from __future__ import annotations

from typing import Any


class FrameworkText(str):
    """A text from a framework's YAML (an option's label): translated by the framework library,
    not the message catalogue."""

    __slots__ = ()


class Phrase(str):
    """An English sentence from a marked template and its values."""

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, **values: Any) -> Phrase:
        made = super().__new__(cls, template % values if values else template)
        made.template = template
        made.values = values
        return made

    def __reduce__(self):  # pickled (cached) as the plain English sentence
        return (str, (str(self),))
