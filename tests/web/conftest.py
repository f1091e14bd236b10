"""Fixtures for the web service: an app in a temporary instance folder whose jobs run
inline (MemoryHuey, immediate), an app whose jobs wait on a queue nobody consumes, and
the workspace.  Helpers are in helpers.py."""
from __future__ import annotations


import pytest

from service import create_app

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
    return app.test_client()


@pytest.fixture
def ws(app):
    return app.extensions["workspace"]


@pytest.fixture
def queued_app(make_app, tmp_path):
    """Jobs are only put on a SQLite queue: no consumer runs them (a busy or stopped worker)."""
    return make_app(QUEUE_URL=f"sqlite:///{tmp_path / 'queue.sqlite'}")
