"""The curator's desk in a real browser (the real `mo-docs serve` and `worker`, Debian's
chromium through Playwright): the matrix filtered, sorted and exported; a phone-width
page without sideways scrolling.  With MO_DOCS_UPDATE_SCREENSHOTS=1 (`make images`) the
screenshots replace the README's docs/img/svod.png and docs/img/phone.png."""
from __future__ import annotations

import io
import os
from pathlib import Path

import docx
import openpyxl
import pytest

from service.desk.export import FILLS
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.system("chromium"), pytest.mark.slow, pytest.mark.timeout(240)]

DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
PHONE = {"width": 360, "height": 740}


def _rows(page) -> list[str]:
    return page.locator("#matrix tbody th[scope=row] > a").all_inner_texts()


def test_the_matrix_filtered_sorted_and_exported(browser_context, live_service, tmp_path):
    from playwright.sync_api import expect

    img_dir = DOCS_IMG if os.environ.get("MO_DOCS_UPDATE_SCREENSHOTS") == "1" else tmp_path
    page = browser_context()
    sign_in(page, live_service, "admin@mo.example")
    page.get_by_role("link", name="Свод", exact=True).click()
    expect(page.locator("h1")).to_have_text("Свод: соблюдение Положений")
    assert sorted(_rows(page)) == ["ГПМО историков", "ММО математиков", "ММО начальных классов"]
    page.screenshot(path=str(img_dir / "svod.png"), full_page=True, animations="disabled")

    # filter: one territory, then a search, then back
    territory = page.get_by_label("Территория")
    territory.select_option(label=territory.locator("option", has_text="Залесовский").inner_text())
    page.get_by_role("button", name="Показать").click()
    expect(page.locator("#matrix tbody tr")).to_have_count(1)
    assert _rows(page) == ["ММО начальных классов"]
    page.get_by_role("link", name="Сбросить отбор").click()
    page.get_by_label("Название").fill("истор")
    page.get_by_role("button", name="Показать").click()
    assert _rows(page) == ["ГПМО историков"]
    page.get_by_role("link", name="Сбросить отбор").click()

    # sort by a column and back by name, descending
    page.locator('th[data-column="status"] a').click()
    expect(page.locator('th[data-column="status"]')).to_have_attribute("aria-sort", "ascending")
    statuses = page.locator("#matrix tbody tr td:nth-child(3)").all_inner_texts()
    rank = {"книга не читается": 0, "есть нарушения": 1, "есть ожидаемое": 2, "всё выполнено": 3}
    assert [rank[s] for s in statuses] == sorted(rank[s] for s in statuses)
    page.locator('th[data-column="name"] a').click()
    page.locator('th[data-column="name"] a').click()
    expect(page.locator('th[data-column="name"]')).to_have_attribute("aria-sort", "descending")
    assert _rows(page) == sorted(_rows(page), reverse=True)

    # a cell opens the findings behind it
    breach = page.locator("#matrix td.cell-breach a").first
    breach.click()
    expect(page.locator("#requirement h2")).to_contain_text("нарушение")

    # export with the filter of the page
    page.goto(live_service.url + "/svod")
    territory = page.get_by_label("Территория")
    territory.select_option(label=territory.locator("option", has_text="Новокузнецк").inner_text())
    page.get_by_role("button", name="Показать").click()
    with page.expect_download() as info:
        page.locator("#export-xlsx").click()
    sheet = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).active
    assert sheet.cell(4, 1).value == "ГПМО историков" and sheet.cell(5, 1).value is None
    colours = {sheet.cell(4, c).fill.fgColor.rgb[-6:] for c in range(6, sheet.max_column + 1)}
    assert colours <= set(FILLS.values()) and FILLS["breach"] in colours
    with page.expect_download() as info:
        page.locator("#export-docx").click()
    text = "\n".join(p.text for p in docx.Document(info.value.path()).paragraphs)
    assert "о деятельности методических объединений" in text and "ГПМО историков" in text


def test_phone_width_pages_do_not_scroll_sideways(browser_context, live_service, tmp_path):
    img_dir = DOCS_IMG if os.environ.get("MO_DOCS_UPDATE_SCREENSHOTS") == "1" else tmp_path
    page = browser_context()
    sign_in(page, live_service, "admin@mo.example")
    page.set_viewport_size(PHONE)
    for path in ("/", "/svod", "/sroki", "/a/gpmo-istorikov", "/upload", "/me"):
        page.goto(live_service.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width} px wide on a 360 px phone"
    page.goto(live_service.url + "/")
    page.screenshot(path=str(img_dir / "phone.png"), full_page=True, animations="disabled")
    # the dashboard's rows are cards: every fact is labelled
    label = page.evaluate("getComputedStyle(document.querySelector('#associations td[data-label]'), '::before')"
                          ".content")
    assert label == '"Положение: "'
    assert page.evaluate("getComputedStyle(document.querySelector('#associations thead')).position") == "absolute"
