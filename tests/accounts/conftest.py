"""A real SQLite workspace database for the accounts' own tests."""
from __future__ import annotations

import pytest
from sqlalchemy.orm import sessionmaker

from service.db import make_engine


@pytest.fixture
def sf(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'accounts.sqlite'}")
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()
