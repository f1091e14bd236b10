import datetime as dt

import pytest

from tests.factories import association


@pytest.fixture
def book():
    """A compliant association (zdvinsky-mmo, 2024-2025) to change in a test."""
    return association("zdvinsky-mmo")


@pytest.fixture
def year_end() -> dt.date:
    return dt.date(2025, 9, 1)
