"""Fixtures for the browser tests: the real service in subprocesses and Debian's
chromium driven by Playwright (never a browser from `playwright install`)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.browser.live import LiveService, free_port, settings_for

CHROMIUM = Path("/usr/bin/chromium")
# As root on this kind of machine, Chromium needs no sandbox and no GPU, and its
# background connections must be off (the network is closed).  Playwright's `launch()`
# gives every browser a fresh, empty --user-data-dir of its own.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 800}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On failure, the service's own logs go into the report next to the traceback."""
    outcome = yield
    report = outcome.get_result()
    service = getattr(item, "live_service", None)
    if report.failed and service is not None:
        report.sections.append(("mo-docs serve and worker logs", service.log_text()))


@pytest.fixture
def chromium_path() -> Path:
    if not CHROMIUM.is_file() and not shutil.which("chromium"):
        pytest.skip("Debian chromium is not installed (/usr/bin/chromium): run scripts/system-deps.sh as root "
                    "(apt-get install chromium)")
    return CHROMIUM if CHROMIUM.is_file() else Path(shutil.which("chromium"))


@pytest.fixture
def live_service(request, tmp_path) -> LiveService:
    instance = tmp_path / "instance"
    service = LiveService(instance, settings_for(instance, free_port()))
    added = service.create_demo()
    assert added == 3, f"the demo workspace should have 3 associations, got {added}"
    request.node.live_service = service
    service.start()
    yield service
    service.stop()


def sign_in(page, service: LiveService, email: str, password: str | None = None) -> None:
    """Sign in on the sign-in page as a person does (the demo password by default)."""
    page.goto(service.url + "/login")
    page.get_by_label("Адрес электронной почты").fill(email)
    page.get_by_label("Пароль").fill(password or service.demo.password)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(lambda url: "/login" not in url)


@pytest.fixture
def browser_context(chromium_path):
    """new_page(viewport=None, **options) -> a page in a browser context of its own (its own
    cookies: one person); `options` go to Playwright's new_context (e.g. bypass_csp)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS)
        contexts = []

        def new_page(viewport=None, **options):
            context = browser.new_context(viewport=viewport or VIEWPORT, locale="ru-RU", accept_downloads=True,
                                          **options)
            context.set_default_timeout(20_000)
            contexts.append(context)
            return context.new_page()
        try:
            yield new_page
        finally:
            for c in contexts:
                c.close()
            browser.close()


@pytest.fixture
def page(chromium_path, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=VIEWPORT, locale="ru-RU", accept_downloads=True,
                                      device_scale_factor=1)
        context.set_default_timeout(20_000)
        page = context.new_page()
        try:
            yield page
        finally:
            context.close()
            browser.close()
