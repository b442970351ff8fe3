"""What people send is made safe to store before any view reads it.

NUL characters are taken out: no one types one, but one can arrive in pasted text or a hostile
request, and PostgreSQL refuses to store it in text (the request would fail with a server error;
SQLite would keep it). Form fields, query strings and JSON strings are cleaned once, at the start
of each request.

A JSON body that cannot be text is refused with a 400 and a message: a lone surrogate (``"\\ud800"``
is valid JSON, but half of a character, which neither database can store) or nesting so deep that
reading it would exhaust Python's stack.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, jsonify, request
from werkzeug.datastructures import ImmutableMultiDict

NUL = "\x00"
_SURROGATE = re.compile("[\ud800-\udfff]")  # a pair arrives as one character; these are halves


class NotText(ValueError):
    """A JSON string holds a lone surrogate."""


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        if _SURROGATE.search(value):
            raise NotText(value)
        return value.replace(NUL, "")
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    return value


def _clean_multidict(data: ImmutableMultiDict) -> ImmutableMultiDict:
    if not any(NUL in key or any(NUL in v for v in values) for key, values in data.lists()):
        return data
    return ImmutableMultiDict(
        [(_clean(key), _clean(value)) for key, values in data.lists() for value in values]
    )


def _refused(message: str):
    return jsonify(errors={"form": message}), 400


def clean_request_text():
    request.args = _clean_multidict(request.args)
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        request.form = _clean_multidict(request.form)
        if request.is_json:
            try:
                data = request.get_json(silent=True)
                if data is not None:
                    cleaned = _clean(data)
                    request._cached_json = (cleaned, cleaned)
            except RecursionError:
                return _refused("The request is nested too deeply: send one object of answers")
            except NotText:
                return _refused(
                    "The request holds half of a character (a lone surrogate such as \\ud800): "
                    "send text as UTF-8"
                )
    return None


def init_app(app: Flask) -> None:
    app.before_request(clean_request_text)
