"""The layers of docs/architecture.md, as a newcomer relies on them.

import-linter (``.importlinter``, run by ``make test``) checks who imports whom; these check what
the import graph cannot see: a view that reaches the session through ``db``, and a commit made
anywhere but the services' one commit-or-rollback helper.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "selfassess"


def _modules(*folders: str):
    for folder in folders:
        yield from sorted((PACKAGE / folder).rglob("*.py"))


def _attribute_chains(tree: ast.AST):
    """Every dotted name in the module, e.g. ``db.session.commit``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            parts = []
            inner: ast.AST = node
            while isinstance(inner, ast.Attribute):
                parts.append(inner.attr)
                inner = inner.value
            if isinstance(inner, ast.Name):
                parts.append(inner.id)
                yield node.lineno, ".".join(reversed(parts))


def test_no_view_touches_the_database_session():
    found = []
    for path in _modules("views", "web"):
        tree = ast.parse(path.read_text(), str(path))
        for line, chain in _attribute_chains(tree):
            if chain in ("db.session", "db.select", "db.get_or_404", "db.first_or_404"):
                found.append(f"{path.relative_to(PACKAGE)}:{line}: {chain}")
    assert found == [], "views read through queries and write through services:\n" + "\n".join(
        found
    )


def test_only_the_services_transaction_helper_commits():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts or path == PACKAGE / "services" / "__init__.py":
            continue
        tree = ast.parse(path.read_text(), str(path))
        for line, chain in _attribute_chains(tree):
            if chain.endswith(("session.commit", "session.rollback")):
                found.append(f"{path.relative_to(PACKAGE)}:{line}: {chain}")
    assert found == [], "commit through selfassess.services.transaction():\n" + "\n".join(found)
