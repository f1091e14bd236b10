"""The compliance matrix as a curator uses it: /svod in the person's scope, filters,
search, sort by any column, totals, the cell's link to the findings behind it, the
.xlsx with the page's colours and «Справка о деятельности МО»; the same in the API."""
from __future__ import annotations

import datetime as dt
import io
import re

import docx
import openpyxl
import pytest

from service.desk.export import FILLS
from tests.factories import association
from tests.web.helpers import add, main, row_of, visible

D = dt.date


def _book(short: str, territory: str, regulation: str = "zdvinsky-mmo", **info):
    book = association(regulation)
    book.info.update({"Краткое наименование": short, "Наименование МО": f"Методическое объединение «{short}»",
                      "Территория": territory, **info})
    return book


@pytest.fixture
def four(ws, tmp_path):
    """Two Здвинский associations (one without quorum at meeting 2), a Новокузнецк ГПМО
    whose analysis is missing after 15 May, and one of Залесово — checked at the year's end."""
    day = D(2025, 6, 1)
    clean = add(ws, tmp_path, _book("ММО математиков", "Здвинский район"), "a.xlsx", today=day)
    broken = _book("ММО физиков", "Здвинский район")
    broken.mark(2, present=3)
    physics = add(ws, tmp_path, broken, "b.xlsx", today=day)
    late = _book("ГПМО историков", "г. Новокузнецк", "novokuznetsk-gpmo")
    late.info["Дата представления анализа работы"] = None
    history = add(ws, tmp_path, late, "c.xlsx", today=day)
    zalesovo = add(ws, tmp_path, _book("ММО химиков", "Залесовский округ", "zalesovo-mmo"), "d.xlsx", today=day)
    return {"maths": clean, "physics": physics, "history": history, "chemistry": zalesovo}


def _rows(body: str) -> list[str]:
    table = body.split('id="matrix"', 1)[1].split("<tfoot>", 1)[0]
    return [visible(th) for th in re.findall(r'<th scope="row">(.*?)</th>', table, flags=re.S)]


