"""The add-on's sidebar (addon/Sidebar.html) in Debian's chromium, driven by Playwright,
300 px wide as Google shows it, with a stub of `google.script.run` that records each call
and answers with what the real service answered for a real register (the check, the
document request, the job) — so the sidebar is tested on real answers, not invented ones.

With MO_DOCS_UPDATE_SCREENSHOTS=1 (`make images`) the sidebar with findings and the menu
the add-on builds replace docs/img/addon_sidebar.png and docs/img/addon_menu.png.
"""
from __future__ import annotations

import html
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.accounts.factories import make_account
from tests.addon.harness import with_mistakes

pytestmark = [pytest.mark.system("chromium"), pytest.mark.slow, pytest.mark.timeout(180)]

ADDON = Path(__file__).resolve().parents[2] / "addon"
DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
EMAIL = "belova@zdvinsk-edu.ru"
WIDTH = 300

STUB = """
window.__calls = [];
window.__answers = %s;
(function () {
  function answer(name, args) {
    var a = window.__answers[name];
    if (a && a.sequence) { return a.sequence.length > 1 ? a.sequence.shift() : a.sequence[0]; }
    return a === undefined ? null : a;
  }
  function runner(success, failure) {
    return new Proxy({}, { get: function (_, name) {
      if (name === 'withSuccessHandler') { return function (fn) { return runner(fn, failure); }; }
      if (name === 'withFailureHandler') { return function (fn) { return runner(success, fn); }; }
      return function () {
        var args = Array.prototype.slice.call(arguments);
        window.__calls.push({ name: name, args: JSON.parse(JSON.stringify(args)) });
        var a = answer(name, args);
        setTimeout(function () {
          if (a && a.thrown) { if (failure) { failure(new Error(a.thrown)); } }
          else if (success) { success(a); }
        }, 20);
      };
    } });
  }
  window.google = { script: { run: runner(null, null) } };
}());
"""


def sidebar_html(start: str) -> str:
    """Sidebar.html evaluated as HtmlService does it for `<?= start ?>` (escaped)."""
    source = (ADDON / "Sidebar.html").read_text(encoding="utf-8")
    assert re.findall(r"<\?", source) == ["<?"], "only the one printing scriptlet"
    return source.replace("<?= start ?>", html.escape(start, quote=True))


