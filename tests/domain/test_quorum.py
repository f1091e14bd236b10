"""quorum (Здвинский, п. 5.1(5)): meetings are «правомочными при участии более
половины членов ММО» — present members (Посещаемость, no guests, excused = absent)
more than half of the members on the meeting's date."""
from __future__ import annotations

import pytest

from service.schema.findings import ERROR, WARNING
from tests.domain import (
    ATTENDANCE, D, MEETINGS, ZDVINSKY, cited, compliant, meeting_row, of, one, only, regs_with, regs_without,
    run, set_votes,
)

GUEST = "Гостева Анна Ивановна"


def test_only_zdvinsky_sets_a_quorum():
    assert regs_with("quorum") == [ZDVINSKY]


def meeting_at(present, excused=0, number=1, **kw):
    book = compliant(ZDVINSKY, **kw)
    book.mark(number, present=present, excused=excused)
    set_votes(book, number, min(present, 9))     # votes never outnumber the members present
    return book


def no_quorum(findings, number=1, date="24.09.2024"):
    f = only(findings, "meeting.no_quorum")
    assert f.severity == ERROR
    assert (f.sheet, f.cell, f.meeting) == (MEETINGS, f"A{number + 1}", number)
    assert f"Заседание №{number} от {date}" in f.message
    cited(f, ZDVINSKY, "quorum")
    return f


def test_six_of_twelve_is_no_quorum():
    f = no_quorum(run(meeting_at(6)))
    assert "присутствовали 6 из 12" in f.message


def test_seven_of_twelve_is_a_quorum():
    assert run(meeting_at(7)) == []


def test_no_quorum_at_a_later_meeting_names_that_meeting():
    book = meeting_at(5, number=3)
    no_quorum(run(book), number=3, date="18.02.2025")


@pytest.mark.parametrize("present, quorate", [(5, False), (6, True)])
def test_odd_membership(present, quorate):
    """11 members: 6 is more than half, 5 is not."""
    findings = run(meeting_at(present, size=11))
    assert [f.code for f in findings] == ([] if quorate else ["meeting.no_quorum"])


def test_excused_absence_is_an_absence():
    f = no_quorum(run(meeting_at(6, excused=4)))
    assert "6 из 12" in f.message


def test_members_who_joined_after_the_meeting_are_not_counted():
    book = meeting_at(6)
    for m in book.members[10:]:
        m["Дата включения"] = D(2024, 11, 1)    # after meeting №1 of 24.09.2024
    assert run(book) == []                       # 6 of 10


def test_members_who_left_before_the_meeting_are_not_counted():
    book = meeting_at(6)
    for m in book.members[10:]:
        m["Дата выбытия"] = D(2024, 9, 15)
    assert run(book) == []                       # 6 of 10


def test_member_who_left_on_the_meeting_day_is_not_counted():
    book = meeting_at(6)
    for m in book.members[10:]:
        m["Дата выбытия"] = D(2024, 9, 24)
    assert run(book) == []


def test_a_present_mark_of_someone_not_yet_a_member_does_not_count():
    book = meeting_at(5)
    late = book.members[11]
    late["Дата включения"] = D(2024, 11, 1)
    book.attendance[late["ФИО"]]["№1"] = "+"
    f = no_quorum(run(book))
    assert "присутствовали 5 из 11" in f.message


def test_a_guest_does_not_count_and_is_reported_once():
    book = meeting_at(6)
    book.attendance[GUEST] = {"№1": "+", "№2": "+"}
    findings = run(book)
    f = no_quorum([x for x in findings if x.code != "ref.unknown_member"])
    assert "6 из 12" in f.message
    guest = one(findings, "ref.unknown_member")
    assert guest.severity == WARNING
    assert (guest.sheet, guest.cell, guest.member) == (ATTENDANCE, "B14", GUEST)
    assert GUEST in guest.message and "приглашённ" in guest.message


def test_a_guest_at_a_quorate_meeting_is_only_a_warning():
    book = meeting_at(7)
    book.attendance[GUEST] = {"№1": "+"}
    f = only(run(book), "ref.unknown_member")
    assert f.severity == WARNING


