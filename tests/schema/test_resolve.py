"""Cross-sheet consistency: the chair and the secretary who sign a protocol were at
the meeting according to «Посещаемость»."""
from __future__ import annotations

from service.schema.reader import read_workbook
from tests.factories import association, year_end


def signer_findings(book):
    _, findings = read_workbook(book.raw(), year_end())
    return [f for f in findings if f.code == "meeting.signer_absent"]


def test_a_chair_marked_absent_is_an_error_for_that_meeting():
    book = association()
    book.attendance["Иванова Мария Петровна"]["№2"] = "н"
    (f,) = signer_findings(book)
    assert (f.severity, f.sheet, f.cell, f.meeting) == ("error", "Заседания", "E3", 2)
    assert f.message == ("E3: председатель заседания №2 от 10.12.2024 — Иванова Мария Петровна, а по листу "
                         "«Посещаемость» (C2) она отсутствовала: укажите верного председателя заседания или "
                         "исправьте отметку.")


def test_a_secretary_excused_is_absent_too():
    book = association()
    book.attendance["Смирнова Елена Сергеевна"]["№3"] = "у"
    (f,) = signer_findings(book)
    assert f.meeting == 3 and f.cell == "F4" and "отсутствовала по уважительной причине" in f.message
    assert "секретарь заседания №3" in f.message


def test_a_man_is_named_in_the_masculine():
    book = association()
    book.members[2]["ФИО"] = "Смирнов Егор Сергеевич"
    book.attendance["Смирнов Егор Сергеевич"] = book.attendance.pop("Смирнова Елена Сергеевна")
    for m in book.meetings:
        m["Секретарь"] = "Смирнов Е.С."
    book.attendance["Смирнов Егор Сергеевич"]["№1"] = "-"
    (f,) = signer_findings(book)
    assert "он отсутствовал:" in f.message


def test_present_signers_and_cancelled_meetings_are_fine():
    book = association()
    assert signer_findings(book) == []
    book.meeting(2)["Статус"] = "отменено"
    book.attendance["Иванова Мария Петровна"]["№2"] = "н"
    assert signer_findings(book) == []
