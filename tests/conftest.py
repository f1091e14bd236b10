import datetime as dt
import os

import pytest

from tests.factories import association

# Shared fixtures that live in their own modules (e.g. `make_instance`: real worker processes).
pytest_plugins = ["tests.support.service_instance", "tests.support.workspace_rows", "tests.support.documents",
                  "tests.support.webdav_server", "tests.support.formats"]


# Switches of the test run itself, not settings of the service: `make images` sets this
# one so the browser test replaces the README's screenshots.
TEST_RUN_SWITCHES = {"MO_DOCS_UPDATE_SCREENSHOTS"}


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    """Settings and reader limits come from MO_DOCS_* variables: none of the machine's
    leak into a test (a test sets its own with monkeypatch)."""
    for name in list(os.environ):
        if name.startswith("MO_DOCS_") and name not in TEST_RUN_SWITCHES:
            monkeypatch.delenv(name)


@pytest.fixture
def book():
    """A compliant association (zdvinsky-mmo, 2024-2025) to change in a test."""
    return association("zdvinsky-mmo")


@pytest.fixture
def year_end() -> dt.date:
    return dt.date(2025, 9, 1)


# ---------------------------------------------------------------- real system parts
# Tests marked `system` need a program from the system (LibreOffice, chromium).  Where
# it is missing they skip with the reason; under CI=true such a skip is a failure,
# because CI must prove the real part works.

def pytest_configure(config):
    config.addinivalue_line("markers", "system(name): needs a system program; a skip fails under CI=true")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail") and item.get_closest_marker("system") \
            and os.environ.get("CI", "").lower() == "true":
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which must run it: {report.longrepr}"
