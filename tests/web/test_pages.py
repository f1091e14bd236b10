"""The pages a head or curator uses: dashboard, association, job, preview, download —
what they see and what they get, in Russian."""
from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select, update

from service.db import DocumentVersion
from service.russian.plural import count
from service.schema.regulations import load_all
from service.workspace import jobs as records
from service.workspace.demo import ensure_demo
from service.workspace.models import Job
from service.workspace.runner import run
from tests.accounts.factories import signed_in_client
from tests.factories import association
from tests.web.helpers import (XSS, add, csrf_token, docx_text, follow, forms, job_id_of, main,
                               pages_while_generating, row_of, submit, three_associations, visible)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def shown(value: dt.datetime, zone: str = "Asia/Novosibirsk") -> str:
    """How a stored UTC time is shown: in the association's time zone, the zone named."""
    import zoneinfo

    from service.schema.time_zones import label

    local = value.replace(tzinfo=dt.timezone.utc).astimezone(zoneinfo.ZoneInfo(zone))
    return f"{local:%d.%m.%Y %H:%M} ({label(zone)})"


def protocol_book():
    """A compliant association whose fourth meeting is still to come."""
    book = association("zdvinsky-mmo")
    book.meeting(4)["Статус"] = "запланировано"
    return book


# ---------------------------------------------------------------- dashboard

def test_empty_dashboard_invites_to_upload_or_download_a_blank(client):
    r = client.get("/")
    assert r.status_code == 200 and r.mimetype == "text/html"
    body = r.get_data(as_text=True)
    assert '<html lang="ru">' in body
    text = visible(main(body))
    assert "Методические объединения" in text
    assert "Объединений пока нет. Загрузите книгу МО или скачайте пустую книгу, заполните её и загрузите." in text
    assert 'href="/upload"' in main(body) and 'href="/blank.xlsx"' in main(body)
    assert 'id="associations"' not in body


def test_dashboard_lists_every_association_with_its_state(client, ws, tmp_path):
    ensure_demo(ws)                                  # errors and warnings; errors only; clean
    clean = association("zdvinsky-mmo")
    clean.info["Краткое наименование"] = "ММО физиков"
    clean.info["Наименование МО"] = "Муниципальное методическое объединение учителей физики"
    physics = add(ws, tmp_path, clean, "physics.xlsx", today=dt.date(2025, 3, 1))
    warned = association("zdvinsky-mmo")
    warned.info["Краткое наименование"] = "ММО информатиков"
    warned.members[4]["E-mail"] = "popova@school"                      # a warning, not an error
    add(ws, tmp_path, warned, "informatics.xlsx")
    broken = association("zdvinsky-mmo")
    broken.info["Краткое наименование"] = "ММО химиков"
    chemistry = add(ws, tmp_path, broken, "chemistry.xlsx")
    Path(chemistry.source).write_text("это уже не таблица", encoding="utf-8")
    ws.check(chemistry.id)

    body = client.get("/").get_data(as_text=True)
    rows = {a.short_name: a for a in ws.associations()}
    assert len(rows) == 6
    assert len(re.findall(r"<tr>", body.split("<tbody>", 1)[1])) == 6
    titles = {r.id: r.short_title for r in load_all()}
    for short, a in rows.items():
        row = row_of(body, f">{short}</a>")
        text = visible(row)
        assert f'href="/a/{a.slug}"' in row
        assert a.name in text
        assert titles[a.regulation_id] in text and a.regulation_id not in text   # titles, never ids
        assert shown(a.checked_at, a.time_zone) in text             # last check, in its own time zone
        if a.unreadable:
            assert "книга не читается" in text and "в порядке" not in text
            continue
        assert (count(a.errors or 0, "ошибка", "ошибки", "ошибок") in text) == bool(a.errors)
        assert (count(a.warnings or 0, "предупреждение", "предупреждения", "предупреждений") in text) == \
            bool(a.warnings)
        assert " ош." not in text and " пред." not in text                # words, not abbreviations
        assert ("в порядке" in text) == (not a.errors and not a.warnings)
    states = {short: (bool(a.errors), bool(a.warnings)) for short, a in rows.items() if not a.unreadable}
    assert states["ГПМО историков"] == (True, True) and states["ММО начальных классов"] == (True, False)
    assert states["ММО информатиков"] == (False, True) and states["ММО физиков"] == (False, False)
    assert "книга не читается" in visible(row_of(body, ">ММО химиков</a>"))

    physics = ws.by_id(physics.id)
    assert physics.next_deadline == dt.date(2025, 5, 20)
    assert "20.05.2025 — заседание №4" in visible(row_of(body, ">ММО физиков</a>"))
    history = row_of(body, ">ГПМО историков</a>")     # a finished year: what was missed, in red, with its days
    assert re.search(r'<span class="overdue-text">\d\d\.\d\d\.\d{4} — [^<]+: просрочено на \d+ (день|дня|дней)</span>',
                     history), history


