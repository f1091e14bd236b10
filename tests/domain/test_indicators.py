"""The year's figures in one fixed set for every association, and each requirement of the
regulation met or not from the check's own findings (Залесово п. 4.4, 5.7)."""
from __future__ import annotations

import pytest

from service.domain.compliance import MET, NOT_MET, REMARKS, requirements
from service.domain.indicators import year_indicators
from service.pipeline import check
from tests.domain import ALL, BIYSK, KAMENSK, ZALESOVO, ZDVINSKY, BookSource, D, compliant, remove_meeting, year_end


def figures(book, as_of=None):
    report = check(BookSource(book), as_of=as_of or year_end())
    rules = report.regulation.rule_specs("meeting_frequency") if report.regulation else []
    return {i.code: i for i in year_indicators(report.data, report.year, as_of or year_end(), rules)}


def test_every_association_gets_the_same_indicators_in_the_same_order():
    orders = {reg: list(figures(compliant(reg))) for reg in ALL}
    assert len({tuple(o) for o in orders.values()}) == 1
    assert orders[ZALESOVO][:5] == ["members", "with_category", "young", "meetings_required", "meetings_held"]


@pytest.mark.parametrize("reg, required", [(ZDVINSKY, 4), (ZALESOVO, 4), (KAMENSK, 2), (BIYSK, None)])
def test_meetings_required_by_the_regulation(reg, required):
    assert figures(compliant(reg))["meetings_required"].value == required


def test_values_of_the_factory_association():
    book = compliant(ZALESOVO)
    book.plan[0]["Отметка о выполнении"] = "перенесено"
    book.members[5]["Дата присвоения категории"] = D(2025, 3, 1)           # «первая» granted during the year
    book.members[4]["Дата аттестации на СЗД"] = D(2024, 11, 11)            # no category: attested for СЗД
    f = figures(book)
    assert (f["members"].value, f["with_category"].value, f["with_category"].unit) == (12, 67, "%")
    assert (f["meetings_held"].value, f["attendance"].value) == (4, 75)
    assert (f["plan_items"].value, f["plan_done"].value, f["open_events"].value) == (4, 75, 3)
    assert (f["achievements"].value, f["achievements_municipal"].value, f["practices"].value) == (2, 2, 1)
    assert f["achievements_federal"].value == 0 and f["achievements_federal"].part
    assert (f["attested_category"].value, f["attested_szd"].value) == (1, 1)


def test_what_the_workbook_cannot_tell_is_none_not_zero():
    book = compliant(ZALESOVO)
    book.omit.add("attendance")
    book.attendance, book.attendance_headers = {}, []
    book.plan = []
    f = figures(book)
    assert f["attendance"].value is None and f["plan_done"].value is None and f["plan_items"].value == 0


def reqs(book, as_of=None):
    report = check(BookSource(book), as_of=as_of or year_end())
    return {r.text: r for r in requirements(report.regulation.rules, report.findings)}


def test_each_requirement_met_or_not():
    book = compliant(ZALESOVO)
    assert {r.status for r in reqs(book).values()} == {MET}
    remove_meeting(book, 4)
    book.info["Дата представления анализа работы"] = D(2025, 6, 10)      # after 31 May: a warning
    got = reqs(book)
    assert got["заседаний не менее 4 за учебный год"].status == NOT_MET
    assert got["заседаний не менее 4 за учебный год"].clause == "п. 4.2"
    assert got["анализ работы представлен до 31 мая"].status == REMARKS
    assert got["в составе есть: руководитель"].status == MET
