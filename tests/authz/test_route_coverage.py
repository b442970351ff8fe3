"""Every route of the app must appear in some authorization table under tests/authz/."""

from __future__ import annotations

import importlib
from pathlib import Path

from werkzeug.exceptions import MethodNotAllowed, NotFound

from tests.authz.harness import PERSONAS, Route

EXEMPT_ENDPOINTS = {"static", "main.static", "govuk_assets", "main.healthcheck"}
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def all_routes() -> list[Route]:
    routes = []
    for path in sorted(Path(__file__).parent.glob("test_*_routes.py")):
        module = importlib.import_module(f"tests.authz.{path.stem}")
        routes.extend(module.ROUTES)
    return routes


def test_every_route_of_the_app_is_in_an_authorization_table(app, world):
    adapter = app.url_map.bind("localhost")
    covered = set()
    unmatched = []
    for route in all_routes():
        for state in route.states:
            table = route.expected_in(state)
            assert set(table) == set(PERSONAS), f"{route} ({state}): a status for every persona"
        url = route.url.format_map(_Placeholder(world.ids))
        try:
            endpoint, _ = adapter.match(url.split("?")[0], method=route.method)
        except (NotFound, MethodNotAllowed):
            unmatched.append(str(route))
            continue
        covered.add((endpoint, route.method))
    missing = sorted(
        f"{method} {rule.rule} ({rule.endpoint})"
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in EXEMPT_ENDPOINTS
        for method in sorted((rule.methods or set()) - IGNORED_METHODS)
        if (rule.endpoint, method) not in covered
    )
    assert not unmatched, "Table entries matching no route:\n" + "\n".join(unmatched)
    assert not missing, "Routes missing from tests/authz tables:\n" + "\n".join(missing)


class _Placeholder(dict):
    """Fills known ids; any other placeholder (from a route's setup) becomes 1."""

    def __missing__(self, key):
        return 1
