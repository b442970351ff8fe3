"""Jinja set-up: GOV.UK macro packages by prefix, loud undefined variables, shared filters."""

from __future__ import annotations

import sys
import threading
from collections import ChainMap, OrderedDict
from typing import Any

from flask import Flask
from flask.templating import Environment as FlaskEnvironment
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader, Undefined
from jinja2.filters import do_indent
from jinja2.utils import missing
from markupsafe import Markup

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


class TemplateGlobals(ChainMap):
    """A template's globals, as Jinja builds them, with a `keys()` that is a plain dict view.

    Every `{% from ... import %}` runs `context.globals_keys - template.globals.keys()`, and the
    GOV.UK macros import inside their bodies: about 400 imports on a question page. Against a
    ChainMap's KeysView that difference is a Python-level lookup per global (a third of the
    page's time); against a dict view it is done in C. Same keys, so the same result.
    """

    def keys(self):
        return dict.fromkeys(self).keys()


_DICT_ATTRIBUTES = frozenset(dir(dict))


class Environment(FlaskEnvironment):
    """Flask's Jinja environment, with two cheaper paths the GOV.UK macros use thousands of
    times a page; what they return is unchanged."""

    def make_globals(self, d):
        return TemplateGlobals(d if d is not None else {}, self.globals)

    def getattr(self, obj: Any, attribute: str) -> Any:
        # `params.hint` on a plain dict: Jinja tries the attribute first, failing with an
        # AttributeError, then the key. A dict has no attributes beyond its methods, so when
        # the name is not one of them the key is the answer; go there directly.
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


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


class MacroOutputs:
    """Each GOV.UK macro's output, kept per macro and exact parameters (most recently used).

    A question page calls the same macros with the same parameters on every view: the same
    question, the same chosen rating. A macro imported without context sees only its
    parameters and the environment globals (the GOV.UK macros use none that change), so equal
    parameters give equal HTML. Parameters
    are compared with their types (Markup is not str, True is not 1), in order; anything else
    (an undefined value, an object) is rendered without keeping it.
    """

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._kept: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, macro, params: dict) -> Markup:
        try:
            key = (macro, _frozen(params))
        except TypeError:
            return macro(params)
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                return kept
        rendered = macro(params)
        with self._lock:
            self._kept[key] = rendered
            if len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return rendered


_PLAIN_TYPES = (str, Markup, int, float, bool, type(None))


def _frozen(value: Any) -> tuple:
    kind = type(value)
    if kind is dict:
        return (dict, tuple((k, _frozen(v)) for k, v in value.items()))
    if kind is list or kind is tuple:
        return (list, tuple(_frozen(v) for v in value))
    if kind in _PLAIN_TYPES:
        return (kind, value)
    raise TypeError(f"not kept: {kind.__name__}")


RAG_TAG_COLOURS = {"red": "red", "amber": "yellow", "green": "green"}


def rag_tag_class(value: str | None) -> str:
    """GOV.UK tag colour class for a rating; the word is always printed beside it."""
    colour = RAG_TAG_COLOURS.get(value or "", "grey")
    return f"govuk-tag govuk-tag--{colour}"


def init_app(app: Flask, template_folder: str) -> None:
    # create_app sets app.jinja_environment before any extension builds the environment
    if not isinstance(app.jinja_env, Environment):
        raise RuntimeError("app.jinja_env was built before app.jinja_environment was set")
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
    app.jinja_env.filters["indent"] = indent
    app.jinja_env.globals["macro_output"] = MacroOutputs()
    app.jinja_env.filters["agency_name"] = agency_name
    app.jinja_env.filters["region_name"] = region_name
    app.jinja_env.filters["rag_tag_class"] = rag_tag_class
