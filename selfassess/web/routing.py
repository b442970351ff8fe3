"""Ids in addresses and requests are held to what the database can store.

Every table's id is a 32-bit integer on PostgreSQL, and a number past it (2^31 there, 2^63 on
SQLite) makes the database refuse the query, so the request would end in a server error. The
app's ``int`` URL converter refuses such numbers, so routing answers 404 as for any id that does
not exist; ``database_id`` does the same for ids sent in a form or a query string.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

DATABASE_ID_MAX = 2**31 - 1  # PostgreSQL's integer, the smallest id column the service uses


def digits_up_to(limit: int) -> str:
    """A regular expression matching the whole numbers 0 to ``limit`` written in digits."""
    text = str(limit)
    width = len(text)
    parts = [f"[0-9]{{1,{width - 1}}}"] if width > 1 else []
    for position, digit in enumerate(map(int, text)):
        lowest = 1 if position == 0 and width > 1 else 0
        if digit > lowest:
            rest = width - position - 1
            parts.append(f"{text[:position]}[{lowest}-{digit - 1}][0-9]{{{rest}}}")
    parts.append(text)
    return "(?:" + "|".join(parts) + ")"


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` as the database can hold it: 0 to DATABASE_ID_MAX, or no match (404).

    The limit is in the converter's pattern, not only in its check: a rule whose pattern
    matches but whose check fails lets a rule for another method answer 405 instead."""

    regex = digits_up_to(DATABASE_ID_MAX)

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", DATABASE_ID_MAX)
        super().__init__(url_map, *args, **kwargs)


def database_id(text: str) -> int:
    """An id sent in a form or query string (``request.args.get(..., type=database_id)``):
    ValueError, so None, when it is not one the database could hold."""
    number = int(text)
    if not 0 <= number <= DATABASE_ID_MAX:
        raise ValueError(f"{text} is not an id")
    return number


def init_app(app: Flask) -> None:
    """Before any route is added: rules take their converters when they are added."""
    app.url_map.converters["int"] = DatabaseIdConverter
