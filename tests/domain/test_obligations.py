"""Every dated obligation of the year, and whether it is done, overdue or ahead on the
day a person looks — not on the day of the check."""
from __future__ import annotations

from service.domain.obligations import DONE, OVERDUE, UPCOMING, Obligation, next_due, of_year, stored
from service.pipeline import check
from tests.domain import D, GPMO, RPMO, ZALESOVO, ZDVINSKY, BookSource, compliant


def _duties(book, as_of):
    report = check(BookSource(book), as_of=as_of)
    return of_year(report.data, list(report.regulation.rules), report.year)


def test_novokuznetsk_dates_composition_databank_and_analysis():
    duties = {o.kind: o for o in _duties(compliant(GPMO), D(2025, 3, 1)) if o.kind in
              ("composition", "databank", "report")}
    assert duties["composition"].day == D(2024, 9, 15) and duties["composition"].clause == "п. 4.2"
    assert duties["databank"].day == D(2024, 10, 1) and duties["databank"].clause == "п. 4.6"
    assert duties["report"].day == D(2025, 5, 15)
    assert duties["report"].what == "анализ работы и план на новый учебный год"
    assert all(o.done for o in duties.values())          # the factory's book has every date filled in


def test_rpmo_and_zalesovo_analysis_dates():
    assert next(o for o in _duties(compliant(RPMO), D(2025, 3, 1)) if o.kind == "report").day == D(2025, 5, 5)
    assert next(o for o in _duties(compliant(ZALESOVO), D(2025, 3, 1)) if o.kind == "report").day == D(2025, 5, 31)


def test_missed_analysis_is_overdue_by_days_even_after_the_year_ended():
    book = compliant(GPMO)
    book.info["Дата представления анализа работы"] = None
    report = next(o for o in _duties(book, D(2025, 9, 1)) if o.kind == "report")
    assert report.done is False
    assert report.state(D(2025, 9, 1)) == OVERDUE
    assert report.overdue_days(D(2025, 5, 25)) == 10
    assert report.state(D(2025, 5, 1)) == UPCOMING


def test_meetings_and_plan_items_with_their_states():
    book = compliant(ZDVINSKY)
    book.meeting(4)["Статус"] = "запланировано"
    book.meeting(3)["Статус"] = "отменено"
    book.plan[1]["Отметка о выполнении"] = None
    duties = _duties(book, D(2025, 3, 1))
    meetings = {o.meeting: o for o in duties if o.kind == "meeting"}
    assert set(meetings) == {1, 2, 4}                      # a cancelled meeting is no obligation
    assert meetings[1].done is None and meetings[1].state(D(2025, 3, 1)) == DONE     # empty status: held on its day
    assert meetings[4].state(D(2025, 6, 1)) == OVERDUE     # still «запланировано» after its day
    assert meetings[4].what == "заседание №4: Тема заседания 4"
    plan = [o for o in duties if o.kind == "plan"]
    assert [o.done for o in plan] == [True, False, True, True]
    assert plan[1].day == D(2024, 11, 30) and plan[1].state(D(2025, 3, 1)) == OVERDUE
    assert plan[3].day == D(2025, 8, 31)                  # «в течение года»: by the year's end


def test_attestation_terms_fall_due_within_the_year():
    book = compliant(ZDVINSKY)
    book.members[5]["Квалификационная категория"] = "первая"
    book.members[5]["Дата присвоения категории"] = D(2020, 1, 20)       # before 01.09.2023: five years
    duties = [o for o in _duties(book, D(2024, 10, 1)) if o.kind == "attestation"]
    mine = [o for o in duties if book.members[5]["ФИО"].split()[0] in o.what]
    assert len(mine) == 1 and mine[0].day == D(2025, 1, 20)
    assert "категория «первая» истекает" in mine[0].what


def test_round_trip_and_the_dashboard_pick():
    duties = _duties(compliant(GPMO), D(2025, 3, 1))
    again = stored([o.as_dict() for o in duties])
    assert again == duties
    late = Obligation(D(2025, 1, 10), "план, п. 2: x", "plan", None, False)
    ahead = Obligation(D(2025, 4, 1), "заседание №4", "meeting", None, False, 4)
    assert next_due([ahead, late], D(2025, 3, 1)) is late          # the oldest overdue first
    assert next_due([ahead], D(2025, 3, 1)) is ahead
    assert next_due([Obligation(D(2025, 1, 1), "x", "plan", None, True)], D(2025, 3, 1)) is None
