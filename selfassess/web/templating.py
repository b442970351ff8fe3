"""Jinja set-up: GOV.UK macro packages by prefix, checked undefined names, shared filters.

Flask's own Jinja environment, configured through Jinja's and Flask's documented settings; the
GOV.UK macros are called as their packages document. Nothing here keeps rendered HTML: a page
holding someone's evidence is drawn for its request and then forgotten.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Flask,
    before_render_template,
    current_app,
    g,
    has_app_context,
    template_rendered,
)
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader, Undefined
from jinja2.filters import do_indent
from jinja2.utils import missing
from markupsafe import Markup

from selfassess.documents.language import translations
from selfassess.domain import palette
from selfassess.domain.i18n import N_
from selfassess.domain.rating_words import sentence_start
from selfassess.domain.reference import AGENCY_NAMES, REGION_NAMES, agency_name, region_name

# Optional variables the GOV.UK page template reads; defined here so the strict mode below
# checks below only ever fire on our own mistakes.
GOVUK_TEMPLATE_DEFAULTS: dict[str, Any] = dict.fromkeys(
    (
        "htmlLang htmlClasses pageTitleLang themeColor assetPath assetUrl opengraphImageUrl "
        "bodyClasses bodyAttributes headerClasses headerAttributes serviceName serviceUrl "
        "containerClasses containerAttributes mainClasses mainLang mainAttributes "
        "footerClasses footerAttributes cspNonce"
    ).split()
)


# Names the GOV.UK macros read before (or without) setting them, relying on an undefined value:
# `undefined` and `null` stand for JavaScript's, the rest are set only in some branches. Only
# these bare names may be undefined quietly. tests/test_app.py checks this list against what
# jinja2.meta finds in the installed GOV.UK packages, so an upgrade that adds one fails a test.
GOVUK_OPTIONAL_NAMES = frozenset(
    (
        "_govukTemplateFooter _govukTemplateHeader dateInputItems effectiveValue errorId "
        "govukAttributes govukFooter govukHeader govukServiceNavigation govukSkipLink hasHint "
        "hintId isChecked itemDescribedBy itemHintId labelHtml listClasses null params role "
        "successBanner title typeClass undefined"
    ).split()
)


# The templates being rendered, innermost last (a GOV.UK form widget renders its own inside a
# page), noted through Flask's render signals, so a production log line names the template.
RENDERING_KEY = "selfassess_templates"


def _rendering(sender: Flask, template, context, **extra) -> None:
    g.setdefault(RENDERING_KEY, []).append(template.name)


def _rendered(sender: Flask, template, context, **extra) -> None:
    if g.get(RENDERING_KEY):
        g.get(RENDERING_KEY).pop()


class CheckedUndefined(Undefined):
    """A name a template uses that nothing defined: the same class in every configuration.

    The GOV.UK macros test `params.foo` keys that are often absent, `caller` when no call
    block was given, and the few names of GOVUK_OPTIONAL_NAMES, relying on them being falsy:
    those stay quietly empty everywhere. Any other bare name that nothing defined is a mistake
    in our templates. With STRICT_TEMPLATES (development and tests) it raises; in production it
    is logged with the page's template and renders empty, so the person still gets their page
    and the mistake is still seen. Nothing here depends on where it is asked from.
    """

    __slots__ = ()

    def _check(self) -> None:
        if (
            self._undefined_obj is not missing
            or self._undefined_hint is not None
            or self._undefined_name in GOVUK_OPTIONAL_NAMES
        ):
            return  # a missing key of a dict, a macro's `caller`: deliberately optional
        if not has_app_context() or current_app.config["STRICT_TEMPLATES"]:
            self._fail_with_undefined_error()
        current_app.logger.warning(
            "Template %s uses %r, which is undefined; rendered empty",
            (g.get(RENDERING_KEY) or [None])[-1] or "(from a string)",
            self._undefined_name,
        )

    def __str__(self) -> str:
        self._check()
        return ""

    def __iter__(self):
        self._check()
        return iter(())

    def __bool__(self) -> bool:
        self._check()
        return False

    def __len__(self) -> int:
        self._check()
        return 0

    __hash__ = Undefined.__hash__


def indent(s: Any, width: int | str = 4, first: bool = False, blank: bool = False) -> Any:
    """Jinja's `indent` filter, done on plain strings.

    The GOV.UK macros indent every nested component, so a question page indents ~200 blocks;
    Jinja's filter makes a Markup object of every line. The output is the same: Jinja neither
    escapes the indentation nor the lines of Markup, so the string work is identical.
    """
    kind = type(s)
    if kind is not str and kind is not Markup:
        return do_indent(s, width, first, blank)
    indention = width if isinstance(width, str) else " " * width
    lines = (str(s) + "\n").splitlines()
    if blank:
        rv = ("\n" + indention).join(lines)
    else:
        rv = lines.pop(0)
        if lines:
            rv += "\n" + "\n".join(indention + line if line else line for line in lines)
    if first:
        rv = indention + rv
    # s was Markup already, and Jinja adds the indentation unescaped too
    return Markup(rv) if kind is Markup else rv  # noqa: S704


def rag_tag_class(value: str | None) -> str:
    """A GOV.UK tag for a rating: red, amber, green and "not rated" take the RAG palette's
    colours (``app-rag--<value>`` in app.css); other answers are grey. The word is always
    printed in it."""
    if value is None or value in palette.BY_ID:
        return "govuk-tag"
    return "govuk-tag govuk-tag--grey"


def local_agency_name(agency_id: str | None) -> str:
    """An agency's name in the page's language; an id no longer on the list is shown as it is
    (it is data, not a word of the service)."""
    name = agency_name(agency_id)
    return translations().ugettext(name) if not agency_id or agency_id in AGENCY_NAMES else name


def local_region_name(region_id: str | None) -> str:
    """A region's name in the page's language (an id no longer on the list as it is)."""
    name = region_name(region_id)
    return translations().ugettext(name) if not region_id or region_id in REGION_NAMES else name


def _said(word: str) -> str:
    """A Jinja call of gettext on ``word``."""
    return f'_("{word}")'


# Words the GOV.UK macros print in English unless a caller passes its own: the loader hands them
# to gettext instead, so every back link, breadcrumb trail, error and warning reads in the page's
# language without each call passing the word. tests/test_languages.py checks that each is still
# found in the installed package, so an upgrade that rewords one fails a test.
GOVUK_DEFAULT_WORDS = {
    "components/back-link/macro.html": [('default("Back"', "default(" + _said(N_("Back")))],
    "components/breadcrumbs/macro.html": [
        ('default("Breadcrumb"', "default(" + _said(N_("Breadcrumb")))
    ],
    "components/error-message/macro.html": [('default("Error"', "default(" + _said(N_("Error")))],
    "components/warning-text/macro.html": [
        ('default("Warning"', "default(" + _said(N_("Warning")))
    ],
    "components/notification-banner/macro.html": [
        ('set title = "Success"', "set title = " + _said(N_("Success"))),
        ('set title = "Important"', "set title = " + _said(N_("Important"))),
    ],
}


class GovukWordsLoader(PackageLoader):
    """The GOV.UK macros, with their default English words passed through gettext."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        for old, new in GOVUK_DEFAULT_WORDS.get(template, ()):
            source = source.replace(old, new)
        return source, filename, uptodate


def init_app(app: Flask, template_folder: str) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(template_folder),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": GovukWordsLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.undefined = CheckedUndefined
    before_render_template.connect(_rendering, app)
    template_rendered.connect(_rendered, app)
    app.jinja_env.globals.update(GOVUK_TEMPLATE_DEFAULTS)
    app.jinja_env.filters["indent"] = indent
    app.jinja_env.filters["agency_name"] = local_agency_name
    app.jinja_env.filters["sentence_start"] = sentence_start
    app.jinja_env.filters["region_name"] = local_region_name
    app.jinja_env.filters["rag_tag_class"] = rag_tag_class
