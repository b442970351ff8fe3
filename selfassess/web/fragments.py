"""Parts of a page that hold no one's text, rendered once and kept.

The question page is mostly GOV.UK form components (a question's radios, its two text boxes),
and calling those macros is most of its cost. What they draw depends only on the framework
version, the question, which rating is chosen, which error (in our own words) is shown and the
language the page is in, so each is drawn once per such key and kept in this process (the
language is added to every key here: a Welsh page never gets an English radio, nor the
reverse). What a person typed is never kept: a text box is kept with ``VALUE`` where its text
goes, and the text, escaped, is put in for each request. Templates use it as a call block,
whose body runs only when the key is new::

    {% call fragment(("radios", framework.id, framework.version, item.id, value, error)) %}
      {{ govukRadios(...) }}
    {% endcall %}
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable

from cachetools import LRUCache
from flask import Flask, current_app
from markupsafe import Markup, escape

from selfassess.web.language import current_language

# Where a text box's value goes: a NUL, which request cleaning refuses in anything typed, so
# it can come from no person and no framework file.
VALUE = "\x00value\x00"
SIZE = 4096  # questions x ratings x error states, across every framework version

_kept: LRUCache[Hashable, str] = LRUCache(maxsize=SIZE)
_lock = threading.Lock()


def _in_language(key: Hashable) -> Hashable:
    """The key with the language the page is drawn in (and the pseudo-locale, tests only)."""
    return (key, current_language(), bool(current_app.config.get("PSEUDO_LOCALE")))


def fragment(key: Hashable, caller: Callable[[], str]) -> Markup:
    """The call block's body for key, rendered the first time and kept."""
    key = _in_language(key)
    with _lock:
        html = _kept.get(key)
    if html is None:
        html = str(caller())
        if VALUE in html:
            raise ValueError("a fragment with a value to fill in needs fragment_with_value")
        with _lock:
            _kept[key] = html
    return Markup(html)  # noqa: S704 - rendered by our own autoescaped templates


def fragment_with_value(key: Hashable, value: str | None, caller: Callable[[], str]) -> Markup:
    """As ``fragment``, for a body that shows ``VALUE`` once where the person's text goes."""
    key = _in_language(key)
    with _lock:
        html = _kept.get(key)
    if html is None:
        html = str(caller())
        if html.count(VALUE) != 1:
            raise ValueError("a fragment with a value shows VALUE exactly once")
        with _lock:
            _kept[key] = html
    return Markup(html.replace(VALUE, str(escape(value or ""))))  # noqa: S704


def clear() -> None:
    with _lock:
        _kept.clear()


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        fragment=fragment, fragment_with_value=fragment_with_value, fragment_value=VALUE
    )