@pytest.fixture
def real(make_app, google, tmp_path):
    """What the real service answers the add-on for a register with mistakes: the check
    (its association connected, the person its head), a protocol's 202 and its done job."""
    from tests.addon.harness import addon_settings

    app = make_app(**addon_settings(google))
    ws = app.extensions["workspace"]
    book = with_mistakes("zdvinsky-mmo")
    folder = Path(ws.settings["WORKBOOKS_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    book_ok = with_mistakes("zdvinsky-mmo")
    a = ws.add_association(str(book_ok.save(folder / "r.xlsx")), "тест")
    make_account(ws.sf, "head", email=EMAIL, associations=[a])
    client = app.test_client()
    headers = {"Authorization": f"Bearer {google.id_token(google.claims(EMAIL))}"}
    checked = client.post("/api/v1/addon/check", json=book.sheet_payload(), headers=headers).json
    accepted = client.post("/api/v1/addon/documents", json={"kind": "protocol", "meeting": 1, **book.sheet_payload()},
                           headers=headers).json
    job = client.get(f"/api/v1/jobs/{accepted['job']['id']}", headers=headers).json
    refused = client.post("/api/v1/addon/documents", json={"kind": "protocol", "meeting": 3, **book.sheet_payload()},
                          headers=headers).json
    refused_job = client.get(f"/api/v1/jobs/{refused['job']['id']}", headers=headers).json
    assert "error" not in checked and job["state"] == "done" and refused_job["state"] == "failed"
    return {"check": {**checked, "marked": 9}, "accepted": accepted, "job": job, "refused": refused,
            "refused_job": refused_job}


SETTINGS = {"service_url": "https://mo-docs.example.ru", "mark_cells": True, "write_links": False}


def open_sidebar(page, start: str, answers: dict):
    """The sidebar as Google serves it: `google.script.run` exists before its script runs."""
    errors = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.set_viewport_size({"width": WIDTH, "height": 900})
    answers_js = json.dumps({"getSettings": SETTINGS, **answers}, ensure_ascii=False).replace("<", "\\u003c")
    stub = STUB % answers_js                    # «<» escaped: a «</script>» in the data stays data
    page.set_content(sidebar_html(start).replace("<head>", f"<head><script>{stub}</script>", 1))
    page.errors = errors
    return page


def calls(page, name: str) -> list:
    return [c["args"] for c in page.evaluate("window.__calls") if c["name"] == name]


def no_overflow(page) -> None:
    """Nothing wider than Google's 300 px, and no script error on the way."""
    width = page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
    assert width <= WIDTH, f"the sidebar is {width} px wide, Google shows {WIDTH}"
    assert page.errors == []


def test_findings_are_listed_and_lead_to_their_cells(page, real):
    from playwright.sync_api import expect

    open_sidebar(page, "check", {"checkSheet": real["check"], "goToCell": {"sheet": "Состав", "cell": "H6"}})
    expect(page.locator("#findings .finding").first).to_be_visible()
    assert page.locator("#findings .finding").count() == len(real["check"]["findings"])
    counts = real["check"]["counts"]
    expect(page.locator("#counts")).to_contain_text(f"ошибок: {counts['error']}")
    expect(page.locator("#counts")).to_contain_text("Отмечено ячеек: 9")
    expect(page.locator("#association")).to_contain_text("ММО математиков")
    first = next(f for f in real["check"]["findings"] if f["cell"])
    item = page.locator("#findings .finding", has_text=first["message"]).first
    item.get_by_role("button", name="Перейти к ячейке").click()
    page.wait_for_function("window.__calls.some(c => c.name === 'goToCell')")
    assert calls(page, "goToCell") == [[first["sheet"], first["cell"]]]
    no_overflow(page)
    _screenshot(page, "addon_sidebar.png")


def test_a_protocol_is_asked_for_followed_and_linked(page, real):
    from playwright.sync_api import expect

    queued = {**real["accepted"], "job": {**real["job"], "state": "queued", "result": None}}
    running = {**real["job"], "state": "running", "result": None}
    open_sidebar(page, "protocol", {"checkSheet": real["check"], "requestDocument": queued,
                                    "jobStatus": {"sequence": [running, real["job"]]},
                                    "writeDocumentLink": {"sheet": "Заседания", "cell": "J2"}})
    meeting = page.locator("#meetings .meeting", has_text="№1").first
    meeting.get_by_role("button", name="Протокол").click()
    expect(page.locator("#status-text")).to_contain_text("формируется", timeout=10_000)
    expect(page.locator("#result-text")).to_contain_text("Документ готов: Протокол №1 от 24.09.2024.docx",
                                                         timeout=15_000)
    link = page.locator("#result-link")
    assert link.get_attribute("href") == real["job"]["links"]["document"]
    assert link.get_attribute("target") == "_blank"
    assert calls(page, "requestDocument") == [[{"kind": "protocol", "meeting": 1}]]
    page.get_by_role("button", name="Записать ссылку в «Заседания»").click()
    expect(page.locator("#result-written")).to_have_text("Ссылка записана: Заседания, J2.")
    [[link_args]] = calls(page, "writeDocumentLink")
    assert link_args == {**real["accepted"]["link"], "name": "Протокол №1 от 24.09.2024",
                         "url": real["job"]["links"]["document"]}
    no_overflow(page)


def test_a_refused_document_shows_why_and_can_be_forced(page, real):
    from playwright.sync_api import expect

    open_sidebar(page, "protocol", {"checkSheet": real["check"], "requestDocument": real["refused"],
                                    "jobStatus": real["refused_job"]})
    page.locator("#meetings .meeting", has_text="№3").first.get_by_role("button", name="Протокол").click()
    expect(page.locator("#result-text")).to_contain_text(real["refused_job"]["error"]["message"], timeout=15_000)
    reasons = real["refused_job"]["error"]["findings"]
    assert page.locator("#result-findings .finding").count() == len(reasons)
    page.get_by_role("button", name="Сформировать с пометкой об ошибках").click()
    page.wait_for_function("window.__calls.filter(c => c.name === 'requestDocument').length === 2")
    assert calls(page, "requestDocument")[1] == [{"kind": "protocol", "meeting": 3, "force": True}]
    no_overflow(page)


def test_the_services_refusal_is_shown_in_its_words(page):
    from playwright.sync_api import expect

    message = "Данные листа «Состав» доходят до строки 6 000, а служба читает не больше 5 000 строк."
    open_sidebar(page, "check", {"checkSheet": {"error": {"code": "addon.too_large", "message": message}}})
    expect(page.locator("#result-text")).to_have_text(message)
    no_overflow(page)


def test_a_sheet_not_in_the_service_is_offered_to_connect(page, real):
    from playwright.sync_api import expect

    unknown = json.loads(json.dumps(real["check"]))
    unknown["addon"].update({"association": None, "may_generate": False, "may_connect": True})
    connected = {"association": {"slug": "mmo", "name": "ММО математиков", "page": "https://mo.example.ru/a/mmo"}}
    open_sidebar(page, "check", {"checkSheet": {"sequence": [unknown, real["check"]]}, "connectSheet": connected})
    page.get_by_role("button", name="Подключить таблицу").click()
    page.wait_for_function("window.__calls.filter(c => c.name === 'checkSheet').length === 2")
    expect(page.locator("#connect")).to_be_hidden()
    page.get_by_role("button", name="Документы").click()
    expect(page.locator("#kinds")).to_contain_text("Анализ работы")
    no_overflow(page)


def test_settings_are_shown_and_saved(page):
    from playwright.sync_api import expect

    saved = {**SETTINGS, "mark_cells": False, "write_links": True}
    open_sidebar(page, "settings", {"saveSettings": saved})
    expect(page.locator("#service-url")).to_have_text("https://mo-docs.example.ru")
    assert page.locator("#setting-mark").is_checked() and not page.locator("#setting-links").is_checked()
    page.locator("#setting-mark").uncheck()
    page.locator("#setting-links").check()
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator("#settings-saved")).to_be_visible()
    assert calls(page, "saveSettings") == [[{"mark_cells": False, "write_links": True}]]
    assert calls(page, "checkSheet") == [], "opening the settings checks nothing"
    no_overflow(page)


def test_text_from_the_sheet_is_never_markup(page, real):
    from playwright.sync_api import expect

    hostile = json.loads(json.dumps(real["check"]))
    hostile["findings"][0]["message"] = '<img src=x onerror="window.__pwned=1">Ошибка'
    hostile["addon"]["meetings"][0]["topic"] = "<script>window.__pwned=2</script>"
    hostile["addon"]["meetings"][0]["documents"] = [{"name": "Протокол", "url": "javascript:alert(1)"}]
    open_sidebar(page, "check", {"checkSheet": hostile})
    expect(page.locator("#findings")).to_contain_text('<img src=x onerror="window.__pwned=1">Ошибка')
    assert page.locator("#findings img").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#meetings a").count() == 0, "only http(s) links become links"
    no_overflow(page)


def test_the_menu_as_the_addon_builds_it(page, tmp_path):
    """The menu onOpen builds (through the fake Ui), drawn as Sheets lists it under «Расширения»."""
    from tests.addon.test_node import node_binary

    script = ("const { World } = require('./fakes.js'); const w = new World(); w.load().onOpen({authMode: 'NONE'});"
              "process.stdout.write(JSON.stringify(w.menu));")
    items = json.loads(subprocess.run([node_binary(), "-e", script], capture_output=True, text=True, timeout=60,
                                      cwd=Path(__file__).parent / "node", check=True).stdout)
    rows = "".join('<div class="sep"></div>' if i.get("separator") else f'<div class="item">{html.escape(i["caption"])}</div>'
                   for i in items)
    page.set_viewport_size({"width": 680, "height": 420})
    page.set_content(f"""<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><style>
      body {{ font: 14px Arial, sans-serif; margin: 0; padding-bottom: 24px; background: #f8f9fa; }}
      .bar {{ display: flex; gap: 18px; padding: 8px 14px; background: #fff; border-bottom: 1px solid #dadce0; }}
      .bar b {{ background: #e8f0fe; padding: 2px 6px; border-radius: 4px; font-weight: normal; }}
      .menus {{ display: flex; align-items: flex-start; padding-left: 250px; }}
      .menu {{ background: #fff; box-shadow: 0 2px 6px rgba(0,0,0,.3); padding: 6px 0; min-width: 220px; }}
      .item {{ padding: 6px 18px; }} .sep {{ border-top: 1px solid #dadce0; margin: 6px 0; }}
      .parent {{ background: #e8eaed; }}
    </style></head><body>
      <div class="bar"><span>Файл</span><span>Правка</span><span>Вид</span><span>Вставка</span><span>Формат</span>
        <span>Данные</span><span>Инструменты</span><b>Расширения</b><span>Справка</span></div>
      <div class="menus"><div class="menu" style="min-width: 140px; margin-left: -130px">
        <div class="item">Дополнения</div><div class="item parent">МО-документы ▸</div><div class="item">Макросы</div>
        <div class="item">Apps Script</div></div><div class="menu" id="addon">{rows}</div></div>
    </body></html>""")
    captions = [i["caption"] for i in items if not i.get("separator")]
    assert page.locator("#addon .item").all_inner_texts() == captions
    _screenshot(page, "addon_menu.png")


def _screenshot(page, name: str) -> None:
    target = DOCS_IMG / name if os.environ.get("MO_DOCS_UPDATE_SCREENSHOTS") == "1" else None
    height = page.evaluate("Math.ceil(document.body.getBoundingClientRect().bottom + window.scrollY)")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": max(200, min(1400, height))})
    shot = page.screenshot(full_page=True, animations="disabled")
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(shot)
    page.set_viewport_size(size)


def test_the_order_asks_for_its_number_and_date(page, real):
    from playwright.sync_api import expect

    open_sidebar(page, "order", {"checkSheet": real["check"], "requestDocument": {
        "job": {**real["job"], "state": "failed", "error": {"code": "filing.unavailable",
                                                          "message": "Хранилище документов недоступно."}}}})
    expect(page.locator("#order-form")).to_be_visible()
    page.get_by_label("Номер приказа (можно оставить пустым)").fill("45-ОД")
    page.get_by_label("Дата приказа").fill("2025-09-02")
    page.get_by_role("button", name="Сформировать приказ").click()
    expect(page.locator("#result-text")).to_have_text("Хранилище документов недоступно.")
    assert calls(page, "requestDocument") == [[{"kind": "order", "number": "45-ОД", "date": "2025-09-02"}]]
    no_overflow(page)


def test_every_kind_the_service_makes_is_offered_required_ones_first(page, real):
    from playwright.sync_api import expect

    open_sidebar(page, "documents", {"checkSheet": real["check"], "requestDocument": real["accepted"]})
    kinds = real["check"]["addon"]["kinds"]
    expect(page.locator("#kinds .kind")).to_have_count(len(kinds))
    shown = page.locator("#kinds .kind > div:first-child").all_inner_texts()
    required = [k["title"] for k in kinds if k["required"]]
    assert sorted(shown) == sorted(k["title"] for k in kinds) and shown[:len(required)] == required
    bank = next(k for k in kinds if "personal" in k["options"])
    page.locator("#kinds .kind", has_text=bank["title"]).get_by_role("button", name="С личными данными").click()
    page.wait_for_function("window.__calls.some(c => c.name === 'requestDocument')")
    assert calls(page, "requestDocument") == [[{"kind": bank["kind"], "personal": True}]]
    no_overflow(page)
