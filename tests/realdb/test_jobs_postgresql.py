"""Every job-record test of tests/workspace/test_jobs.py (claims, leases, races,
sweeping, locks), run again on the real PostgreSQL: `sf` here is the PostgreSQL
session factory from tests/realdb/conftest.py."""
import pytest

from tests.workspace.test_jobs import *  # noqa: F401,F403  (the same tests, collected here)

pytestmark = pytest.mark.system("postgresql")