# ---------------------------------------------------------------- association page

def test_dashboard_is_in_the_order_of_the_short_names_people_see(client, ws, tmp_path):
    for short, full in [("ММО физиков", "Городское объединение учителей физики"),
                        ("ГПМО историков", "Муниципальное объединение учителей истории"),
                        ("ММО биологов", "Районное объединение учителей биологии")]:
        book = association("zdvinsky-mmo")
        book.info["Краткое наименование"], book.info["Наименование МО"] = short, full
        add(ws, tmp_path, book, f"{short}.xlsx")
    body = client.get("/").get_data(as_text=True).split("<tbody>", 1)[1]
    shown_order = re.findall(r'<th scope="row"><a href="/a/[^"]+">([^<]+)</a>', body)
    assert shown_order == ["ГПМО историков", "ММО биологов", "ММО физиков"]     # not by «Городское…», «Муниципальное…»


def test_findings_are_grouped_by_sheet_with_the_cell_to_fix(client, ws):
    ensure_demo(ws)
    a = ws.association("gpmo-istorikov")
    findings = ws.latest_snapshot(a.id).findings
    assert len({f["sheet"] for f in findings}) >= 2
    body = main(client.get(f"/a/{a.slug}").get_data(as_text=True))
    section = body.split("<h2>Замечания", 1)[1].split("</section>", 1)[0]
    assert f"({count(a.errors, 'ошибка', 'ошибки', 'ошибок')}, " \
           f"{count(a.warnings, 'предупреждение', 'предупреждения', 'предупреждений')}" in visible(section)
    groups = dict(re.findall(r"<h3>(.*?)</h3>(.*?)</table>", section, flags=re.S))
    assert set(groups) == {f["sheet"] or "Книга в целом" for f in findings}
    for f in findings:
        rows = [visible(r) for r in re.findall(r"<tr[^>]*>.*?</tr>", groups[f["sheet"] or "Книга в целом"], re.S)]
        label = {"error": "ошибка", "warning": "предупреждение", "info": "справка"}[f["severity"]]
        message = f["message"].removeprefix(f"{f['cell']}: ") if f["cell"] else f["message"]
        expected = " ".join(p for p in (f["cell"], label, message) if p)
        assert expected in rows, (expected, rows)
        assert f'title="код: {f["code"]}"' in groups[f["sheet"] or "Книга в целом"]     # the code only on hover
    assert any(f["cell"] for f in findings)


def test_meetings_table_and_document_buttons(client, ws, tmp_path):
    a = add(ws, tmp_path, protocol_book())
    body = main(client.get(f"/a/{a.slug}").get_data(as_text=True))
    meetings = body.split('id="meetings"', 1)[1].split("</table>", 1)[0]
    for n, (day, held) in enumerate([("24.09.2024", True), ("10.12.2024", True), ("18.02.2025", True),
                                     ("20.05.2025", False)], start=1):
        row = row_of(meetings, f"<td>{n}</td><td>{day}</td>")
        assert f"Тема заседания {n}" in visible(row)
        assert ("проведено" if held else "запланировано") in visible(row)
        buttons = {f["button"]: f for f in forms(row)}
        said = f" заседания №{n} от {day}"              # each button names its meeting to a screen reader
        assert set(buttons) == {"Сформировать протокол" + said, "Лист регистрации" + said}
        buttons = {k.removesuffix(said): v for k, v in buttons.items()}
        assert f'<span class="visually-hidden">{said}</span>' in row
        if not held:
            assert "протокол — после заседания 20.05.2025" in visible(row)      # the reason, in text
        assert buttons["Сформировать протокол"]["fields"] | {"csrf_token": ""} == {
            "csrf_token": "", "kind": "protocol", "meeting": str(n)}
        assert buttons["Сформировать протокол"]["disabled"] is (not held)
        assert buttons["Лист регистрации"]["disabled"] is False
        assert buttons["Лист регистрации"]["fields"]["kind"] == "registration-sheet"
    others = {f["button"]: f["fields"].get("kind") for f in forms(body)}
    assert others["Приказ о составе"] == "order"
    assert others["План работы"] == "work-plan"
    assert others["Анализ работы"] == "annual-report"
    assert "Проверить снова" in others and "Документов пока нет." in visible(body)


