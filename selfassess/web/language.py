"""Which language a page is in, and the means of changing it.

A signed-in person's choice is kept on their account; a guest's (a phone in a workshop, someone
not yet signed in) in a cookie. English is the default. Messages go through Flask-Babel's gettext
catalogues; framework texts (questions, guidance, labels) through the framework library's own
translations, by the ``local`` filter.

With ``PSEUDO_LOCALE`` set (tests only), every message and framework text is wrapped in
``⟦…⟧``: a page walked that way shows at a glance any string that never passed through either.
"""

from __future__ import annotations

from flask import Flask, g, request
from flask_login import current_user

# The rendering side lives below the web layer, for documents and emails; pages use it from here.
from selfassess.documents.language import (  # noqa: F401 - re-exported for views and templates
    LANGUAGES,
    PseudoDomain,
    current_language,
    date_and_time,
    local,
    long_date,
    number,
    pseudo,
    said,
    translations,
    use_language,
)
from selfassess.domain.framework_texts import ENDONYMS, SOURCE_LANGUAGE
from selfassess.extensions import babel

COOKIE = "language"
COOKIE_DAYS = 365


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

    # As Flask-Babel's own, but the catalogue is found once per request, not once per message.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.filters["local"] = local
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["date_and_time"] = date_and_time
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["said"] = said
    app.jinja_env.globals.update(current_language=current_language, language_links=language_links)
