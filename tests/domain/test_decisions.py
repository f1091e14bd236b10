"""Decisions: simple majority (Здвинский, п. 5.1(5)) and a decision on every question
of a held meeting (Каменск-Уральский п. 5.2, ГПМО п. 4.4, РПМО п. 10.1)."""
from __future__ import annotations

import pytest

from service.schema.findings import ERROR
from tests.domain import (
    AGENDA, D, GPMO, KAMENSK, RPMO, ZDVINSKY, agenda_row, cited, compliant, only, regs_with, regs_without,
    run, set_votes,
)

# ---------------------------------------------------------------- simple majority (Здвинский)


def test_only_zdvinsky_requires_a_simple_majority():
    assert regs_with("simple_majority") == [ZDVINSKY]


def majority_finding(findings, code, meeting=1, question=1):
    f = only(findings, code)
    assert f.severity == ERROR
    assert (f.sheet, f.cell, f.meeting) == (AGENDA, f"G{2 * meeting + question - 1}", meeting)
    assert f"вопросу №{question} заседания №{meeting}" in f.message
    cited(f, ZDVINSKY, "simple_majority")
    return f


def test_4_for_3_against_2_abstained_is_no_majority():
    book = compliant(ZDVINSKY)
    set_votes(book, 1, 4, 3, 2, question=1)
    f = majority_finding(run(book), "decision.no_majority")
    assert "за 4, против 3, воздержались 2" in f.message


def test_5_for_4_against_is_a_majority():
    book = compliant(ZDVINSKY)
    set_votes(book, 1, 5, 4, 0, question=1)
    assert run(book) == []


@pytest.mark.parametrize("votes", [(4, 4, 0), (3, 0, 3), (0, 5, 0)])
def test_half_or_less_is_no_majority(votes):
    book = compliant(ZDVINSKY)
    set_votes(book, 3, *votes, question=2)
    majority_finding(run(book), "decision.no_majority", meeting=3, question=2)


def test_only_votes_against_count_as_cast():
    book = compliant(ZDVINSKY)
    set_votes(book, 1, None, 3, None, question=1)
    f = majority_finding(run(book), "decision.no_majority")
    assert "за 0, против 3" in f.message


def test_no_votes_recorded_is_not_judged():
    book = compliant(ZDVINSKY)
    set_votes(book, 1, None, None, None)
    assert run(book) == []


def test_more_votes_than_members_present():
    book = compliant(ZDVINSKY)                   # 9 present at every meeting
    set_votes(book, 2, 10, 0, 0, question=2)
    f = majority_finding(run(book), "decision.votes_exceed_present", meeting=2, question=2)
    assert "подано 10 голосов" in f.message and "присутствовало 9 членов" in f.message


def test_votes_equal_to_members_present_are_fine():
    book = compliant(ZDVINSKY)
    book.mark(2, present=7)
    set_votes(book, 2, 5, 1, 1)
    assert run(book) == []


def test_guests_do_not_make_votes_possible():
    book = compliant(ZDVINSKY)
    book.attendance["Гостева Анна Ивановна"] = {"№1": "+"}
    set_votes(book, 1, 10, 0, 0, question=1)
    findings = run(book)
    assert {f.code for f in findings} == {"decision.votes_exceed_present", "ref.unknown_member"}


def test_votes_are_not_compared_with_presence_when_attendance_is_missing():
    book = compliant(ZDVINSKY)
    book.attendance_headers.remove("№1")
    set_votes(book, 1, 30, 0, 0)
    assert [f.code for f in run(book)] == ["meeting.no_attendance"]


def test_votes_of_a_meeting_not_yet_held_are_not_judged():
    book = compliant(ZDVINSKY)
    set_votes(book, 4, 1, 8, 0)
    assert run(book, D(2025, 5, 1)) == []


@pytest.mark.parametrize("reg", regs_without("simple_majority"))
def test_other_regulations_do_not_count_votes(reg):
    book = compliant(reg)
    set_votes(book, 1, 1, 8, 0)
    set_votes(book, 2, 40, 0, 0)
    assert run(book) == []


# ---------------------------------------------------------------- a decision on every question

def test_regulations_requiring_a_decision_per_question():
    assert regs_with("decision_per_item") == [KAMENSK, GPMO, RPMO]


@pytest.mark.parametrize("reg", regs_with("decision_per_item"))
@pytest.mark.parametrize("empty", [None, "   "])
def test_empty_decision_of_a_held_meeting(reg, empty):
    book = compliant(reg)
    book.agenda[agenda_row(book, 2, 1) - 2]["Решили"] = empty
    f = only(run(book), "agenda.no_decision")
    assert f.severity == ERROR
    assert (f.sheet, f.cell, f.meeting) == (AGENDA, "F4", 2)
    assert "вопросу №1 заседания №2" in f.message and "Вопрос 1 заседания 2" in f.message
    cited(f, reg, "decision_per_item")


@pytest.mark.parametrize("reg", regs_with("decision_per_item"))
def test_every_undecided_question_is_reported(reg):
    book = compliant(reg)
    for a in book.agenda:
        if a["№ заседания"] == 3:
            a["Решили"] = None
    findings = run(book)
    assert [(f.code, f.cell) for f in findings] == [("agenda.no_decision", "F6"), ("agenda.no_decision", "F7")]


@pytest.mark.parametrize("reg", regs_with("decision_per_item"))
def test_empty_decision_of_a_planned_meeting_is_fine(reg):
    book = compliant(reg)
    book.agenda[agenda_row(book, 4, 1) - 2]["Решили"] = None      # meeting №4 is on 20.05.2025
    assert run(book, D(2025, 5, 1)) == []


@pytest.mark.parametrize("reg", regs_with("decision_per_item"))
def test_empty_decision_of_a_cancelled_meeting_is_fine(reg):
    book = compliant(reg)
    book.meeting(1)["Статус"] = "отменено"
    book.meetings.append({**book.meeting(2), "№": 5, "Дата": D(2024, 11, 20), "Статус": None})
    book.agenda.append({**book.agenda[0], "№ заседания": 5})
    book.mark(5, present=9)
    book.agenda[0]["Решили"] = None
    assert run(book) == []


@pytest.mark.parametrize("reg", regs_without("decision_per_item"))
def test_other_regulations_do_not_require_a_decision_per_question(reg):
    book = compliant(reg)
    book.agenda[agenda_row(book, 2, 1) - 2]["Решили"] = None
    assert run(book) == []