def test_a_protocol_for_a_meeting_not_held_is_refused_even_if_posted(client, ws, tmp_path):
    a = add(ws, tmp_path, protocol_book())
    r = submit(client, f"/a/{a.slug}/documents", {"kind": "protocol", "meeting": "4"}, page=f"/a/{a.slug}")
    text = visible(main(follow(client, r).get_data(as_text=True)))
    assert "не выполнено" in text and "протокол составляется после заседания" in text
    assert "document.not_held" not in text          # the code only on hover
    assert ws.documents(a) == []


def test_protocol_from_button_to_download(client, ws, tmp_path):
    a = add(ws, tmp_path, protocol_book())
    r = submit(client, f"/a/{a.slug}/documents", {"kind": "protocol", "meeting": "2"}, page=f"/a/{a.slug}")
    job_page = follow(client, r).get_data(as_text=True)
    text = visible(main(job_page))
    assert "Протокол (заседание №2)" in text and "Состояние: готово" in text
    assert "Документ готов: Протокол №2 от 10.12.2024.docx" in text
    [version] = ws.documents(a)
    link = re.search(r'<a class="button" id="download" href="([^"]+)">Скачать \.docx</a>', job_page).group(1)
    assert link == f"/a/{a.slug}/documents/{version.id}"

    r = client.get(link)
    assert r.status_code == 200 and r.mimetype == DOCX
    assert "attachment" in r.headers["Content-Disposition"]
    assert "%D0%9F%D1%80%D0%BE%D1%82%D0%BE%D0%BA%D0%BE%D0%BB%20%E2%84%962" in r.headers["Content-Disposition"]
    t = docx_text(r.data)
    assert "ПРОТОКОЛ" in t and "Дата проведения: 10 декабря 2024 г." in t
    assert "Председатель – М.П. Иванова" in t and "Секретарь – Е.С. Смирнова" in t
    assert "Присутствовали: 9 человек" in t and "Вопрос 1 заседания 2" in t and "Решение по вопросу 2" in t

    page = main(client.get(f"/a/{a.slug}").get_data(as_text=True))
    row = row_of(page.split('id="documents"', 1)[1], "Протокол №2 от 10.12.2024.docx")
    assert f'href="/a/{a.slug}/documents/{version.id}">Скачать<span class="visually-hidden"> «Протокол №2 от ' \
           '10.12.2024.docx»</span></a>' in row
    assert f'href="/a/{a.slug}/documents/{version.id}/preview">Просмотр<span' in row
    assert "прежние версии" not in row

    journal = visible(page.split("<h2>Журнал</h2>", 1)[1])
    assert "сформирован документ «Протокол №2 от 10.12.2024.docx»" in journal
    assert "добавлено объединение" in journal and "книга проверена" in journal

    preview = client.get(f"/a/{a.slug}/documents/{version.id}/preview")
    assert preview.status_code == 200
    shown_text = visible(main(preview.get_data(as_text=True)))
    assert "ПРОТОКОЛ" in shown_text and "Председатель – М.П. Иванова" in shown_text
    assert "Решение по вопросу 2" in shown_text


def test_every_document_button_files_its_document(client, ws, tmp_path):
    a = add(ws, tmp_path, protocol_book())
    expected = {"registration-sheet": "Лист регистрации, заседание №4 от 20.05.2025.docx",
                "order": "Приказ о составе на 2024-2025 учебный год.docx",
                "work-plan": "План работы на 2024-2025 учебный год.docx",
                "annual-report": "Анализ работы за 2024-2025 учебный год.docx"}
    for kind, name in expected.items():
        data = {"kind": kind, "meeting": "4"} if kind == "registration-sheet" else {"kind": kind}
        text = visible(main(follow(client, submit(client, f"/a/{a.slug}/documents", data,
                                                   page=f"/a/{a.slug}")).get_data(as_text=True)))
        assert f"Документ готов: {name}" in text, text
    assert sorted(Path(v.location).name for v in ws.documents(a)) == sorted(expected.values())
    page = visible(main(client.get(f"/a/{a.slug}").get_data(as_text=True)))
    assert all(name in page for name in expected.values())


