"""Fixtures for the authorization tables: the shared world of partnerships and personas."""

from __future__ import annotations

import pytest

from tests.authz.harness import build_world, client_as


@pytest.fixture
def world(app):
    return build_world()


@pytest.fixture
def as_persona(app, world):
    """as_persona("member") gives a test client signed in as that persona of the world."""

    def make(persona: str):
        return client_as(app, world, persona)

    return make
