"""The budget of one read — cells and seconds — is charged row by row inside the read,
by every source alike, so a huge or hostile workbook stops at the first row past its
allowance with `workbook.too_large` and a Russian sentence."""
from __future__ import annotations

import datetime as dt
import itertools

import pytest

from service.pipeline import check
from service.sources.base import RawTab, RawWorkbook, SourceError
from service.sources.budget import Budget, fill_tab, held_to_limits
from service.sources.limits import Limits
from service.sources.workbook_file import WorkbookFileSource
from tests.factories import association, year_end
from tests.sources.test_hostile import assert_one_russian_line, mo_docs


def counted(rows, seen: list):
    for row in rows:
        seen.append(row[0])
        yield row


def test_the_cell_budget_stops_the_read_at_the_first_row_past_it():
    rows = ((n, tuple(f"v{n}.{c}" for c in range(10))) for n in itertools.count(1))     # endless
    seen: list[int] = []
    limits = Limits(max_cells=100)
    with pytest.raises(SourceError) as info:
        fill_tab(RawTab("Состав"), counted(rows, seen), limits, Budget(limits))
    assert info.value.code == "workbook.too_large"
    assert "больше 100 ячеек" in info.value.message
    assert seen[-1] == 11                               # 11 rows of 10 cells: one past the allowance


def test_the_time_budget_stops_a_slow_read():
    ticks = itertools.count(0, 0.5)                     # every look at the clock: half a second later
    limits = Limits(max_seconds=3)
    budget = Budget(limits, clock=lambda: next(ticks))
    seen: list[int] = []
    rows = ((n, ("x",)) for n in itertools.count(1))
    with pytest.raises(SourceError) as info:
        fill_tab(RawTab("Состав"), counted(rows, seen), limits, budget)
    assert info.value.code == "workbook.too_large" and "не прочитана за 3 с" in info.value.message
    assert len(seen) < 10


def test_a_file_over_the_cell_budget_is_too_large(tmp_path):
    path = association(size=40).save(tmp_path / "mmo.xlsx")
    with pytest.raises(SourceError) as info:
        WorkbookFileSource(path, limits=Limits(max_cells=300)).read()
    assert info.value.code == "workbook.too_large"
    WorkbookFileSource(path).read()                      # the default budget is ample for it


@pytest.mark.slow
def test_the_cli_takes_the_budget_from_the_environment(tmp_path):
    path = association(size=40).save(tmp_path / "mmo.xlsx")
    run = mo_docs("validate", str(path), env={"MO_DOCS_LIMIT_MAX_CELLS": "300"})
    assert run.code == 2
    assert_one_russian_line(run, "workbook.too_large", "ячеек")
    run = mo_docs("validate", str(path), env={"MO_DOCS_LIMIT_MAX_SECONDS": "0,000001"})
    assert run.code == 2
    assert_one_russian_line(run, "workbook.too_large", "не прочитана за")


class HandMade:
    """A source of tomorrow (the Sheets add-on's JSON of cell values) that builds its tabs
    by hand: the pipeline holds it to the same limits."""

    def __init__(self, raw: RawWorkbook):
        self.raw, self.name = raw, raw.name

    def read(self) -> RawWorkbook:
        return self.raw


def test_a_source_that_builds_its_tabs_by_hand_is_held_to_the_row_limit():
    raw = association().raw()
    members = next(t for t in raw.tabs if t.title == "Состав")
    width = len(members.rows[0][1])
    members.rows += [(n, (f"Член {n} Иван Иванович",) + (None,) * (width - 1)) for n in range(14, 10_001)]
    report = check(HandMade(raw), as_of=year_end())
    [too_many] = [f for f in report.findings if f.code == "sheet.too_many_rows"]
    assert (too_many.sheet, too_many.cell) == ("Состав", "A5001")


def test_a_source_that_builds_its_tabs_by_hand_is_held_to_the_cell_budget():
    raw = RawWorkbook("addon", [RawTab(f"Лист{i}", [(n, ("x",) * 200) for n in range(1, 5001)]) for i in range(2)])
    with pytest.raises(SourceError) as info:
        check(HandMade(raw), as_of=dt.date(2025, 9, 1))
    assert info.value.code == "workbook.too_large"


def test_a_workbook_within_the_limits_is_passed_on_unchanged():
    raw = association().raw()
    assert held_to_limits(raw, Limits()) is raw


@pytest.mark.parametrize("variable, raw, says", [
    ("MO_DOCS_LIMIT_MAX_SECONDS", "много", "числом"),
    ("MO_DOCS_LIMIT_MAX_CELLS", "1.5", "целым числом"),
    ("MO_DOCS_LIMIT_MAX_CELLS", "0", "больше нуля"),
])
def test_limits_from_the_environment_are_checked(variable, raw, says):
    with pytest.raises(ValueError) as info:
        Limits.from_env({variable: raw})
    assert variable in str(info.value) and says in str(info.value)


def test_seconds_may_be_written_with_a_comma():
    assert Limits.from_env({"MO_DOCS_LIMIT_MAX_SECONDS": "2,5"}).max_seconds == 2.5


def test_a_source_read_with_raised_limits_is_checked_with_them(tmp_path):
    """MO_DOCS_LIMIT_MAX_ROWS=6000 lets a 5,100-member register be read; the check must
    not hold what was read to the default 5,000 rows again (pages and the members list
    call `check` without limits of their own)."""
    path = association("zdvinsky-mmo", size=5_100).save(tmp_path / "big.xlsx")
    report = check(WorkbookFileSource(path, Limits(max_rows=6_000)))
    assert len(report.data.members) == 5_100
    assert "sheet.too_many_rows" not in {f.code for f in report.findings}
