"""A data error refuses only the documents it would appear in; the rest are notes."""
from __future__ import annotations

import datetime as dt

import pytest

from service.pipeline import check
from service.refusals import BadRequest, problems
from tests.factories import association
from tests.support.documents import AS_OF, BookSource


def found(book, kind, **request):
    return problems(check(BookSource(book), as_of=AS_OF), kind, AS_OF, **request)


def cells(findings):
    return sorted((f.code, f.cell) for f in findings)


def test_a_bad_category_blocks_only_the_analysis():
    book = association("zdvinsky-mmo")
    book.members[6]["Квалификационная категория"] = "главная"
    expected = [("cell.bad_choice", "G8")]
    assert cells(found(book, "annual-report").blocking) == expected
    for kind, request in (("order", {}), ("protocol", {"meeting": 1}), ("registration-sheet", {"meeting": 1}),
                          ("work-plan", {})):
        p = found(book, kind, **request)
        assert p.blocking == [] and cells(p.notes) == expected, kind


def test_a_wrong_position_cell_blocks_what_prints_positions():
    book = association("zdvinsky-mmo")
    book.members[6]["Должность"] = None                              # required: cell.required C8
    for kind, request in (("order", {}), ("protocol", {"meeting": 1}), ("registration-sheet", {"meeting": 1})):
        assert cells(found(book, kind, **request).blocking) == [("cell.required", "C8")], kind
    assert found(book, "work-plan").blocking == []


def test_the_plan_is_blocked_by_what_it_prints_of_meetings_not_by_their_chairs():
    book = association("zdvinsky-mmo")
    book.meeting(2)["Председатель"] = "Незнакомцев Н.Н."
    assert found(book, "work-plan").blocking == []
    book.agenda[3]["№ заседания"] = 7                                # a question of a meeting that does not exist
    assert cells(found(book, "work-plan").blocking) == [("ref.unknown_meeting", "A5")]


def test_breaches_of_the_regulation_do_not_refuse_the_analysis_that_reports_them():
    book = association("zdvinsky-mmo")
    book.meeting(3)["Статус"] = "отменено"
    p = found(book, "annual-report")
    assert p.blocking == [] and not any(f.code == "meetings.too_few" for f in p.notes)


def test_a_protocol_is_refused_for_its_own_meeting_only():
    book = association("zdvinsky-mmo")
    book.meeting(3)["Секретарь"] = None
    assert cells(found(book, "protocol", meeting=3).blocking) == [("meeting.no_signers", "F4")]
    assert found(book, "protocol", meeting=2).blocking == []


@pytest.mark.parametrize("kind, request_, message", [
    ("protocol", {}, "укажите номер заседания"),
    ("registration-sheet", {}, "укажите --meeting N или --plan-item N"),
    ("registration-sheet", {"plan_item": 9}, "мероприятия №9 нет в плане"),
])
def test_requests_naming_nothing_are_bad_requests(kind, request_, message):
    with pytest.raises(BadRequest, match=message):
        found(association(), kind, **request_)


def test_the_order_is_judged_on_its_own_date():
    book = association("zdvinsky-mmo")
    book.members[1]["Дата выбытия"] = dt.date(2025, 1, 10)          # the deputy left in January
    assert found(book, "order", order_date=dt.date(2024, 9, 2)).blocking == []
    p = found(book, "order", order_date=dt.date(2025, 2, 1))
    assert [f.code for f in p.blocking] == ["role.no_deputy"]
    assert p.blocking[0].message.startswith("На 01.02.2025 (дата приказа) в составе нет заместителя руководителя")
