"""The schema stage on whole workbooks: «Сведения» keys the documents need, and
meeting rows that are meetings even when their date cannot be read."""
from __future__ import annotations

import datetime as dt

from service.schema.reader import read_workbook
from tests.factories import association, year_end


def read(book):
    return read_workbook(book.raw(), year_end())


def test_new_info_keys_are_read_with_lists_item_by_item():
    wb, findings = read(association())
    info = wb.info
    assert info.place == "с. Здвинск"
    assert info.theme.startswith("Формирование функциональной грамотности")
    assert info.aim.startswith("Повышение профессиональной компетентности")
    assert info.tasks == ["Изучать и внедрять эффективные практики", "Обобщать опыт педагогов."]
    assert info.problems == ["Низкая активность в конкурсах", "мало открытых уроков"]
    assert info.next_tasks == ["Подготовить двух участников конкурса «Учитель года»"]
    assert info.control is None
    assert not [f for f in findings if f.sheet == "Сведения"]


def test_synonyms_of_the_new_keys():
    book = association()
    for old, new in (("Место составления", "Населённый пункт"), ("Методическая тема", "Единая методическая тема"),
                     ("Задачи на следующий год", "Задачи на новый учебный год")):
        book.info[new] = book.info.pop(old)
    book.info["Контроль за исполнением приказа"] = "Кравец Людмила Петровна, методист ММС"
    wb, _ = read(book)
    assert wb.info.place == "с. Здвинск" and wb.info.theme and wb.info.next_tasks
    assert wb.info.control == "Кравец Людмила Петровна, методист ММС"


def test_an_empty_place_of_compilation_is_an_info_finding_at_its_cell():
    book = association()
    book.info["Место составления"] = None
    _, findings = read(book)
    (f,) = [f for f in findings if f.code == "info.place_missing"]
    assert f.severity == "info" and f.sheet == "Сведения" and f.cell == "B13"
    assert f.message.startswith("B13: не заполнено «Место составления»") and "с. Здвинск" in f.message


def test_a_missing_place_row_is_an_info_finding_without_a_cell():
    book = association()
    del book.info["Место составления"]
    _, findings = read(book)
    (f,) = [f for f in findings if f.code == "info.place_missing"]
    assert f.cell is None and f.message.startswith("В «Сведениях» нет строки «Место составления»")


def test_a_meeting_with_an_unreadable_date_is_remembered_by_its_number():
    book = association()
    book.meeting(3)["Дата"] = "31.02.2025"
    book.meeting(4)["Дата"] = None
    wb, findings = read(book)
    assert [m.number for m in wb.meetings] == [1, 2]
    three, four = wb.undated_meetings[3], wb.undated_meetings[4]
    assert (three.cell, three.typed) == ("B4", "31.02.2025")
    assert (four.cell, four.typed) == ("B5", None)
    # its agenda is not «an unknown meeting»
    assert not [f for f in findings if f.code == "ref.unknown_meeting"]
