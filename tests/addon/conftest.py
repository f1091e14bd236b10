"""Fixtures of the add-on's tests: a provider that signs ID tokens as Google does, an app
that accepts them, that app served on 127.0.0.1, and Node to run the add-on's code."""
from __future__ import annotations

import pytest

from tests.addon.harness import Served, addon_settings, google_provider
from tests.addon.test_node import node_binary
from tests.browser.conftest import chromium_path, page  # noqa: F401  (Debian's chromium through Playwright)
from tests.web.conftest import app, make_app, ws  # noqa: F401  (the web tests' fixtures, shared)


@pytest.fixture(scope="module")
def google():
    provider = google_provider()
    yield provider
    provider.stop()


@pytest.fixture
def addon_app(make_app, google):
    return make_app(**addon_settings(google))


@pytest.fixture
def served(addon_app):
    server = Served(addon_app)
    yield server
    server.stop()


@pytest.fixture
def node():
    return node_binary()
