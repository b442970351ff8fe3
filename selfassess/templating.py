"""Jinja set-up: GOV.UK macro packages by prefix, loud undefined variables, shared filters."""

from __future__ import annotations

import sys
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


LENIENT_TEMPLATE_PREFIXES = ("govuk_frontend_jinja/", "govuk_frontend_wtf/")


class LoudUndefined(Undefined):
    """Fail on a missing variable in our templates; stay lenient inside the GOV.UK macros.

    The GOV.UK macros test names and `params.foo` keys that are often absent, and rely on them
    being falsy. In our own templates a missing name is a mistake, so it raises. Which template
    is asking is read off the stack: only done when an undefined value is actually used, and
    only in development and tests.
    """

    __slots__ = ()

    def _should_fail(self) -> bool:
        if self._undefined_obj is not missing or self._undefined_hint is not None:
            return False  # a missing key of a dict, a macro's `caller`: deliberately optional
        frame = sys._getframe(2)
        while frame is not None:
            g = frame.f_globals
            if "environment" in g and "debug_info" in g and isinstance(g.get("name"), str):
                return not g["name"].startswith(LENIENT_TEMPLATE_PREFIXES)
            frame = frame.f_back
        return True

    def __str__(self) -> str:
        if self._should_fail():
            self._fail_with_undefined_error()
        return ""

    def __iter__(self):
        if self._should_fail():
            self._fail_with_undefined_error()
        return iter(())

    def __bool__(self) -> bool:
        if self._should_fail():
            self._fail_with_undefined_error()
        return False

    def __len__(self) -> int:
        if self._should_fail():
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
