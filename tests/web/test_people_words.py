"""Pages in the words people use: the order's number and date typed by the head, the real
reasons of a refused job, the notes of a document made anyway, what «Проверить снова»
re-reads, deadlines in red with their days, times in the association's time zone."""
from __future__ import annotations

import datetime as dt
import re

from tests.factories import association
from tests.web.helpers import add, docx_text, follow, forms, main, row_of, submit, visible

D = dt.date


def test_the_head_types_the_orders_number_and_date(client, ws, tmp_path):
    book = association("zdvinsky-mmo")
    book.members[11]["Дата включения"] = D(2024, 10, 1)             # joins after the order's date
    a = add(ws, tmp_path, book)
    page = main(client.get(f"/a/{a.slug}").get_data(as_text=True))
    form = next(f for f in re.findall(r'<form method="post"[^>]*data-kind="order">(.*?)</form>', page, flags=re.S))
    assert 'name="number"' in form and 'type="date" name="date"' in form and "№ приказа" in visible(form)
    r = submit(client, f"/a/{a.slug}/documents", {"kind": "order", "number": "45-ОД", "date": "2024-09-02"},
               page=f"/a/{a.slug}")
    done = main(follow(client, r).get_data(as_text=True))
    assert "Документ готов" in visible(done)
    [v] = ws.documents(a)
    text = docx_text(client.get(f"/a/{a.slug}/documents/{v.id}").data)
    assert "45-ОД" in text and "02.09.2024" in text
    assert book.members[11]["ФИО"].split()[0] not in text                # members on the order's date only


def test_a_final_refusal_says_why_and_offers_no_force(client, ws, tmp_path):
    book = association("zdvinsky-mmo")
    book.meeting(3)["Статус"] = "отменено"
    a = add(ws, tmp_path, book)
    r = submit(client, f"/a/{a.slug}/documents", {"kind": "protocol", "meeting": "3"}, page=f"/a/{a.slug}")
    page = main(follow(client, r).get_data(as_text=True))
    text = visible(page)
    assert "отменено" in text.split("Состояние: не выполнено", 1)[1]
    assert "В книге ошибки" not in text
    assert not [f for f in forms(page) if (f["button"] or "").startswith("Всё равно")]


def test_notes_that_did_not_stop_a_document_are_on_its_job_page(client, ws, tmp_path):
    book = association("zdvinsky-mmo")
    book.members[7]["Квалификационная категория"] = "главная"            # not printed in the order
    a = add(ws, tmp_path, book)
    r = submit(client, f"/a/{a.slug}/documents", {"kind": "order"}, page=f"/a/{a.slug}")
    page = main(follow(client, r).get_data(as_text=True))
    notes = visible(page.split('id="notes"', 1)[1])
    assert "Документ готов" in visible(page) and "Замечания, не помешавшие документу" in notes
    assert "«главная»" in notes
    job = client.get("/api/v1/jobs/" + r.headers["Location"].rsplit("/", 1)[1]).get_json()
    assert any("«главная»" in n for n in job["result"]["notes"])


def test_check_again_says_what_it_reads(client, ws, tmp_path):
    a = add(ws, tmp_path, association("zdvinsky-mmo"))
    text = visible(main(client.get(f"/a/{a.slug}").get_data(as_text=True)))
    assert "«Проверить снова» перечитывает книгу, загруженную в службу" in text
    assert "не файл на вашем компьютере" in text and "кнопкой «Заменить книгу»" in text


def test_deadlines_overdue_in_red_with_days_on_every_page(client, ws, tmp_path, monkeypatch):
    book = association("novokuznetsk-gpmo")
    book.info.update({"Территория": "г. Новокузнецк", "Дата представления анализа работы": None})
    a = add(ws, tmp_path, book, today=D(2025, 3, 1))
    import service.web.desk as desk
    import service.web.pages as pages

    class Today(dt.date):
        @classmethod
        def today(cls):
            return D(2025, 6, 1)

    monkeypatch.setattr(pages.dt, "date", Today)
    monkeypatch.setattr(desk, "_today", lambda: D(2025, 6, 1))
    row = row_of(main(client.get("/").get_data(as_text=True)), f'href="/a/{a.slug}"')
    assert '<span class="overdue-text">15.05.2025 — анализ работы и план на новый учебный год: просрочено на ' \
           '17 дней</span>' in row
    page = main(client.get("/sroki").get_data(as_text=True))
    late = row_of(page, "анализ работы и план на новый учебный год")
    assert 'class="overdue"' in late and "просрочено на 17 дней" in visible(late) and "(п. 4.7)" in visible(late)
    own = main(client.get(f"/a/{a.slug}").get_data(as_text=True)).split('id="obligations"', 1)[1]
    assert "просрочено на 17 дней" in visible(row_of(own, "анализ работы и план"))
    assert "выполнено" in visible(row_of(own, "актуализация банка данных"))


def test_times_are_shown_in_the_associations_time_zone_named(client, ws, tmp_path):
    book = association("zdvinsky-mmo")
    book.info["Часовой пояс"] = "МСК+4"
    a = add(ws, tmp_path, book)
    assert a.time_zone == "Etc/GMT-7"
    text = visible(main(client.get(f"/a/{a.slug}").get_data(as_text=True)))
    assert re.search(r"проверено \d\d\.\d\d\.\d{4} \d\d:\d\d \(UTC\+7\)", text)
    odd = association("zdvinsky-mmo")
    odd.info.update({"Краткое наименование": "ММО физиков", "Часовой пояс": "по-местному"})
    b = add(ws, tmp_path, odd, "odd.xlsx")
    assert b.time_zone == "Asia/Novosibirsk"                                 # from «Здвинский район»
    codes = {f["code"]: f for f in ws.latest_snapshot(b.id).findings}
    assert "«по-местному» не распознан" in codes["info.bad_time_zone"]["message"]
