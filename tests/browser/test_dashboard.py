"""The service as a teacher uses it, in a real browser: the dashboard of the demo
workspace, then a protocol asked for, waited for and downloaded.

The real `mo-docs serve` (gunicorn) and `mo-docs worker` (huey) run as subprocesses
on a free 127.0.0.1 port with SQLite; Playwright drives Debian's headless chromium.
The two screenshots are saved on every run (under pytest's tmp folder); with
MO_DOCS_UPDATE_SCREENSHOTS=1 (`make images`) they replace the README's
docs/img/dashboard.png and docs/img/association.png.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import docx
import pytest

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.system("chromium"), pytest.mark.slow, pytest.mark.timeout(180)]

DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
ASSOCIATIONS = {"ММО математиков", "ГПМО историков", "ММО начальных классов"}


def _docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def _screenshot(page, path: Path) -> None:
    """The whole page at 1280 px wide, no taller than its content (the README shows it)."""
    size = page.viewport_size
    height = page.evaluate("Math.ceil(document.body.getBoundingClientRect().bottom + window.scrollY)")
    page.set_viewport_size({"width": size["width"], "height": min(size["height"], height)})
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    page.set_viewport_size(size)


def _links_work(page) -> list[str]:
    """Every link of this page on our own server answers 200 (downloads included)."""
    origin = page.url.split("/", 3)[:3]
    hrefs = set(page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"))
    broken = []
    for href in sorted(h for h in hrefs if h.split("/", 3)[:3] == origin):
        status = page.request.get(href).status
        if status != 200:
            broken.append(f"{status} {href}")
    return broken


def test_dashboard_then_a_protocol_downloaded(page, live_service, tmp_path):
    img_dir = DOCS_IMG if os.environ.get("MO_DOCS_UPDATE_SCREENSHOTS") == "1" else tmp_path
    from playwright.sync_api import expect

    script_errors: list[str] = []
    page.on("pageerror", lambda err: script_errors.append(str(err)))

    # ------------------------------------------------------------ signing in as the demo's admin
    response = page.goto(live_service.url + "/")
    assert response.status == 200 and "/login" in page.url
    expect(page.locator("h1")).to_have_text("Вход в службу")
    sign_in(page, live_service, "admin@mo.example")

    # ------------------------------------------------------------ the dashboard
    expect(page).to_have_title(re.compile("Все объединения"))
    expect(page.locator("h1")).to_have_text("Методические объединения")
    expect(page.locator("header.top nav")).to_contain_text("Добавить книгу")
    headers = page.locator("#associations thead th").all_inner_texts()
    assert headers == ["Объединение", "Положение", "Состояние", "Проверено", "Ближайший срок"]
    rows = page.locator("#associations tbody tr")
    expect(rows).to_have_count(3)
    names = set(page.locator("#associations tbody tr th[scope=row] > a").all_inner_texts())
    assert names == ASSOCIATIONS
    clean = rows.filter(has_text="ММО математиков")
    expect(clean.locator(".badge.error")).to_have_count(0)        # the clean one has no errors
    expect(rows.filter(has_text="ГПМО историков").locator(".badge.error")).to_contain_text(re.compile(r"\d+ ошиб"))
    expect(page.locator("button", has_text="Анализ работы для всех МО")).to_be_visible()
    assert _links_work(page) == []
    _screenshot(page, img_dir / "dashboard.png")

    # ------------------------------------------------------------ the clean association
    clean.get_by_role("link", name="ММО математиков").click()
    page.wait_for_url(re.compile(r"/a/[a-z0-9-]+$"))
    expect(page.locator("h1")).to_contain_text("математики")
    for heading in ("Заседания", "Замечания", "Документы", "Журнал"):
        expect(page.get_by_role("heading", name=re.compile(heading))).to_be_visible()
    meeting = page.locator("#meetings tbody tr").filter(has=page.locator("td:first-child", has_text=re.compile(r"^1$")))
    expect(meeting).to_have_count(1)
    expect(meeting.locator("td").nth(3)).to_have_text("проведено")
    association_url = page.url
    assert _links_work(page) == []

    # ------------------------------------------------------------ ask for the protocol, wait, download
    meeting.get_by_role("button", name="Сформировать протокол").click()
    page.wait_for_url(re.compile(r"/jobs/[0-9a-f-]+$"))
    expect(page.locator("h1")).to_have_text("Протокол (заседание №1)")
    # job.js polls /api/v1/jobs/<id> and reloads the page when the job ends
    expect(page.locator("#job-state")).to_have_text("готово", timeout=60_000)
    expect(page.locator(".alert.ok")).to_contain_text("Документ готов")
    download_link = page.locator("#download")
    expect(download_link).to_have_text("Скачать .docx")
    assert _links_work(page) == []
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename.startswith("Протокол №1 от ") and download.suggested_filename.endswith(".docx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    text = _docx_text(saved)
    assert "ПРОТОКОЛ" in text
    assert "№ 1" in text
    assert "Председатель – М.Н. Белова" in text
    assert "Присутствовали:" in text
    assert "заседания ММО математиков" in text

    # ------------------------------------------------------------ the association with its document
    page.goto(association_url)
    documents = page.locator("#documents tbody tr")
    expect(documents).to_have_count(1)
    expect(documents.first).to_contain_text(download.suggested_filename)
    expect(documents.first.get_by_role("link", name="Скачать")).to_be_visible()
    assert _links_work(page) == []
    _screenshot(page, img_dir / "association.png")
    assert script_errors == []
