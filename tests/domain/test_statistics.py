"""The numbers of the year's analysis."""
from __future__ import annotations

import datetime as dt

from service.domain import statistics
from service.pipeline import check
from tests.domain import BookSource, compliant, year_end

D = dt.date


def data(book):
    return check(BookSource(book), as_of=year_end()).data


def test_an_empty_column_gives_no_rows_and_unknown_comes_last():
    assert statistics.shares([None, None], ["высшее"]) == []
    assert statistics.shares(["высшее", None, "среднее профессиональное"], ["высшее", "среднее профессиональное"]) == [
        {"label": "высшее", "count": 1, "percent": 33},
        {"label": "среднее профессиональное", "count": 1, "percent": 33},
        {"label": "не указано", "count": 1, "percent": 33}]


def test_with_category_counts_real_categories_only():
    book = compliant("zdvinsky-mmo")
    book.members[5]["Квалификационная категория"] = "главная"           # unreadable: not a category
    book.members[7]["Дата присвоения категории"] = D(2019, 5, 1)          # expired in 2024: not a category
    wb = data(book)
    staff = statistics.staff(wb.members, D(2025, 8, 31))
    assert staff["total"] == 12 and staff["with_category"] == 6
    labels = {r["label"]: r["count"] for r in staff["categories"]}
    assert labels == {"высшая": 3, "первая": 3, "без категории": 5, "не указано": 1}


def test_experience_bands_start_with_young_specialists():
    book = compliant("zdvinsky-mmo")
    book.members[3]["Педагогический стаж"] = 2
    wb = data(book)
    rows = statistics.staff(wb.members, D(2025, 8, 31))["experience"]
    assert rows[0] == {"label": "до 3 лет", "count": 1, "percent": 8}
    assert [y["full_name"] for y in statistics.young_specialists(wb.members)] == [wb.members[3].full_name]


def test_put_off_and_not_done_and_overdue_are_late():
    book = compliant("zdvinsky-mmo")
    book.plan[0]["Отметка о выполнении"] = "перенесено"
    book.plan[1]["Отметка о выполнении"] = "не выполнено"
    book.plan[2]["Отметка о выполнении"] = None                         # due 18.02.2025, no mark
    plan = statistics.plan_execution(data(book), year_end())
    assert (plan["done"], plan["percent_done"]) == (1, 25)
    assert [(x["number"], x["mark"]) for x in plan["late"]] == [(1, "перенесено"), (2, "не выполнено"),
                                                                (3, "нет отметки")]


def test_events_are_plan_items_other_than_meetings():
    book = compliant("zdvinsky-mmo")
    book.plan[0]["Форма"] = "заседание"
    book.plan[1]["Форма"] = None
    assert [e["number"] for e in statistics.events(data(book))] == [3, 4]


def test_meetings_held_in_date_order_with_questions():
    book = compliant("zdvinsky-mmo")
    book.meeting(4)["Статус"] = "отменено"
    held = statistics.meetings_held(data(book), year_end())
    assert [(m["number"], m["present"], m["total"]) for m in held] == [(1, 9, 12), (2, 9, 12), (3, 9, 12)]
    assert held[0]["questions"] == ["Вопрос 1 заседания 1", "Вопрос 2 заседания 1"]