def test_regenerating_with_changed_data_keeps_the_earlier_version(client, ws, tmp_path):
    book = protocol_book()
    a = add(ws, tmp_path, book)
    submit(client, f"/a/{a.slug}/documents", {"kind": "protocol", "meeting": "2"}, page=f"/a/{a.slug}")
    book.agenda[2]["Решили"] = "Провести открытые уроки в марте"           # meeting 2, question 1
    book.save(Path(a.source))
    r = submit(client, f"/a/{a.slug}/documents", {"kind": "protocol", "meeting": "2"}, page=f"/a/{a.slug}")
    assert "не изменился" not in visible(main(follow(client, r).get_data(as_text=True)))

    first, second = sorted(ws.documents(a), key=lambda v: v.version)
    assert (first.version, second.version) == (1, 2)
    page = main(client.get(f"/a/{a.slug}").get_data(as_text=True))
    row = row_of(page.split('id="documents"', 1)[1], "Протокол №2 от 10.12.2024.docx")
    assert "<td>2</td>" in row and "прежние версии" in row
    assert f'href="/a/{a.slug}/documents/{first.id}">версия 1 от' in row
    assert f'/documents/{second.id}">Скачать<span' in row

    old, new = (docx_text(client.get(f"/a/{a.slug}/documents/{v.id}").data) for v in (first, second))
    assert "Решение по вопросу 1" in old and "Провести открытые уроки в марте" not in old
    assert "Провести открытые уроки в марте" in new and "Решение по вопросу 1" not in new
    old, new = (visible(main(client.get(f"/a/{a.slug}/documents/{v.id}/preview").get_data(as_text=True)))
                for v in (first, second))
    assert "Решение по вопросу 1" in old and "Провести открытые уроки в марте" not in old
    assert "Провести открытые уроки в марте" in new and "Решение по вопросу 1" not in new


def test_values_typed_in_the_workbook_are_never_markup(client, ws, tmp_path):
    book = protocol_book()
    book.info["Наименование МО"] = f"ММО {XSS}"
    book.meeting(1)["Тема"] = XSS
    book.agenda[0]["Решили"] = XSS                                        # meeting 1, question 1
    book.meeting(2)["Секретарь"] = XSS                                    # a finding that quotes it
    book.members[5]["Квалификационная категория"] = XSS
    a = add(ws, tmp_path, book)
    done = follow(client, submit(client, f"/a/{a.slug}/documents", {"kind": "protocol", "meeting": "1"},
                                 page=f"/a/{a.slug}"))
    refused = follow(client, submit(client, f"/a/{a.slug}/documents", {"kind": "protocol", "meeting": "2"},
                                    page=f"/a/{a.slug}"))
    [version] = ws.documents(a)
    assert XSS in docx_text(client.get(f"/a/{a.slug}/documents/{version.id}").data)   # as typed, in the .docx
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    pages = {"dashboard": client.get("/"), "association": client.get(f"/a/{a.slug}"), "job": done,
             "refused job": refused, "preview": client.get(f"/a/{a.slug}/documents/{version.id}/preview")}
    for name, r in pages.items():
        body = r.get_data(as_text=True)
        assert r.status_code == 200, name
        assert XSS not in body and "<script>alert" not in body, name
    assert escaped in pages["preview"].get_data(as_text=True)
    assert pages["association"].get_data(as_text=True).count(escaped) >= 3      # title, topic, findings
    assert escaped in pages["refused job"].get_data(as_text=True)