def test_one_row_per_association_one_column_per_requirement(client, four):
    body = main(client.get("/svod").get_data(as_text=True))
    assert [r.split(" ")[0] for r in _rows(body)] == ["ГПМО", "ММО", "ММО", "ММО"]
    headers = [visible(h) for h in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', body, flags=re.S)]
    assert [h.split(",")[0].rstrip(" ▲▼") for h in headers][:5] == [
        "Объединение", "Положение", "Итог", "Заседания за период", "Кворум"]
    physics = row_of(body, 'data-slug="' + four["physics"].slug + '"')
    quorum = re.search(r'<td class="cell-breach" data-status="breach">(.*?)</td>', physics, flags=re.S).group(1)
    assert "нарушение (1 ошибка)" in visible(quorum)
    assert f'href="/a/{four["physics"].slug}?requirement=quorum#requirement"' in quorum
    history = row_of(body, 'data-slug="' + four["history"].slug + '"')
    assert "Новокузнецк, ГПМО" in visible(history) and "novokuznetsk-gpmo" not in history   # titles, not ids
    # Здвинский has no analysis date: not applicable; Новокузнецк's passed without a date: a breach
    assert re.search(r'class="cell-breach" data-status="breach">\s*<a href="[^"]*requirement=analysis', history)
    maths = row_of(body, 'data-slug="' + four["maths"].slug + '"')
    assert maths.count('data-status="na"') >= 2 and "всё выполнено" in visible(maths)


def test_the_cell_opens_the_findings_behind_it(client, four):
    body = client.get(f"/a/{four['physics'].slug}?requirement=quorum").get_data(as_text=True)
    section = body.split('id="requirement"', 1)[1].split("</section>", 1)[0]
    text = visible(section)
    assert "Требование «Кворум»: нарушение" in text and "п. 5.1(5)" in text
    assert "кворум" in text.lower() and "meeting.no_quorum" not in text         # the code only on hover
    assert 'title="код: meeting.no_quorum"' in section
    api = client.get(f"/api/v1/associations/{four['physics'].slug}/findings?requirement=quorum").get_json()
    assert [f["code"] for f in api["findings"]] == ["meeting.no_quorum"] and api["requirement"] == "quorum"
    bad = client.get(f"/api/v1/associations/{four['physics'].slug}/findings?requirement=nonsense")
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "request.invalid"


def test_filters_search_and_sort(client, four):
    only = main(client.get("/svod?territory=здвинский район").get_data(as_text=True))
    assert len(_rows(only)) == 2
    assert len(_rows(main(client.get("/svod?regulation=novokuznetsk-gpmo").get_data(as_text=True)))) == 1
    assert [r.split(" Здвинский")[0] for r in _rows(main(client.get("/svod?status=breach&territory=Здвинский район")
                                                         .get_data(as_text=True)))] == ["ММО физиков"]
    assert len(_rows(main(client.get("/svod?q=ИСТОРИК").get_data(as_text=True)))) == 1
    assert "Под отбор не подходит" in visible(main(client.get("/svod?year=2019-2020").get_data(as_text=True)))
    by_quorum = _rows(main(client.get("/svod?sort=quorum").get_data(as_text=True)))
    assert by_quorum[0].startswith("ММО физиков")                       # breaches first
    desc = main(client.get("/svod?sort=name&dir=desc").get_data(as_text=True))
    assert _rows(desc)[0].startswith("ММО химиков") and 'aria-sort="descending"' in desc
    # nonsense in the query string is ignored, never a 500
    assert client.get("/svod?sort=<script>&dir=sideways&status=" + "x" * 5000).status_code == 200


def test_totals_per_column(client, four):
    body = main(client.get("/svod").get_data(as_text=True))
    foot = body.split("<tfoot>", 1)[1]
    breach = row_of(foot, 'data-status="breach"')
    assert re.search(r'data-column="quorum">1<', breach)
    assert re.search(r'data-column="analysis">1<', breach)
    ok = row_of(foot, 'data-status="ok"')
    assert re.search(r'data-column="quorum">1<', ok)          # the other Здвинский one; others have no quorum


def test_a_curator_sees_only_their_territory(client_as, four):
    curator = client_as("curator", territories=["Здвинский район"])
    rows = _rows(main(curator.get("/svod").get_data(as_text=True)))
    assert sorted(r.split(" Здвинский")[0] for r in rows) == ["ММО математиков", "ММО физиков"]
    api = curator.get("/api/v1/compliance").get_json()
    assert {a["slug"] for a in api["associations"]} == {four["maths"].slug, four["physics"].slug}
    head = client_as("head", associations=[four["history"]])
    assert [a["slug"] for a in head.get("/api/v1/compliance").get_json()["associations"]] == [four["history"].slug]
    sheet = openpyxl.load_workbook(io.BytesIO(curator.get("/svod.xlsx").data)).active
    names = [sheet.cell(r, 1).value for r in range(4, sheet.max_row + 1)]
    assert "ГПМО историков" not in names and "ММО физиков" in names


def test_the_api_matches_the_page(client, four, contract):
    body = client.get("/api/v1/compliance?sort=quorum").get_json()
    contract.response("/compliance", "get", 200, body)
    assert body["associations"][0]["slug"] == four["physics"].slug
    cell = body["associations"][0]["cells"]["quorum"]
    assert cell["status"] == "breach" and cell["codes"] == ["meeting.no_quorum"] and cell["clauses"] == ["п. 5.1(5)"]
    assert client.get(cell["findings"]).get_json()["findings"][0]["code"] == "meeting.no_quorum"
    assert body["totals"]["quorum"] == {"breach": 1, "pending": 0, "ok": 1, "na": 2}


def test_the_xlsx_has_the_rows_filters_and_colours_of_the_page(client, four):
    r = client.get("/svod.xlsx?territory=Здвинский район&sort=quorum")
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in r.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(r.data)).active
    assert "Здвинский район" in sheet["A2"].value
    headers = [c.value for c in sheet[3]]
    assert headers[:6] == ["Объединение", "Территория", "Положение", "Учебный год", "Итог", "Заседания за период"]
    assert [sheet.cell(4, 1).value, sheet.cell(5, 1).value] == ["ММО физиков", "ММО математиков"]
    quorum = headers.index("Кворум") + 1
    assert sheet.cell(4, quorum).value == "нарушение (1 ошибка)"
    assert sheet.cell(4, quorum).fill.fgColor.rgb.endswith(FILLS["breach"])
    assert sheet.cell(5, quorum).fill.fgColor.rgb.endswith(FILLS["ok"])
    assert sheet.cell(4, 4).value == "2024/2025"
    assert sheet.freeze_panes == "B4" and sheet.auto_filter.ref.startswith("A3:")


def test_the_spravka_for_the_education_department(client_as, four):
    curator = client_as("curator", territories=["Здвинский район", "г. Новокузнецк"], name="Петрова Анна Ивановна")
    r = curator.get("/svod/spravka.docx")
    assert r.status_code == 200 and r.mimetype.endswith("wordprocessingml.document")
    d = docx.Document(io.BytesIO(r.data))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "СПРАВКА" in text and "о деятельности методических объединений" in text
    assert "за 2024/2025 учебный год" in text
    assert "Рассмотрено 3 объединения" in text and "нарушения есть у 2" in text
    assert "ММО физиков (Здвинский район): кворум (п. 5.1(5)); повестка и решения" in text
    assert "ГПМО историков (Новокузнецк, ГПМО): анализ работы в срок (п. 4.7)." in text
    assert re.search(r"ГПМО историков: анализ работы и план на новый учебный год — срок 15\.05\.2025, просрочено "
                     r"на \d+ (день|дня|дней)\.", text)
    assert text.rstrip().endswith("А.И. Петрова") and "Куратор" in text.splitlines()[-1]
    table = d.tables[0]
    quorum = next(row for row in table.rows if row.cells[0].text == "Кворум")
    assert [c.text for c in quorum.cells[1:]] == ["1", "1", "0", "1"]


def test_an_unchecked_or_unreadable_association_is_named_so(client, ws, four):
    from pathlib import Path

    Path(four["chemistry"].source).write_text("не таблица", encoding="utf-8")
    ws.check(four["chemistry"].id)
    row = row_of(main(client.get("/svod").get_data(as_text=True)), 'data-slug="' + four["chemistry"].slug + '"')
    assert "книга не читается" in visible(row)
    assert client.get("/api/v1/compliance?status=unreadable").get_json()["total"] == 1
