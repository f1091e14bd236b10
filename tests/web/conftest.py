"""Fixtures for the web service: an app in a temporary instance folder whose jobs run
inline (MemoryHuey, immediate), an app whose jobs wait on a queue nobody consumes, and
the workspace.  Helpers are in helpers.py.

Clients: `client` is signed in as an admin (sees and may do everything); `client_as(role,
associations=[...], territories=[...])` makes a client signed in as that role with that
scope; `anonymous` is signed in as nobody."""
from __future__ import annotations


import pytest

from service import create_app
from tests.accounts.factories import signed_in_client

BASE = {"TESTING": True, "QUEUE_URL": "memory://", "SECRET_KEY": "test"}


@pytest.fixture
def make_app(tmp_path):
    """make_app(**settings) -> a new app with its own instance folder."""
    count = [0]

    def make(**overrides):
        count[0] += 1
        instance = tmp_path / f"instance{count[0]}"
        return create_app({"INSTANCE": str(instance), **BASE, **overrides})

    return make


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    """Signed in as an admin: `client.account`, `client.principal`."""
    return signed_in_client(app, "admin", email="admin@test.example", name="Администратор Тестов")


@pytest.fixture
def anonymous(app):
    return app.test_client()


@pytest.fixture
def client_as(app):
    """client_as("head", associations=[a]) -> a client signed in as a new account of that role."""
    def make(role: str, **account):
        return signed_in_client(app, role, **account)

    return make


@pytest.fixture
def ws(app):
    return app.extensions["workspace"]


@pytest.fixture
def queued_app(make_app, tmp_path):
    """Jobs are only put on a SQLite queue: no consumer runs them (a busy or stopped worker)."""
    return make_app(QUEUE_URL=f"sqlite:///{tmp_path / 'queue.sqlite'}")
