"""NUL characters are taken out of what people send before any view reads it.

No one types a NUL, but one can arrive in pasted text or a hostile request, and PostgreSQL
refuses to store it in text (the request would fail with a server error; SQLite would keep it).
Form fields, query strings and JSON strings are cleaned once, at the start of each request.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from werkzeug.datastructures import ImmutableMultiDict

NUL = "\x00"


def _clean(value: Any) -> Any:
    if isinstance(value, str):
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


def strip_nul_characters() -> None:
    request.args = _clean_multidict(request.args)
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        request.form = _clean_multidict(request.form)
        if request.is_json:
            data = request.get_json(silent=True)
            if data is not None:
                cleaned = _clean(data)
                request._cached_json = (cleaned, cleaned)


def init_app(app: Flask) -> None:
    app.before_request(strip_nul_characters)
