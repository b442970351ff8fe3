"""Which language a page is in, and the means of changing it.

A signed-in person's choice is kept on their account; a guest's (a phone in a workshop, someone
not yet signed in) in a cookie. English is the default. Messages go through Flask-Babel's gettext
catalogues; framework texts (questions, guidance, labels) through the framework library's own
translations, by the ``local`` filter.

With ``PSEUDO_LOCALE`` set (tests only), every message and framework text is wrapped in
``⟦…⟧``: a page walked that way shows at a glance any string that never passed through either.
"""

from __future__ import annotations

from datetime import date, datetime

from babel.support import NullTranslations
from flask import Flask, current_app, g, has_app_context, request
from flask_babel import (
    Domain,
    force_locale,
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
)
from flask_login import current_user
from markupsafe import Markup

from selfassess.domain.framework_texts import ENDONYMS, SOURCE_LANGUAGE
from selfassess.extensions import babel, frameworks

LANGUAGES = tuple(ENDONYMS)  # en, cy
COOKIE = "language"
COOKIE_DAYS = 365
PSEUDO_OPEN, PSEUDO_CLOSE = "⟦", "⟧"


def chosen_language() -> str:
    """The language of this request: ?language= on the change link aside, the account's
    choice, then the guest's cookie, then English."""
    forced = g.get("selfassess_language")
    if forced:
        return forced
    user = current_user if _has_user() else None
    if user is not None and user.is_authenticated and getattr(user, "language", None):
        return user.language if user.language in LANGUAGES else SOURCE_LANGUAGE
    cookie = request.cookies.get(COOKIE) if request else None
    return cookie if cookie in LANGUAGES else SOURCE_LANGUAGE


def _has_user() -> bool:
    try:
        return bool(request) and current_user is not None
    except RuntimeError:
        return False


class _MarkedLanguage(str):
    """The pseudo-locale's language: equal to ``en`` or ``cy``, and asking the framework library
    to mark each text it gives (see FrameworkTexts.in_language)."""

    __slots__ = ()
    marks_texts = True


def current_language() -> str:
    """The language being rendered: ``en`` or ``cy``."""
    locale = get_locale()
    language = locale.language if locale is not None else SOURCE_LANGUAGE
    if has_app_context() and current_app.config.get("PSEUDO_LOCALE"):
        return _MarkedLanguage(language)
    return language


def use_language(language: str):
    """Render in ``language`` for a block (documents, emails, a second half in Welsh)."""
    return force_locale(language if language in LANGUAGES else SOURCE_LANGUAGE)


def pseudo(text: str) -> str:
    return f"{PSEUDO_OPEN}{text}{PSEUDO_CLOSE}"


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
    """A framework text in the page's language (English where no translation is held)."""
    if text is None:
        return text
    translated = frameworks().in_language(str(text), current_language())
    return Markup.escape(translated) if isinstance(text, Markup) else translated


def language_links() -> list[dict]:
    """The "English | Cymraeg" links: each language named in itself, the current one marked."""
    here = current_language()
    path = request.full_path if request.query_string else request.path
    from flask import url_for

    return [
        {
            "code": code,
            "name": ENDONYMS[code],
            "current": code == here,
            "href": url_for("main.choose_language", language=code, next=path),
        }
        for code in LANGUAGES
    ]


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
    return format_date(value, "d MMMM y")


def date_and_time(value):
    """ "7 December 2026, 13:05" (24-hour clock, as Welsh and English both read it plainly)."""
    if value is None:
        return value
    return format_datetime(value, "d MMMM y, HH:mm")


def number(value):
    """A count or figure in the page's locale."""
    return value if value is None else format_decimal(value)


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", SOURCE_LANGUAGE)
    app.config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES", str(app.root_path.rstrip("/") + "/translations")
    )
    babel.init_app(app, locale_selector=chosen_language)
    pseudo_domain = PseudoDomain() if app.config.get("PSEUDO_LOCALE") else None

    if pseudo_domain is not None:

        @app.before_request
        def _pseudo_messages():
            from flask_babel import _get_current_context

            _get_current_context().babel_domain = pseudo_domain

    app.jinja_env.filters["local"] = local
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["date_and_time"] = date_and_time
    app.jinja_env.filters["number"] = number
    app.jinja_env.globals.update(current_language=current_language, language_links=language_links)