def test_a_version_of_another_association_is_not_found(client, ws, tmp_path):
    a = add(ws, tmp_path, protocol_book(), "a.xlsx")
    other = association("zdvinsky-mmo")
    other.info["Краткое наименование"] = "ММО физиков"
    b = add(ws, tmp_path, other, "b.xlsx")
    submit(client, f"/a/{a.slug}/documents", {"kind": "protocol", "meeting": "1"}, page=f"/a/{a.slug}")
    [version] = ws.documents(a)
    assert ws.documents(b) == []
    assert client.get(f"/a/{a.slug}/documents/{version.id}").status_code == 200
    for url in (f"/a/{b.slug}/documents/{version.id}", f"/a/{b.slug}/documents/{version.id}/preview",
                f"/a/{a.slug}/documents/{version.id + 100}", f"/a/nobody/documents/{version.id}"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert r.mimetype == "text/html" and "ПРОТОКОЛ" not in r.get_data(as_text=True)


def test_a_file_outside_the_documents_folder_is_never_served(client, ws, tmp_path):
    a = add(ws, tmp_path, protocol_book())
    submit(client, f"/a/{a.slug}/documents", {"kind": "protocol", "meeting": "1"}, page=f"/a/{a.slug}")
    [version] = ws.documents(a)
    secret = tmp_path / "secret.docx"
    secret.write_bytes(b"PK secret outside DOCUMENTS_DIR")
    root = Path(ws.settings["DOCUMENTS_DIR"])
    link = root / a.slug / "link.docx"
    link.symlink_to(secret)
    escapes = [str(secret), str(root / ".." / "secret.docx"), str(link), "/etc/passwd", str(root)]
    for location in escapes:
        with ws.sf() as s, s.begin():
            s.execute(update(DocumentVersion).where(DocumentVersion.id == version.id).values(location=location))
        for url in (f"/a/{a.slug}/documents/{version.id}", f"/a/{a.slug}/documents/{version.id}/preview"):
            r = client.get(url)
            assert r.status_code == 404, (location, url)
            assert b"secret outside" not in r.data and b"root:" not in r.data


def test_an_earlier_version_stored_outside_the_documents_folder_is_not_served(client, ws, tmp_path):
    book = protocol_book()
    a = add(ws, tmp_path, book)
    submit(client, f"/a/{a.slug}/documents", {"kind": "protocol", "meeting": "1"}, page=f"/a/{a.slug}")
    book.agenda[0]["Решили"] = "Другое решение"
    book.save(Path(a.source))
    submit(client, f"/a/{a.slug}/documents", {"kind": "protocol", "meeting": "1"}, page=f"/a/{a.slug}")
    first, second = sorted(ws.documents(a), key=lambda v: v.version)
    assert client.get(f"/a/{a.slug}/documents/{first.id}").status_code == 200
    secret = tmp_path / "secret.docx"
    secret.write_bytes(b"PK secret outside DOCUMENTS_DIR")
    with ws.sf() as s, s.begin():
        s.execute(update(DocumentVersion).where(DocumentVersion.id == second.id).values(stored_as=str(secret)))
    r = client.get(f"/a/{a.slug}/documents/{first.id}")
    assert r.status_code == 404 and b"secret outside" not in r.data


# ---------------------------------------------------------------- forms and CSRF

@pytest.mark.parametrize("token", [None, "", "wrong-token", "token-of-another-session"])
def test_a_form_without_its_token_is_refused(client, ws, tmp_path, token):
    a = add(ws, tmp_path, protocol_book())
    client.get(f"/a/{a.slug}")                                           # the session has a token
    if token == "token-of-another-session":
        other = signed_in_client(client.application)
        token = csrf_token(other, f"/a/{a.slug}")
    data = {"kind": "protocol", "meeting": "1"}
    if token is not None:
        data["csrf_token"] = token
    for url, form in ((f"/a/{a.slug}/documents", data), (f"/a/{a.slug}/check", {}), ("/reports/annual", {}),
                      ("/upload", {})):
        if token is not None:
            form = {**form, "csrf_token": token}
        r = client.post(url, data=form)
        assert r.status_code == 400, url
        body = r.get_data(as_text=True)
        assert r.mimetype == "text/html" and '<html lang="ru">' in body
        assert "Форма устарела: обновите страницу и повторите." in visible(main(body))
    with ws.sf() as s:
        assert s.scalar(select(func.count(Job.id))) == 0                  # nothing was asked for
    assert ws.documents(a) == []


def test_a_token_with_non_ascii_characters_is_refused_not_a_crash(client, ws, tmp_path):
    a = add(ws, tmp_path, protocol_book())
    client.get(f"/a/{a.slug}")
    r = client.post(f"/a/{a.slug}/documents", data={"csrf_token": "токен", "kind": "protocol", "meeting": "1"})
    assert r.status_code == 400
    assert "Форма устарела" in r.get_data(as_text=True)


def test_the_token_may_come_in_a_header(client, ws, tmp_path):
    a = add(ws, tmp_path, protocol_book())
    token = csrf_token(client, f"/a/{a.slug}")
    r = client.post(f"/a/{a.slug}/documents", data={"kind": "order"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 302 and "Документ готов" in follow(client, r).get_data(as_text=True)


def test_a_refused_protocol_shows_why_and_can_be_forced(client, ws, tmp_path):
    book = protocol_book()
    book.meeting(2)["Секретарь"] = None
    a = add(ws, tmp_path, book)
    r = submit(client, f"/a/{a.slug}/documents", {"kind": "protocol", "meeting": "2"}, page=f"/a/{a.slug}")
    refused = follow(client, r).get_data(as_text=True)
    text = visible(main(refused))
    assert "Состояние: не выполнено" in text
    assert "В книге ошибка, которая попала бы в документ:" in text
    assert "не указан секретарь — протокол некому подписать" in text
    assert ws.documents(a) == []                                          # nothing half-right was filed
    [force] = [f for f in forms(main(refused)) if f["button"].startswith("Всё равно сформировать")]
    assert force["action"] == f"/a/{a.slug}/documents"
    assert force["fields"]["force"] == "1" and force["fields"]["kind"] == "protocol"
    assert force["fields"]["meeting"] == "2"

    done = follow(client, client.post(force["action"], data=force["fields"]))
    text = visible(main(done.get_data(as_text=True)))
    assert "Состояние: готово" in text and "Сформирован с нарушениями" in text
    assert "не указан секретарь" in text
    [version] = ws.documents(a)
    t = docx_text(client.get(f"/a/{a.slug}/documents/{version.id}").data)
    first = [line for line in t.splitlines() if line.strip()][:2]
    assert first[0].startswith("ВНИМАНИЕ") and "не указан секретарь" in first[1]
    assert "ПРОТОКОЛ" in t


# ---------------------------------------------------------------- two clicks, one document

def test_two_clicks_make_one_document(client, ws, tmp_path):
    a = add(ws, tmp_path, protocol_book())
    data = {"kind": "protocol", "meeting": "3"}
    first = follow(client, submit(client, f"/a/{a.slug}/documents", data, page=f"/a/{a.slug}"))
    second = follow(client, submit(client, f"/a/{a.slug}/documents", data, page=f"/a/{a.slug}"))
    assert "готово" in visible(main(first.get_data(as_text=True)))
    assert "не изменился с прошлого раза" in visible(main(second.get_data(as_text=True)))
    assert [v.version for v in ws.documents(a)] == [1]
    assert len(list(Path(ws.settings["DOCUMENTS_DIR"]).rglob("*.docx"))) == 1


def test_two_clicks_while_the_job_waits_give_the_same_job(queued_app, tmp_path):
    client, ws = signed_in_client(queued_app), queued_app.extensions["workspace"]
    a = add(ws, tmp_path, protocol_book())
    data = {"kind": "protocol", "meeting": "3"}
    first = submit(client, f"/a/{a.slug}/documents", data, page=f"/a/{a.slug}")
    second = submit(client, f"/a/{a.slug}/documents", data, page=f"/a/{a.slug}")
    assert job_id_of(first) == job_id_of(second)
    text = visible(main(follow(client, second).get_data(as_text=True)))
    assert "Состояние: в очереди" in text
    assert "Страницу можно закрыть и вернуться позже" in text
    assert ws.documents(a) == []

    assert run(ws, job_id_of(first)) == records.DONE                     # the worker picks it up
    text = visible(main(client.get(first.headers["Location"]).get_data(as_text=True)))
    assert "Состояние: готово" in text and "Документ готов: Протокол №3 от 18.02.2025.docx" in text
    assert [v.version for v in ws.documents(a)] == [1]


# ---------------------------------------------------------------- blank workbook

def test_blank_workbook_download(client):
    r = client.get("/blank.xlsx")
    assert r.status_code == 200
    assert r.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in r.headers["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(r.data))
    assert wb.sheetnames[:8] == ["Инструкция", "Сведения", "Состав", "Заседания", "Повестка", "Посещаемость",
                                 "План", "Достижения"]
    headers = [c.value for c in next(wb["Состав"].iter_rows(max_row=1))]
    assert "ФИО" in headers and "Роль в МО" in headers
    r = client.get("/blank.xlsx?regulation=zdvinsky-mmo")
    guide = " ".join(str(row[0]) for row in openpyxl.load_workbook(io.BytesIO(r.data))["Инструкция"]
                     .iter_rows(values_only=True) if row[0])
    assert "(zdvinsky-mmo)" in guide


def test_blank_workbook_for_libreoffice_download(client, ws, tmp_path):
    r = client.get("/blank.ods?regulation=zalesovo-mmo")
    assert r.status_code == 200 and r.mimetype == "application/vnd.oasis.opendocument.spreadsheet"
    assert "attachment" in r.headers["Content-Disposition"] and ".ods" in r.headers["Content-Disposition"]
    path = tmp_path / "blank.ods"
    path.write_bytes(r.data)
    from service.sources.workbook_file import WorkbookFileSource
    raw = WorkbookFileSource(path).read()
    assert raw.titles()[:3] == ["Инструкция", "Сведения", "Состав"]
    info = dict((values[0], values[1]) for _, values in raw.tabs[1].rows if len(values) > 1)
    assert info["Положение"] == "zalesovo-mmo"
    page = main(client.get("/upload").get_data(as_text=True))
    assert 'href="/blank.ods"' in page and 'accept=".xlsx,.xlsm,.ods,.xls"' in page


def test_blank_workbook_for_an_unknown_regulation_is_a_bad_request(client):
    r = client.get("/blank.xlsx?regulation=unknown")
    assert r.status_code == 400 and r.mimetype == "text/html"
    assert "Положение «unknown» неизвестно." in visible(main(r.get_data(as_text=True)))


# ---------------------------------------------------------------- long work: every annual report

def test_annual_reports_for_all_show_progress_and_file_one_each(client, ws, tmp_path):
    made = three_associations(ws, tmp_path)
    r = submit(client, "/reports/annual")
    job_id = job_id_of(r)
    for _ in range(2):                                                   # leave and come back
        text = visible(main(client.get(f"/jobs/{job_id}").get_data(as_text=True)))
        assert "Анализ работы для всех МО" in text and "Состояние: готово 3 из 3" in text
        page = main(client.get(f"/jobs/{job_id}").get_data(as_text=True))
        for a in made:                 # each association's document, linked, and all of them in one ZIP
            [v] = ws.documents(a)
            row = row_of(page, f'href="/a/{a.slug}"')
            assert a.short_name in visible(row) and f'href="/a/{a.slug}/documents/{v.id}"' in row
        assert f'href="/jobs/{job_id}/documents.zip"' in page
    job = records.get(ws.sf, job_id)
    assert (job.kind, job.state, job.progress_done, job.progress_total) == ("annual-all", "done", 3, 3)
    for a in made:
        versions = ws.documents(a)
        assert [(v.kind, v.version) for v in versions] == [("annual-report", 1)]
        assert "АНАЛИЗ РАБОТЫ" in docx_text(client.get(f"/a/{a.slug}/documents/{versions[0].id}").data)
    dashboard = visible(main(client.get("/").get_data(as_text=True)))
    assert "Документы для всех МО: Анализ работы" in dashboard and "готово (3 из 3)" in dashboard


def test_annual_reports_progress_while_running_and_after_revisiting(queued_app, tmp_path, monkeypatch):
    client, ws = signed_in_client(queued_app), queued_app.extensions["workspace"]
    three_associations(ws, tmp_path)
    job_id = job_id_of(submit(client, "/reports/annual"))
    assert job_id_of(submit(client, "/reports/annual")) == job_id       # a second click joins it
    text = visible(main(client.get(f"/jobs/{job_id}").get_data(as_text=True)))
    assert "Состояние: в очереди" in text and "Страницу можно закрыть" in text

    seen = pages_while_generating(monkeypatch, ws, client, job_id)
    assert run(ws, job_id) == records.DONE
    states = [re.search(r"Состояние: (\S+) (\d+ из \d+)", page).groups() for page in seen]
    assert states == [("выполняется", "0 из 3"), ("выполняется", "1 из 3"), ("выполняется", "2 из 3")]
    text = visible(main(client.get(f"/jobs/{job_id}").get_data(as_text=True)))
    assert "Состояние: готово 3 из 3" in text


def test_two_associations_with_the_same_short_name_keep_their_own_documents(client, ws, tmp_path):
    zdvinsk = add(ws, tmp_path, association("zdvinsky-mmo"), "zdvinsk.xlsx")
    other = association("zdvinsky-mmo")
    other.info["Наименование МО"] = "Муниципальное методическое объединение учителей математики Кочковского района"
    other.info["Территория"] = "Кочковский район"
    other.agenda[0]["Решили"] = "Решение кочковских математиков"
    kochki = add(ws, tmp_path, other, "kochki.xlsx")
    assert zdvinsk.short_name == kochki.short_name == "ММО математиков" and zdvinsk.slug != kochki.slug
    for a in (zdvinsk, kochki):
        submit(client, f"/a/{a.slug}/documents", {"kind": "protocol", "meeting": "1"}, page=f"/a/{a.slug}")
    for a, decision in ((zdvinsk, "Решение по вопросу 1"), (kochki, "Решение кочковских математиков")):
        [version] = ws.documents(a)
        assert version.version == 1
        assert decision in docx_text(client.get(f"/a/{a.slug}/documents/{version.id}").data)


def test_one_unreadable_workbook_does_not_stop_the_annual_reports(client, ws, tmp_path):
    maths, physics, chemistry = three_associations(ws, tmp_path)
    Path(physics.source).write_text("это уже не таблица", encoding="utf-8")
    text = visible(main(follow(client, submit(client, "/reports/annual")).get_data(as_text=True)))
    assert "Состояние: готово 3 из 3" in text
    assert "Готово: 2 из 3; не сформировано: 1." in text
    assert f"{physics.short_name} не сформирован: Это не книга электронной таблицы." in text
    assert [v.kind for v in ws.documents(maths)] == ["annual-report"] == [v.kind for v in ws.documents(chemistry)]
    assert ws.documents(physics) == []


# ---------------------------------------------------------------- the association page reads the database only

def test_the_association_page_never_reads_the_workbook(client, ws, tmp_path, monkeypatch):
    from service.sources.workbook_file import WorkbookFileSource

    a = add(ws, tmp_path, association("zdvinsky-mmo"))

    def refuse(self):
        raise AssertionError("the association page read the workbook")

    monkeypatch.setattr(WorkbookFileSource, "read", refuse)
    Path(a.source).unlink()                                   # not even there any more
    text = visible(main(client.get(f"/a/{a.slug}").get_data(as_text=True)))
    assert "Тема заседания 1" in text and "18.02.2025" in text and "Сформировать протокол" in text
    assert "Состав: 12 педагогов · руководитель Иванова М.П. · секретарь Смирнова Е.С." in text


def test_a_meeting_planned_at_the_check_is_held_once_its_day_has_come(client, ws, tmp_path):
    from sqlalchemy import update

    from service.workspace.models import Snapshot

    a = add(ws, tmp_path, association("zdvinsky-mmo"))
    snap = ws.latest_snapshot(a.id)
    meetings = snap.summary["meetings"]
    meetings[0]["date"] = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    meetings[1]["date"] = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    with ws.sf() as s, s.begin():
        s.execute(update(Snapshot).where(Snapshot.id == snap.id).values(summary={**snap.summary, "meetings": meetings}))
    rows = main(client.get(f"/a/{a.slug}").get_data(as_text=True))
    assert "запланировано" in visible(rows) and "проведено" in visible(rows)


def test_a_check_made_before_snapshots_kept_meetings_asks_for_a_new_one(client, ws, tmp_path):
    from sqlalchemy import update

    from service.workspace.models import Snapshot

    a = add(ws, tmp_path, association("zdvinsky-mmo"))
    with ws.sf() as s, s.begin():
        s.execute(update(Snapshot).values(summary=None))
    text = visible(main(client.get(f"/a/{a.slug}").get_data(as_text=True)))
    assert "Список заседаний появится после следующей проверки книги" in text
    assert "Замечаний нет." in text
