"""A real SQLite workspace database in tmp for every test of this package."""
from __future__ import annotations

import pytest
from sqlalchemy.orm import sessionmaker

from service.db import make_engine
from service.settings import load_settings
from service.workspace.service import Workspace


@pytest.fixture
def sf(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'workspace.sqlite'}")
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()


@pytest.fixture
def settings(tmp_path) -> dict:
    """Defaults only (no MO_DOCS_* from the environment), everything inside tmp."""
    return load_settings(tmp_path / "instance", {"TESTING": True}, environ={})


@pytest.fixture
def ws(settings):
    workspace = Workspace(settings)
    yield workspace
    workspace.engine.dispose()
