"""axe-core (the npm package, installed by scripts/npm-deps.sh) injected into every page a
person reaches — signed out, as an admin, a curator and a head, at desktop and phone
width — reports no serious or critical violations.  The pages' own CSP forbids inline
script, so the browser context bypasses it to inject the engine (the pages are not
changed for the test)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.system("chromium"), pytest.mark.system("axe-core"), pytest.mark.slow,
              pytest.mark.timeout(300)]

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
BAD = ("serious", "critical")
RUN = """async () => {
  const r = await axe.run(document, {resultTypes: ["violations"]});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                 nodes: v.nodes.slice(0, 4).map(n => n.target.join(" "))}));
}"""


@pytest.fixture
def axe_source() -> str:
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (tests/browser/axe/node_modules): run scripts/npm-deps.sh "
                    "(`make test` does)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def pages(browser_context):
    """new_page(viewport) -> a page of its own person, in a context that lets axe be injected."""
    return lambda viewport=None: browser_context(viewport, bypass_csp=True)


def _check(page, url: str, axe_source: str, failures: list[str]) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 500, url
    page.add_script_tag(content=axe_source)
    for v in page.evaluate(RUN):
        if v["impact"] in BAD:
            where = json.dumps(v["nodes"], ensure_ascii=False)
            failures.append(f"{url}: {v['impact']} {v['id']} — {v['help']} at {where}")


def test_no_serious_or_critical_violations_on_any_page(pages, live_service, axe_source):
    base = live_service.url
    failures: list[str] = []
    anonymous = pages()
    for path in ("/login", "/reset"):
        _check(anonymous, base + path, axe_source, failures)

    for width in ({"width": 1280, "height": 800}, {"width": 360, "height": 740}):
        admin = pages(width)
        sign_in(admin, live_service, "admin@mo.example")
        slug = "gpmo-istorikov"
        # a job page and a document to preview: ask for the year's analysis
        admin.goto(f"{base}/a/mmo-matematikov")
        admin.locator('form[data-kind="work-plan"] button').click()
        admin.wait_for_url("**/jobs/**")
        job_url = admin.url
        admin.wait_for_selector("#download", timeout=60_000)
        preview = admin.locator("#download + a").get_attribute("href")
        for path in ("/", "/archive", "/svod", "/svod?sort=quorum&dir=desc", f"/a/{slug}?requirement=decisions",
                     "/sroki", f"/a/{slug}", f"/a/{slug}/members", f"/a/{slug}/workbooks", f"/a/{slug}/people",
                     "/upload", f"/upload?replace={slug}", "/me", "/admin/accounts", job_url.removeprefix(base),
                     preview):
            _check(admin, base + path, axe_source, failures)
        admin.goto(base + "/me")
        admin.locator('form[action="/account/calendar"] button').click()
        admin.wait_for_selector("#calendar-url")
        admin.add_script_tag(content=axe_source)
        failures += [f"calendar link: {v['impact']} {v['id']}" for v in admin.evaluate(RUN) if v["impact"] in BAD]
        # an upload refused on the form itself
        admin.goto(base + "/upload")
        admin.set_input_files('input[name="workbook"]', files=[{"name": "фото.xlsx", "mimeType": "image/png",
                                                                "buffer": b"\x89PNG not a workbook"}])
        admin.get_by_role("button", name="Загрузить и проверить").click()
        admin.wait_for_selector("#upload-error")
        admin.add_script_tag(content=axe_source)
        failures += [f"upload error: {v['impact']} {v['id']}" for v in admin.evaluate(RUN) if v["impact"] in BAD]

    curator = next(e for e, what in live_service.demo.accounts if what.startswith("куратор"))
    head = next(e for e, what in live_service.demo.accounts if what.startswith("руководитель"))
    for email in (curator, head):
        person = pages()
        sign_in(person, live_service, email)
        for path in ("/", "/svod", "/sroki", "/me"):
            _check(person, base + path, axe_source, failures)
    assert not failures, "\n".join(failures)
