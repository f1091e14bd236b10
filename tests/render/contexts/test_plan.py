"""План работы, generated and read back: the approval marks each regulation calls for,
theme, aim and tasks, the directions of Здвинский п. 5.2(5), the year's meetings."""
from __future__ import annotations

import datetime as dt

import pytest

from service.documents import DocumentRefused
from tests.factories import association
from tests.support.documents import lines, make, rows, stamp, text


def plan(generator, tmp_path, book):
    return make(generator, tmp_path, book, "work-plan")


def test_zdvinsky_head_approves(generator, tmp_path):
    """п. 5.2(3): руководитель разрабатывает и утверждает план."""
    _, d = plan(generator, tmp_path, association("zdvinsky-mmo"))
    left, right = stamp(d)
    assert left == []
    assert right == ["УТВЕРЖДАЮ", "Руководитель ММО математиков", "________ М.П. Иванова",
                     "«___» ____________ 20__ г."]


def test_kamensk_approved_by_the_directors_order_and_considered_at_a_meeting(generator, tmp_path):
    """п. 5.1: составляется руководителем, рассматривается на заседании МО, утверждается приказом директора ЦПМСС."""
    book = association("kamensk-uralsky-cpmss")
    book.agenda[0]["Вопрос"] = "Об утверждении плана работы МО на 2024-2025 учебный год"
    _, d = plan(generator, tmp_path, book)
    left, right = stamp(d)
    assert right == ["УТВЕРЖДЁН", "приказом директора ЦПМСС", "от ________ № ____"]
    assert left == ["РАССМОТРЕН", "на заседании МО", "(протокол от 24.09.2024 № 1)"]


def test_kamensk_plan_for_the_next_year_is_not_this_plans_protocol(generator, tmp_path):
    book = association("kamensk-uralsky-cpmss")
    book.agenda[-1]["Вопрос"] = "О плане работы на 2025-2026 учебный год"
    _, d = plan(generator, tmp_path, book)
    assert stamp(d)[0] == ["РАССМОТРЕН", "на заседании МО", "(протокол от ________ № ____)"]


@pytest.mark.parametrize("reg", ["biysk-social-pedagogues", "zalesovo-mmo"])
def test_regulations_that_do_not_say_who_approves_leave_the_stamp_to_complete(generator, tmp_path, reg):
    book = association(reg, position="социальный педагог" if reg.startswith("biysk") else "учитель математики")
    _, d = plan(generator, tmp_path, book)
    left, right = stamp(d)
    assert right == ["УТВЕРЖДАЮ", "______________________________", "________ / ____________",
                     "«___» ____________ 20__ г."]
    assert "И.П. Сидоров" not in text(d) and left == []


def test_theme_aim_tasks_and_directions(generator, tmp_path):
    _, d = plan(generator, tmp_path, association("zdvinsky-mmo"))
    ls = lines(d)
    start = ls.index("ПЛАН РАБОТЫ")
    assert ls[start + 1:start + 3] == ["с. Здвинск", "на 2024/2025 учебный год"]
    assert ("Методическая тема: «Формирование функциональной грамотности обучающихся на уроках математики»."
            in ls)
    assert "Цель: Повышение профессиональной компетентности учителей математики." in ls
    tasks = ls.index("Задачи:")
    assert ls[tasks + 1:tasks + 3] == ["1. Изучать и внедрять эффективные практики.", "2. Обобщать опыт педагогов."]
    directions = ls.index("Направления работы (п. 5.2(5) Положения):")
    assert ls[directions + 1:directions + 5] == [
        "– сетевое взаимодействие;", "– проектная деятельность и обмен педагогическим опытом;",
        "– использование ИКТ в образовательной деятельности;", "– мониторинг качества образования."]


@pytest.mark.parametrize("reg", ["kamensk-uralsky-cpmss", "novokuznetsk-gpmo", "zalesovo-mmo"])
def test_only_zdvinsky_lists_directions(generator, tmp_path, reg):
    assert "Направления работы" not in text(plan(generator, tmp_path, association(reg))[1])


def test_the_years_meetings_with_their_questions_and_speakers(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.meeting(3)["Статус"] = "отменено"
    book.agenda[2]["Слушали"] = "Кузнецова О.В."
    _, d = plan(generator, tmp_path, book)
    meetings = rows(d, "Тема и вопросы")
    assert [r[:2] for r in meetings] == [["1", "24.09.2024"], ["2", "10.12.2024"], ["4", "20.05.2025"]]
    topic = d.tables[1].rows[2].cells[2]
    assert [p.text for p in topic.paragraphs] == ["Тема заседания 2", "1. Вопрос 1 заседания 2",
                                                  "2. Вопрос 2 заседания 2"]
    assert meetings[1][3] == "Кузнецова О.В., Иванова М.П."
    events = rows(d, "Мероприятие")
    assert [r[1] for r in events] == ["Мероприятие 1", "Мероприятие 2", "Мероприятие 3", "Мероприятие 4"]
    assert events[0][3] == "сентябрь" and events[3][3] == "в течение года"


def test_missing_theme_is_a_note_and_the_lines_are_left_out(generator, tmp_path):
    book = association("zdvinsky-mmo")
    for key in ("Методическая тема", "Цель", "Задачи"):
        book.info[key] = None
    outcome, d = plan(generator, tmp_path, book)
    assert "Методическая тема" not in text(d) and "Задачи:" not in text(d)
    assert [f.cell for f in outcome.notes] == ["B14", "B15", "B16"]
    assert all(f.code == "document.missing_data" and f.severity == "warning" for f in outcome.notes)


def test_a_plan_error_refuses_the_plan(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.plan[1]["Отметка о выполнении"] = "наполовину"
    with pytest.raises(DocumentRefused) as refused:
        plan(generator, tmp_path, book)
    assert [f.cell for f in refused.value.findings] == ["F3"]


def test_a_meeting_without_topic_or_questions_keeps_an_empty_cell(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.meeting(4)["Тема"] = None
    book.agenda = [a for a in book.agenda if a["№ заседания"] != 4]
    book.meeting(4)["Статус"] = "запланировано"
    _, d = make(generator, tmp_path, book, "work-plan", as_of=dt.date(2025, 3, 1))
    cell = d.tables[1].rows[4].cells[2]
    assert [p.text for p in cell.paragraphs] == [""]
    first = d.tables[1].rows[1].cells[2]
    assert [p.text for p in first.paragraphs][0] == "Тема заседания 1"