def test_short_names_on_attendance_are_members():
    """«Лебедева Т.Н.» on Посещаемость is member «Лебедева Татьяна Николаевна»: present, not a guest."""
    book = meeting_at(7)
    for i, short in ((5, "Лебедева Т.Н."), (6, "Козлова И. А.")):
        book.attendance[short] = book.attendance.pop(book.members[i]["ФИО"])
    assert run(book) == []


@pytest.mark.parametrize("status", ["отменено", "запланировано"])
def test_meetings_not_held_need_no_quorum(status):
    book = meeting_at(2)
    book.meeting(1)["Статус"] = status
    book.meeting(2)["Дата"] = D(2024, 9, 26)      # keep the July–September quarter met
    findings = run(book)
    assert of(findings, "meeting.no_quorum") == [] and of(findings, "meeting.no_attendance") == []


def test_a_future_meeting_needs_no_quorum():
    book = meeting_at(0, number=4)
    assert run(book, D(2025, 5, 1)) == []


# ---------------------------------------------------------------- no attendance recorded

def test_held_meeting_without_attendance_column():
    book = compliant(ZDVINSKY)
    book.attendance_headers.remove("№2")
    f = only(run(book), "meeting.no_attendance")
    assert f.severity == WARNING
    assert (f.sheet, f.meeting) == (ATTENDANCE, 2)
    assert "Заседание №2 от 10.12.2024" in f.message
    cited(f, ZDVINSKY, "quorum")


def test_workbook_without_attendance_sheet():
    book = compliant(ZDVINSKY)
    book.omit.add("attendance")
    findings = run(book)
    assert [f.code for f in findings] == ["meeting.no_attendance"] * 4
    assert sorted(f.meeting for f in findings) == [1, 2, 3, 4]
    assert {f.sheet for f in findings} == {ATTENDANCE}


def test_attendance_column_by_date_is_understood():
    book = compliant(ZDVINSKY)
    book.attendance_headers[0] = D(2024, 9, 24)
    for marks in book.attendance.values():
        marks[D(2024, 9, 24)] = marks.pop("№1")
    assert run(book) == []


def test_attendance_column_with_no_marks_at_all_is_no_attendance():
    book = compliant(ZDVINSKY)
    for marks in book.attendance.values():
        marks["№2"] = None
    f = only(run(book), "meeting.no_attendance")
    assert f.meeting == 2


# ---------------------------------------------------------------- other regulations

@pytest.mark.parametrize("reg", regs_without("quorum"))
def test_other_regulations_never_judge_quorum(reg):
    book = compliant(reg)
    book.mark(1, present=2)
    book.attendance_headers.remove("№2")
    assert run(book) == []


@pytest.mark.parametrize("reg", regs_without("quorum"))
def test_other_regulations_do_not_need_attendance(reg):
    book = compliant(reg)
    book.omit.add("attendance")
    assert run(book) == []


def test_meeting_row_helper_matches_the_factory():
    book = compliant(ZDVINSKY)
    assert [meeting_row(book, n) for n in (1, 2, 3, 4)] == [2, 3, 4, 5]


def test_quorum_message_agrees_in_number():
    """«присутствовал 1 из 12 членов», «присутствовали 2 из 21 члена»."""
    book = compliant(ZDVINSKY)
    book.mark(1, present=1)
    set_votes(book, 1, 1)
    f = one(run(book), "meeting.no_quorum")                 # the secretary was absent too: signer_absent
    assert "присутствовал 1 из 12 членов" in f.message
    book = compliant(ZDVINSKY)
    for i in range(9):
        book.members.append({**book.members[11], "ФИО": f"Орлова-{chr(1040 + i)}ова Вера Игоревна"})
    book.mark(1, present=2)
    set_votes(book, 1, 2)
    (f,) = [x for x in run(book) if x.code == "meeting.no_quorum" and x.meeting == 1]
    assert "присутствовали 2 из 21 члена" in f.message
