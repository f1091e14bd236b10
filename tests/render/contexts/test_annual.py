"""Анализ работы за учебный год, generated and read back: a methodist's analysis with
numbered tables and charts, dated and agreed as the regulation says, without the
register's diagnostics."""
from __future__ import annotations

import datetime as dt
import re
import zipfile

import pytest

from tests.factories import association
from tests.support.documents import lines, make, rows, text

D = dt.date


def analysis(generator, tmp_path, book, **request):
    return make(generator, tmp_path, book, "annual-report", **request)


def sections(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == "МО: раздел"]


def captions(document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def test_the_sections_of_a_methodists_analysis(generator, tmp_path):
    _, d = analysis(generator, tmp_path, association("zdvinsky-mmo"))
    assert sections(d) == [
        "1. Методическая тема, цель и задачи", "2. Кадровый состав", "3. Заседания", "4. Выполнение плана работы",
        "5. Семинары, открытые уроки и другие мероприятия", "6. Работа с молодыми специалистами",
        "7. Достижения педагогов", "8. Аттестация в следующем учебном году", "9. Документация ММО математиков",
        "10. Выводы", "11. Проблемы и задачи на следующий учебный год"]
    t = text(d)
    assert "Методическая тема: «Формирование функциональной грамотности обучающихся на уроках математики»." in t
    assert "за 2024/2025 учебный год" in t


def test_tables_and_figures_are_numbered_and_captioned(generator, tmp_path):
    outcome, d = analysis(generator, tmp_path, association("zdvinsky-mmo"))
    tables = captions(d, "МО: название таблицы")
    assert tables[:4] == ["Таблица 1 – Уровень образования педагогов",
                          "Таблица 2 – Квалификационные категории педагогов",
                          "Таблица 3 – Педагогический стаж", "Таблица 4 – Возраст педагогов"]
    assert [int(re.match(r"Таблица (\d+)", c).group(1)) for c in tables] == list(range(1, len(tables) + 1))
    assert captions(d, "МО: подпись рисунка") == ["Рисунок 1 – Квалификационные категории педагогов",
                                                 "Рисунок 2 – Педагогический стаж",
                                                 "Рисунок 3 – Посещаемость заседаний"]
    with zipfile.ZipFile(outcome.filed.location) as zf:
        assert len([n for n in zf.namelist() if n.startswith("word/media/")]) == 3


def test_an_empty_column_leaves_its_table_out_and_the_numbers_follow(generator, tmp_path):
    book = association("zdvinsky-mmo")
    for m in book.members:
        m["Образование"] = None
        m["Дата рождения"] = None
    _, d = analysis(generator, tmp_path, book)
    t = text(d)
    assert "не указано | 12 | 100%" not in t and "Уровень образования" not in t and "Возраст" not in t
    assert captions(d, "МО: название таблицы")[:2] == ["Таблица 1 – Квалификационные категории педагогов",
                                                      "Таблица 2 – Педагогический стаж"]


def test_the_share_with_a_category_counts_only_real_categories(generator, tmp_path):
    """«не указано» (an unreadable category) and «без категории» are not categories."""
    book = association("zdvinsky-mmo")
    book.members[5]["Квалификационная категория"] = "главная"         # member 5 has «первая» in the factory
    _, d = analysis(generator, tmp_path, book, force=True)
    t = text(d)
    assert "В составе ММО математиков 12 педагогов; квалификационную категорию имеют 7 (58%)." in t
    assert "Квалификационную категорию имеют 7 из 12 педагогов (58%)." in t
    assert ["не указано", "1", "8%"] in rows(d, "Категория")
    assert ["без категории", "4", "33%"] in rows(d, "Категория")


def test_dated_by_the_submission_of_the_analysis(generator, tmp_path):
    _, d = analysis(generator, tmp_path, association("zdvinsky-mmo"))
    assert lines(d)[2] == "02.05.2025"


@pytest.mark.parametrize("reg, date", [("novokuznetsk-gpmo", "15.05.2025"), ("novokuznetsk-rpmo", "05.05.2025"),
                                       ("zalesovo-mmo", "31.05.2025"), ("zdvinsky-mmo", "«___» ____________ 20__ г.")])
def test_without_a_submission_date_the_regulations_deadline_or_a_blank(generator, tmp_path, reg, date):
    book = association(reg)
    book.info["Дата представления анализа работы"] = None
    _, d = analysis(generator, tmp_path, book, as_of=D(2025, 9, 1))
    ls = lines(d)
    assert ls[ls.index("АНАЛИЗ РАБОТЫ") + 1] == date
    assert "01.09.2025" not in ls[:8]                                # never the day it was printed


@pytest.mark.parametrize("reg", ["zdvinsky-mmo", "kamensk-uralsky-cpmss", "zalesovo-mmo"])
def test_other_analyses_carry_no_stamp(generator, tmp_path, reg):
    _, d = analysis(generator, tmp_path, association(reg))
    assert lines(d)[0] == "МУНИЦИПАЛЬНОЕ МЕТОДИЧЕСКОЕ ОБЪЕДИНЕНИЕ УЧИТЕЛЕЙ МАТЕМАТИКИ"
    assert "СОГЛАСОВАНО" not in text(d) and "УТВЕРЖДАЮ" not in text(d)


def test_meetings_held_with_their_topics_questions_and_attendance(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.meeting(4)["Статус"] = "запланировано"
    _, d = analysis(generator, tmp_path, book, as_of=D(2025, 5, 1))
    held = rows(d, "Тема и рассмотренные вопросы")
    assert [r[0] for r in held] == ["1", "2", "3"]
    assert held[1] == ["2", "10.12.2024", "Тема заседания 2\n1. Вопрос 1 заседания 2\n2. Вопрос 2 заседания 2",
                       "9 из 12"]
    assert "За учебный год проведено 3 заседания; средняя посещаемость – 75%" in text(d)


def test_put_off_counts_as_not_done_on_time(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.plan[1]["Отметка о выполнении"] = "перенесено"
    _, d = analysis(generator, tmp_path, book)
    t = text(d)
    assert "В плане 4 мероприятия, выполнено 3 (75%)." in t
    assert "1. Мероприятие 2 (срок – ноябрь; перенесено)." in t
    assert "План работы выполнен на 75%: выполнено 3 из 4 мероприятий; не выполнено в срок — 1." in t


def test_young_specialists(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.members[9]["Педагогический стаж"] = 1
    book.plan[2]["Мероприятие"] = "Наставничество для молодых педагогов"
    _, d = analysis(generator, tmp_path, book)
    assert rows(d, "Стаж, лет") == [["Волкова Людмила Андреевна", "МБОУ СОШ №2", "учитель математики", "1"]]
    t = text(d)
    assert "В составе 1 молодой специалист (педагогический стаж менее 3 лет)." in t
    assert "1. Наставничество для молодых педагогов (срок – 18.02.2025; выполнено)." in t


def test_no_young_specialists_is_said_plainly(generator, tmp_path):
    _, d = analysis(generator, tmp_path, association("zdvinsky-mmo"))
    assert "Молодых специалистов (педагогический стаж менее 3 лет) в составе нет." in text(d)


def test_problems_and_next_years_tasks(generator, tmp_path):
    _, d = analysis(generator, tmp_path, association("zdvinsky-mmo"))
    ls = lines(d)
    at = ls.index("Проблемы:")
    assert ls[at + 1:at + 3] == ["1. Низкая активность в конкурсах.", "2. Мало открытых уроков."]
    at = ls.index("Задачи на 2025/2026 учебный год:")
    assert ls[at + 1] == "1. Подготовить двух участников конкурса «Учитель года»."


def test_without_problems_the_section_is_left_out_and_the_head_is_told(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.info["Проблемы"] = book.info["Задачи на следующий год"] = None
    outcome, d = analysis(generator, tmp_path, book)
    assert sections(d)[-1] == "10. Выводы"
    assert {f.message for f in outcome.notes} == {
        "В «Сведениях» не заполнено «Проблемы»: в анализе этого раздела нет.",
        "В «Сведениях» не заполнено «Задачи на следующий год»: в анализе этого раздела нет."}


def test_no_register_diagnostics_inside(generator, tmp_path):
    """Breaches are stated as a methodist would (a quarter without a meeting); warnings of the
    register (a bad e-mail) and cells or codes never appear in the analysis."""
    book = association("zdvinsky-mmo")
    book.meeting(3)["Статус"] = "отменено"
    book.members[4]["E-mail"] = "not-an-address"
    outcome, d = analysis(generator, tmp_path, book)
    t = text(d)
    assert ["январь – март 2025 г.", "1", "0", "не выполнено"] in rows(d, "Период")
    assert "Не состоялись (отменены): заседание №3 от 18.02.2025." in t
    assert "за январь – март 2025 г. проведено 0 при норме 1" in t
    assert "not-an-address" not in t and "K6" not in t and not re.search(r"\b[a-z]+\.[a-z_]+\b", t)
    assert "Замечания" not in t and "ВНИМАНИЕ" not in t


def test_a_school_year_period_is_written_as_in_office_documents(generator, tmp_path):
    book = association("zalesovo-mmo")
    book.meeting(2)["Статус"] = "отменено"
    _, d = analysis(generator, tmp_path, book)
    assert rows(d, "Период") == [["2024/2025 учебный год", "4", "3", "не выполнено"]]
    assert "за 2024/2025 учебный год проведено 3 при норме 4" in text(d)
