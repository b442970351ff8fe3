"""The language a page, document or email is rendered in, and the words that depend on it.

Below the web layer so that documents (PDFs, charts, exports) and services (emails) render in a
language without reaching up into request handling: ``selfassess.web.language`` decides which
language a request gets; everything here works with only an app context (a background job, the
reminders command), where ``use_language`` sets it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from babel.support import NullTranslations
from flask import current_app, g, has_app_context
from flask_babel import (
    Domain,
    force_locale,
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
    get_translations,
    gettext,
)
from markupsafe import Markup

from selfassess.domain import sentences
from selfassess.domain.framework_texts import ENDONYMS, SOURCE_LANGUAGE
from selfassess.domain.phrases import FrameworkText, Phrase
from selfassess.extensions import frameworks

LANGUAGES = tuple(ENDONYMS)  # en, cy
PSEUDO_OPEN, PSEUDO_CLOSE = "⟦", "⟧"


class _MarkedLanguage(str):
    """The pseudo-locale's language: equal to ``en`` or ``cy``, and asking the framework library
    to mark each text it gives (see FrameworkTexts.in_language)."""

    __slots__ = ()
    marks_texts = True


def current_language() -> str:
    """The language being rendered: ``en`` or ``cy``."""
    if not has_app_context():
        locale = get_locale()
        return locale.language if locale is not None else SOURCE_LANGUAGE
    return _in_force()[1]


_KEPT = "selfassess_language_in_force"


def _in_force() -> tuple:
    """(catalogue, language) in force, found once per request and once in each ``use_language``
    block: a report page asks over a thousand times, and Flask-Babel works both out afresh on each
    call (context lookups, the locale, its cache)."""
    kept = g.get(_KEPT)
    if kept is None:
        locale = get_locale()
        language = locale.language if locale is not None else SOURCE_LANGUAGE
        if current_app.config.get("PSEUDO_LOCALE"):
            language = _MarkedLanguage(language)
        kept = (get_translations(), language)
        setattr(g, _KEPT, kept)
    return kept


def translations():
    """The catalogue in force (see ``_in_force``)."""
    if not has_app_context():
        return get_translations()
    return _in_force()[0]


@contextmanager
def use_language(language: str) -> Iterator[None]:
    """Render in ``language`` for a block (documents, emails, a second half in Welsh)."""
    code = language if language in LANGUAGES else SOURCE_LANGUAGE
    if not has_app_context():
        with force_locale(code):
            yield
        return
    before = g.pop(_KEPT, None)
    try:
        with force_locale(code):
            yield
    finally:
        g.pop(_KEPT, None)
        if before is not None:
            setattr(g, _KEPT, before)


def pseudo(text: str) -> str:
    return f"{PSEUDO_OPEN}{text}{PSEUDO_CLOSE}"


def _marked(text: str) -> str:
    """A date written out in the page's language: marked too under the pseudo-locale."""
    if has_app_context() and current_app.config.get("PSEUDO_LOCALE"):
        return pseudo(text)
    return text


class _PseudoTranslations(NullTranslations):
    """Every message marked, so a page shows which of its words went through the catalogue."""

    def ugettext(self, message):
        return pseudo(message)

    gettext = ugettext

    def ungettext(self, singular, plural, n):
        return pseudo(singular if n == 1 else plural)

    ngettext = ungettext

    def upgettext(self, context, message):
        return pseudo(message)

    pgettext = upgettext

    def unpgettext(self, context, singular, plural, n):
        return pseudo(singular if n == 1 else plural)

    npgettext = unpgettext


class PseudoDomain(Domain):
    def get_translations(self):
        return _PseudoTranslations()


def local(text):
    """A framework text in the page's language (English where no translation is held, and
    outside the app, where there is no library to ask)."""
    if text is None or not has_app_context():
        return text
    translated = frameworks().in_language(str(text), current_language())
    return Markup.escape(translated) if isinstance(text, Markup) else translated


def said(text):
    """A sentence the domain wrote, in the page's language: scoring's explanations and reasons
    (a Sentence, said again), an import's or a rule's message (a Phrase: its template through the
    catalogue, its values each said in turn), a framework text; anything else as it is."""
    if isinstance(text, sentences.Sentence):
        return text.said(get_translations(), current_language())
    if isinstance(text, Phrase):
        values = {name: said(value) for name, value in text.values.items()}
        return gettext(text.template, **values) if values else gettext(text.template)
    if isinstance(text, FrameworkText):
        return str(local(str(text)))
    return text


def long_date(value):
    """A date as GOV.UK writes it, in the page's language: "7 December 2026", "7 Rhagfyr 2026"."""
    if value is None or value == "":
        return value
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        return value  # not a date (a number, a word): as it is
    return _marked(format_date(value, "d MMMM y"))


def date_and_time(value):
    """ "7 December 2026, 13:05" (24-hour clock, as Welsh and English both read it plainly)."""
    if value is None:
        return value
    return _marked(format_datetime(value, "d MMMM y, HH:mm"))


def number(value):
    """A count or figure in the page's locale."""
    return value if value is None else format_decimal(value)
