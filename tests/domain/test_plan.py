"""plan_required and plan_deadlines: every regulation works by a plan for the school
year (Каменск-Уральский п. 5.1, 9.3; Бийск п. 5.1, 6.1; Здвинский п. 5.2(3);
ГПМО п. 4.5; РПМО п. 10.3; Залесово п. 4.1)."""
from __future__ import annotations

import pytest

from service.schema.findings import ERROR, WARNING
from tests.domain import (
    ALL, D, PLAN, cited, compliant, only, plan_row, regs_with, run,
)


def test_every_regulation_requires_a_plan_and_its_deadlines():
    assert regs_with("plan_required") == ALL
    assert regs_with("plan_deadlines") == ALL


# ---------------------------------------------------------------- plan_required

@pytest.mark.parametrize("reg", ALL)
def test_empty_plan(reg):
    book = compliant(reg)
    book.plan = []
    f = only(run(book), "plan.missing")
    assert f.severity == ERROR
    assert f.sheet == PLAN
    assert "на 2024/2025 учебный год" in f.message
    cited(f, reg, "plan_required")


@pytest.mark.parametrize("reg", ALL)
def test_plan_tab_missing_is_a_missing_sheet_not_a_missing_plan(reg):
    book = compliant(reg)
    book.omit.add("plan")
    findings = run(book)
    assert [f.code for f in findings] == ["sheet.missing"]
    assert findings[0].sheet == PLAN


# ---------------------------------------------------------------- plan_deadlines

def unmark(book, number, mark=None):
    book.plan[plan_row(book, number) - 2]["Отметка о выполнении"] = mark


def overdue(findings, reg, number, row):
    f = only(findings, "plan.overdue")
    assert f.severity == WARNING
    assert (f.sheet, f.cell) == (PLAN, f"F{row}")
    assert f"№{number}" in f.message and f"Мероприятие {number}" in f.message
    cited(f, reg, "plan_deadlines")
    return f


@pytest.mark.parametrize("reg", ALL)
def test_november_item_without_mark_in_january(reg):
    book = compliant(reg)
    unmark(book, 2)                                      # «ноябрь»
    f = overdue(run(book, D(2025, 1, 10)), reg, 2, 3)
    assert "(ноябрь)" in f.message and "нет отметки о выполнении" in f.message


@pytest.mark.parametrize("reg", ALL)
def test_november_item_is_not_overdue_in_november(reg):
    book = compliant(reg)
    unmark(book, 2)
    assert run(book, D(2024, 11, 30)) == []


@pytest.mark.parametrize("reg", ALL)
def test_item_marked_not_done(reg):
    book = compliant(reg)
    unmark(book, 1, "не выполнено")                      # «сентябрь»
    f = overdue(run(book), reg, 1, 2)
    assert "не выполнено" in f.message


@pytest.mark.parametrize("reg", ALL)
@pytest.mark.parametrize("mark", ["перенесено", "отложено", "выполнено", "+"])
def test_item_postponed_or_done_is_not_overdue(reg, mark):
    book = compliant(reg)
    for n in (1, 2, 3, 4):
        unmark(book, n, mark)
    assert run(book) == []


@pytest.mark.parametrize("reg", ALL)
def test_dated_item_is_overdue_the_day_after(reg):
    book = compliant(reg)
    unmark(book, 3)                                      # 18.02.2025
    assert run(book, D(2025, 2, 18)) == []
    f = overdue(run(book, D(2025, 2, 19)), reg, 3, 4)
    assert "18.02.2025" in f.message


@pytest.mark.parametrize("reg", ALL)
def test_item_due_during_the_year_is_not_overdue_before_31_august(reg):
    book = compliant(reg)
    unmark(book, 4)                                      # «в течение года»
    assert run(book, D(2025, 8, 31)) == []


@pytest.mark.parametrize("reg", ALL)
def test_item_due_during_the_year_is_overdue_once_the_year_has_ended(reg):
    book = compliant(reg)
    unmark(book, 4)
    f = overdue(run(book), reg, 4, 5)
    assert "в течение года" in f.message


@pytest.mark.parametrize("reg", ALL)
@pytest.mark.parametrize("due", ["сентябрь–октябрь", "в октябре", "октябрь 2024"])
def test_month_ranges_and_cases(reg, due):
    book = compliant(reg)
    book.plan[1]["Срок"] = due
    unmark(book, 2)
    assert run(book, D(2024, 10, 31)) == []
    overdue(run(book, D(2024, 11, 1)), reg, 2, 3)


def test_every_overdue_item_is_reported():
    book = compliant(ALL[0])
    for n in (1, 2, 3, 4):
        unmark(book, n)
    findings = run(book)
    assert [(f.code, f.cell) for f in findings] == [("plan.overdue", f"F{n + 1}") for n in (1, 2, 3, 4)]
