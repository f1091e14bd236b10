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


# ---------------------------------------------------------------- tabs and columns of the regulations' documents

def test_the_needs_tab_under_its_synonyms_with_members_resolved():
    book = association()
    book.titles["needs"] = "Профессиональные дефициты"
    book.renamed["Затруднение / потребность"] = "Профессиональный дефицит"
    wb, findings = read(book)
    assert wb.sheets["needs"] == "Профессиональные дефициты"
    assert [(n.member.full_name, n.need, n.help, n.due.text) for n in wb.needs][0] == (
        "Соколова Светлана Юрьевна", "Подготовка обучающихся к ОГЭ по геометрии", "консультация", "октябрь")
    assert not [f for f in findings if f.sheet == "Профессиональные дефициты"]


def test_a_needs_row_naming_nobody_on_the_composition_is_a_warning_and_kept():
    book = association()
    book.needs.append({"ФИО": "Новенькая О.И.", "Затруднение / потребность": "Смысловое чтение", "Срок": "май"})
    wb, findings = read(book)
    [f] = [f for f in findings if f.sheet == "Потребности"]
    assert (f.code, f.severity, f.cell) == ("ref.unknown_member", "warning", "A5")
    assert "потребность учтена" in f.message and wb.needs[-1].member is None


def test_an_open_list_keeps_what_it_does_not_know_and_a_closed_one_does_not():
    book = association()
    book.plan[0]["Для кого"] = "Молодые педагоги"                  # a synonym
    book.plan[1]["Для кого"] = "учителя 5–9 классов"               # its own group: kept as typed
    book.achievements[1]["Вид"] = "Эффективная педагогическая практика"
    book.needs[0]["Форма помощи"] = "стажировка"
    wb, findings = read(book)
    assert [p.audience for p in wb.plan[:2]] == ["молодые и вновь прибывшие специалисты", "учителя 5–9 классов"]
    assert wb.achievements[1].kind == "практика" and wb.needs[0].help == "стажировка"
    assert not [f for f in findings if f.code == "cell.bad_choice"]
    book.achievements[1]["Вид"] = "диплом"
    assert [f.cell for f in read(book)[1] if f.code == "cell.bad_choice"] == ["B3"]


def test_members_titles_and_authored_works_are_read_as_typed():
    wb, _ = read(association())
    assert wb.members[0].titles_awards == "Почётная грамота Министерства просвещения РФ"
    assert wb.members[1].authored_works == "Рабочая программа курса «Практикум по геометрии»"
