"""Jinja set-up: GOV.UK macro packages by prefix, loud undefined variables, shared filters."""

from __future__ import annotations

from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader, Undefined
from jinja2.utils import missing

from selfassess.domain.reference import agency_name, region_name

# Optional variables the GOV.UK page template reads; defined here so the strict mode below
# only ever fires on our own mistakes.
GOVUK_TEMPLATE_DEFAULTS: dict[str, Any] = dict.fromkeys(
    (
        "htmlLang htmlClasses pageTitleLang themeColor assetPath assetUrl opengraphImageUrl "
        "bodyClasses bodyAttributes headerClasses headerAttributes serviceName serviceUrl "
        "containerClasses containerAttributes mainClasses mainLang mainAttributes "
        "footerClasses footerAttributes cspNonce"
    ).split()
)


class LoudUndefined(Undefined):
    """Fail on a missing template variable, but let macros probe optional keys of a dict.

    The GOV.UK macros test `params.foo` for options not given, which must stay falsy; a bare
    name that is not in the context is always a mistake in our templates, so it raises.
    """

    __slots__ = ()

    def _is_bare_name(self) -> bool:
        # Jinja gives a hint for things it leaves undefined on purpose (a macro's `caller`,
        # a parameter not passed); only a plain missing name is our mistake.
        return self._undefined_obj is missing and self._undefined_hint is None

    def __str__(self) -> str:
        if self._is_bare_name():
            self._fail_with_undefined_error()
        return ""

    def __iter__(self):
        if self._is_bare_name():
            self._fail_with_undefined_error()
        return iter(())

    def __bool__(self) -> bool:
        if self._is_bare_name():
            self._fail_with_undefined_error()
        return False

    def __len__(self) -> int:
        if self._is_bare_name():
            self._fail_with_undefined_error()
        return 0

    __hash__ = Undefined.__hash__


RAG_TAG_COLOURS = {"red": "red", "amber": "yellow", "green": "green"}


def rag_tag_class(value: str | None) -> str:
    """GOV.UK tag colour class for a rating; the word is always printed beside it."""
    colour = RAG_TAG_COLOURS.get(value or "", "grey")
    return f"govuk-tag govuk-tag--{colour}"


def init_app(app: Flask, template_folder: str) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(template_folder),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.add_extension("jinja2.ext.do")
    if app.config["STRICT_TEMPLATES"]:
        app.jinja_env.undefined = LoudUndefined
    app.jinja_env.globals.update(GOVUK_TEMPLATE_DEFAULTS)
    app.jinja_env.filters["agency_name"] = agency_name
    app.jinja_env.filters["region_name"] = region_name
    app.jinja_env.filters["rag_tag_class"] = rag_tag_class
