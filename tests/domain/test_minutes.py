"""Which meeting's protocol records an election or the year's plan."""
from __future__ import annotations

import datetime as dt

import pytest

from service.domain.minutes import election_meeting, plan_meeting, roles_elected
from service.pipeline import check
from service.schema.records import DEPUTY, HEAD, SECRETARY
from tests.domain import BookSource, compliant, year_end

D = dt.date


@pytest.mark.parametrize("text, roles", [
    ("Об избрании руководителя и заместителя руководителя ММО", {HEAD, DEPUTY}),
    ("О выборах секретаря ГПМО", {SECRETARY}),
    ("Избрать секретарём Борисова К.И.", {SECRETARY}),
    ("Выбор заместителя председателя", {DEPUTY}),
    ("Переизбрание руководителя МО", {HEAD}),
    ("О плане работы руководителя", set()),                    # no election
    ("Об итогах ГИА", set()),
])
def test_roles_elected(text, roles):
    assert roles_elected(text) == roles


def workbook(book):
    return check(BookSource(book), as_of=year_end()).data


def test_the_first_held_meeting_that_elected_the_role():
    book = compliant("novokuznetsk-gpmo")
    book.agenda[3]["Вопрос"] = "О выборах секретаря"                 # meeting 2
    book.agenda[6]["Решили"] = "Избрать секретарём Смирнову Е.С."     # meeting 4
    wb = workbook(book)
    assert election_meeting(wb, [SECRETARY], year_end()).number == 2
    assert election_meeting(wb, [SECRETARY], year_end(), until=D(2024, 12, 1)) is None
    assert election_meeting(wb, [HEAD], year_end()) is None


def test_a_cancelled_meeting_elected_nobody():
    book = compliant("novokuznetsk-gpmo")
    book.agenda[0]["Вопрос"] = "Об избрании секретаря"
    book.meeting(1)["Статус"] = "отменено"
    assert election_meeting(workbook(book), [SECRETARY], year_end()) is None


@pytest.mark.parametrize("question, found", [
    ("Об утверждении плана работы МО на 2024-2025 учебный год", 1),
    ("Об утверждении плана работы МО", 1),
    ("О плане работы на 2025-2026 учебный год", None),
    ("О плане работы на новый учебный год", None),
    ("О плане проведения олимпиады", None),
])
def test_the_meeting_that_considered_this_years_plan(question, found):
    book = compliant("kamensk-uralsky-cpmss")
    book.agenda[0]["Вопрос"] = question
    m = plan_meeting(workbook(book), check(BookSource(book), as_of=year_end()).year, year_end())
    assert (m.number if m else None) == found
