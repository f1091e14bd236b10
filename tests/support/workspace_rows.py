"""Fixtures over whatever `sf` (a sessionmaker) the test directory provides: SQLite in
tests/workspace, the real PostgreSQL in tests/realdb."""
from __future__ import annotations

import pytest

from service.workspace.models import Association


@pytest.fixture
def association_id(sf) -> int:
    with sf() as s, s.begin():
        a = Association(slug="mmo", name="ММО математиков", source="/nowhere.xlsx")
        s.add(a)
        s.flush()
        return a.id
