"""Протокол and лист регистрации, generated and read back: signers who were there, a
deputy chairing, the signatures a regulation names, «СЛУШАЛИ» in the accusative,
cancelled and undated meetings, signatures kept with the text."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from service.documents import BadRequest, DocumentRefused
from tests.factories import association
from tests.support.documents import lines, make, paragraph, text

D = dt.date


def protocol(generator, tmp_path, book, meeting=1, **request):
    return make(generator, tmp_path, book, "protocol", meeting=meeting, **request)


def head_away(book, meeting: int) -> None:
    """The head did not come to `meeting`: one member fewer, one vote fewer."""
    book.attendance["Иванова Мария Петровна"][f"№{meeting}"] = "н"
    for item in book.agenda:
        if item["№ заседания"] == meeting:
            item["За"] -= 1


def signature_rows(document) -> list[list[str]]:
    table = document.tables[-1]
    return [[c.text for c in r.cells] for r in table.rows]


# ---------------------------------------------------------------- who chaired and signed

def test_a_chair_marked_absent_refuses_the_protocol_of_that_meeting(generator, tmp_path):
    book = association("zdvinsky-mmo")
    head_away(book, 2)
    with pytest.raises(DocumentRefused) as refused:
        protocol(generator, tmp_path, book, meeting=2)
    assert [(f.code, f.cell) for f in refused.value.findings] == [("meeting.signer_absent", "E3")]
    protocol(generator, tmp_path, book, meeting=1)                 # other meetings are not concerned


def test_a_deputy_chairing_in_the_heads_absence_is_stated(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.meeting(2)["Председатель"] = "Кузнецова О.В."
    head_away(book, 2)
    _, d = protocol(generator, tmp_path, book, meeting=2)
    assert paragraph(d, "Председатель").text == ("Председатель – О.В. Кузнецова, заместитель руководителя ММО "
                                                 "(в отсутствие руководителя)")
    assert paragraph(d, "Секретарь").text == "Секретарь – Е.С. Смирнова, секретарь ММО"
    assert signature_rows(d)[0] == ["Председатель", "________", "О.В. Кузнецова"]


def test_the_head_chairing_is_named_with_the_role(generator, tmp_path):
    _, d = protocol(generator, tmp_path, association("zdvinsky-mmo"))
    assert paragraph(d, "Председатель").text == "Председатель – М.П. Иванова, руководитель ММО"


def test_kamensk_signatures_are_the_head_and_the_secretary_of_the_mo(generator, tmp_path):
    """п. 5.2: решения подписываются руководителем и секретарём МО."""
    _, d = protocol(generator, tmp_path, association("kamensk-uralsky-cpmss"))
    assert signature_rows(d) == [["Руководитель МО", "________", "М.П. Иванова"],
                                 ["Секретарь МО", "________", "Е.С. Смирнова"]]


@pytest.mark.parametrize("reg", ["zdvinsky-mmo", "novokuznetsk-gpmo", "zalesovo-mmo"])
def test_other_regulations_sign_as_chair_and_secretary(generator, tmp_path, reg):
    _, d = protocol(generator, tmp_path, association(reg))
    assert [r[0] for r in signature_rows(d)] == ["Председатель", "Секретарь"]


# ---------------------------------------------------------------- СЛУШАЛИ

@pytest.mark.parametrize("heard, expected", [
    ("Иванова Мария Петровна", "1. СЛУШАЛИ: Иванову Марию Петровну — вопрос 1 заседания 1"),
    ("Иванова М.П.", "1. СЛУШАЛИ: Иванову М.П. — вопрос 1 заседания 1"),
    ("Иванова М.П., руководитель ММО", "1. СЛУШАЛИ: Иванову М.П., руководителя ММО, — вопрос 1 заседания 1"),
    ("Иванову М.П., руководителя ММО", "1. СЛУШАЛИ: Иванову М.П., руководителя ММО, — вопрос 1 заседания 1"),
    ("Кузнецова О.В.; Смирнова Е.С.", "1. СЛУШАЛИ: Кузнецову О.В.; Смирнову Е.С. — вопрос 1 заседания 1"),
    ("Орлов П.П., методист ИПК", "1. СЛУШАЛИ: Орлов П.П., методист ИПК, — вопрос 1 заседания 1"),   # not a member
])
def test_heard_is_in_the_accusative_and_the_question_continues_the_sentence(generator, tmp_path, heard, expected):
    book = association("zdvinsky-mmo")
    book.agenda[0]["Слушали"] = heard
    _, d = protocol(generator, tmp_path, book)
    assert paragraph(d, "1. СЛУШАЛИ").text == expected


def test_a_question_starting_with_an_abbreviation_keeps_its_capitals(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.agenda[0]["Вопрос"] = "ГИА-2025: итоги и задачи"
    book.agenda[1]["Слушали"] = None
    book.agenda[1]["Вопрос"] = "О плане работы"
    _, d = protocol(generator, tmp_path, book)
    assert paragraph(d, "1. СЛУШАЛИ").text == "1. СЛУШАЛИ: Иванову Марию Петровну — ГИА-2025: итоги и задачи"
    assert paragraph(d, "2. СЛУШАЛИ").text == "2. СЛУШАЛИ: О плане работы"          # nobody heard: as typed


def test_no_quorum_decisions_are_neravomochny_in_one_word(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.mark(1, present=5)
    for item in book.agenda[:2]:
        item["За"] = 5
    _, d = protocol(generator, tmp_path, book, force=True)
    assert "Кворума нет: присутствуют 5 из 12 членов. Решения неправомочны." in text(d)


# ---------------------------------------------------------------- meetings that cannot have a protocol

@pytest.mark.parametrize("kind", ["protocol", "registration-sheet"])
def test_a_cancelled_meeting_has_no_protocol_and_no_registration_sheet_even_forced(generator, tmp_path, kind):
    book = association("zdvinsky-mmo")
    book.meeting(2)["Статус"] = "отменено"
    for force in (False, True):
        with pytest.raises(DocumentRefused) as refused:
            make(generator, tmp_path, book, kind, meeting=2, force=force)
        assert refused.value.final
        (f,) = refused.value.findings
        assert f.code == "document.cancelled" and f.cell == "G3"
        assert f.message.startswith("Заседание №2 от 10.12.2024 отменено (статус «отменено»)")
    assert not list(tmp_path.rglob("*.docx"))


@pytest.mark.parametrize("kind, what", [("protocol", "протокол"), ("registration-sheet", "лист регистрации")])
def test_a_meeting_whose_date_cannot_be_read_is_still_that_meeting(generator, tmp_path, kind, what):
    book = association("zdvinsky-mmo")
    book.meeting(3)["Дата"] = "31.02.2026"
    with pytest.raises(DocumentRefused) as refused:
        make(generator, tmp_path, book, kind, meeting=3, force=True)
    (f,) = refused.value.findings
    assert refused.value.final and (f.code, f.cell, f.meeting) == ("cell.bad_date", "B4", 3)
    assert f.message == (f"B4: заседание №3: дата «31.02.2026» не читается — {what} не составить, пока дата "
                         "не исправлена на листе «Заседания».")


def test_a_meeting_that_does_not_exist_is_a_bad_request_naming_the_existing_ones(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.meeting(3)["Дата"] = None
    with pytest.raises(BadRequest, match=r"заседания №9 нет на листе «Заседания» \(есть: 1, 2, 3, 4\)"):
        protocol(generator, tmp_path, book, meeting=9)


# ---------------------------------------------------------------- registration sheet

def test_a_plan_events_registration_sheet_names_its_form(generator, tmp_path):
    _, d = make(generator, tmp_path, association("zdvinsky-mmo"), "registration-sheet", plan_item=2)
    ls = lines(d)
    assert "Мероприятие 2" in ls and "Форма проведения: семинар" in ls
    assert not any(x.startswith("Тема:") for x in ls)


def test_a_meetings_registration_sheet_names_form_and_place_of_compilation(generator, tmp_path):
    _, d = make(generator, tmp_path, association("zdvinsky-mmo"), "registration-sheet", meeting=1)
    ls = lines(d)
    assert ls[2] == "с. Здвинск" and "Форма проведения: очная" in ls and "Тема: Тема заседания 1" in ls


# ---------------------------------------------------------------- signatures stay with the text

def _keeps(p) -> bool:
    return bool(p.paragraph_format.keep_with_next or p.style.paragraph_format.keep_with_next)


@pytest.mark.parametrize("kind, request_", [("protocol", {"meeting": 1}), ("order", {}), ("work-plan", {}),
                                           ("annual-report", {}), ("registration-sheet", {"meeting": 1})])
def test_the_last_lines_keep_with_the_signature(generator, tmp_path, kind, request_):
    """Everything from the last line of text to the signature is «keep with next»: Word
    and LibreOffice move them to the next page together, never the signature alone."""
    _, d = make(generator, tmp_path, association("zdvinsky-mmo"), kind, **request_)
    body = list(d.element.body.iterchildren())
    signatures = d.tables[-1] if kind != "order" else d.tables[0]
    at = body.index(signatures._tbl)
    before = [el for el in body[:at]]
    # the element just before the signature table is a blank line, and before it the text
    from docx.text.paragraph import Paragraph
    from docx.table import Table
    tail = []
    for el in reversed(before):
        if el.tag.endswith("}p"):
            p = Paragraph(el, d)
            tail.append(p)
            if p.text.strip():
                break
        else:
            last_row = Table(el, d).rows[-1]
            tail.append(last_row.cells[0].paragraphs[-1])
            break
    assert tail and all(_keeps(p) for p in tail), [(p.text, _keeps(p)) for p in tail]
    rows = signatures.rows
    assert all(_keeps(c.paragraphs[0]) for r in rows[:-1] for c in r.cells)


@pytest.mark.system("soffice")
def test_a_long_protocol_never_leaves_the_signatures_alone_on_a_page(generator, tmp_path):
    from service.pdf import soffice, to_pdf

    if soffice() is None or not shutil.which("pdftotext"):
        pytest.skip("LibreOffice (soffice) or pdftotext is not installed")
    # With Debian's Times-metric fonts, 12 such questions end a page exactly where the
    # signatures would start the next one on their own without «keep with next».
    for questions in (11, 12, 13):
        book = association("zdvinsky-mmo")
        book.agenda = [a for a in book.agenda if a["№ заседания"] != 1]
        for q in range(1, questions + 1):
            book.agenda.append({"№ заседания": 1, "№ вопроса": q, "Вопрос": f"О вопросе номер {q} " + "и " * 30,
                                "Слушали": "Иванова М.П.", "Решили": f"Решение {q}. " + "Принять к сведению. " * 6,
                                "За": 9, "Против": 0, "Воздержались": 0})
        outcome, _ = protocol(generator, tmp_path / str(questions), book)
        pdf = to_pdf(Path(outcome.filed.location))
        pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout.split("\f")
        last = [p for p in pages if p.strip()][-1]
        assert "Секретарь" in last and "Е.С. Смирнова" in last
        assert "Голосовали" in last, (questions, last)               # the last lines came with the signature
