"""agenda_present (every regulation): a held meeting has at least one question on
Повестка, or there is nothing to protocol."""
from __future__ import annotations

import pytest

from service.schema.findings import WARNING
from tests.domain import AGENDA, ALL, D, cancel, cited, compliant, drop_agenda, only, regs_with, run


def test_every_regulation_requires_an_agenda():
    assert regs_with("agenda_present") == ALL


@pytest.mark.parametrize("reg", ALL)
def test_held_meeting_without_questions(reg):
    book = compliant(reg)
    drop_agenda(book, 2)
    f = only(run(book), "agenda.empty")
    assert f.severity == WARNING
    assert (f.sheet, f.meeting) == (AGENDA, 2)
    assert "№2" in f.message and "10.12.2024" in f.message
    cited(f, reg, "agenda_present")


@pytest.mark.parametrize("reg", ALL)
def test_planned_meeting_without_questions_yet(reg):
    book = compliant(reg)
    drop_agenda(book, 4)                         # 20.05.2025
    assert run(book, D(2025, 5, 1)) == []


@pytest.mark.parametrize("reg", ALL)
def test_cancelled_meeting_without_questions(reg):
    book = compliant(reg)
    drop_agenda(book, 4)
    cancel(book, 4)
    book.meetings.append({**book.meeting(3), "№": 5, "Дата": D(2025, 4, 10), "Статус": None})
    book.agenda.append({**book.agenda[0], "№ заседания": 5})
    book.mark(5, present=9)
    assert run(book) == []


@pytest.mark.parametrize("reg", ALL)
def test_every_meeting_without_questions_is_reported(reg):
    book = compliant(reg)
    book.agenda = []
    findings = run(book)
    assert [(f.code, f.meeting) for f in findings] == [("agenda.empty", n) for n in (1, 2, 3, 4)]
