"""Generated documents opened with python-docx: what a head or curator reads in them."""
from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import docx
import pytest

from service.documents import BadRequest, DocumentRefused, Request
from service.filing.local import LocalFiler
from service.kinds import CATALOGUE
from service.pipeline import check
from service.render.errors import RenderError
from tests.factories import association
from tests.support.documents import AS_OF, BookSource, make, rows, text


# ---------------------------------------------------------------- protocol

def test_protocol_states_who_what_and_the_quorum(generator, tmp_path):
    book = association("zdvinsky-mmo")
    outcome, d = make(generator, tmp_path, book, "protocol", meeting=2)
    t = text(d)
    assert Path(outcome.filed.location).name == "Протокол №2 от 10.12.2024.docx"
    assert "ПРОТОКОЛ" in t and "№ 2" in t and "10.12.2024" in t
    assert "Дата проведения: 10 декабря 2024 г." in t
    assert "Председатель – М.П. Иванова" in t and "Секретарь – Е.С. Смирнова" in t
    assert "Присутствовали: 9 человек" in t
    assert "Кузнецова О.В." in t                                  # the present listed as «Фамилия И.О.»
    assert "Кворум имеется: присутствуют 9 из 12 членов" in t
    assert "ПОВЕСТКА ДНЯ" in t and "Вопрос 1 заседания 2" in t and "Вопрос 2 заседания 2" in t
    assert "СЛУШАЛИ" in t and "РЕШИЛИ" in t and "Решение по вопросу 2" in t
    assert "Голосовали: «за» – 9, «против» – 0, «воздержались» – 0." in t
    signatures = [p.text for p in d.paragraphs if p.text.startswith(("Председатель", "Секретарь"))] + \
        [" ".join(c.text for c in r.cells) for tb in d.tables for r in tb.rows]
    assert any("М.П. Иванова" in s and "Председатель" in s for s in signatures)
    assert any("Е.С. Смирнова" in s and "Секретарь" in s for s in signatures)


@pytest.mark.parametrize("reg", ["kamensk-uralsky-cpmss", "novokuznetsk-gpmo", "zalesovo-mmo",
                                 "biysk-social-pedagogues", "novokuznetsk-rpmo"])
def test_quorum_statement_only_where_the_regulation_sets_one(generator, tmp_path, reg):
    position = "социальный педагог" if reg.startswith("biysk") else "учитель математики"
    _, d = make(generator, tmp_path, association(reg, position=position), "protocol", meeting=1)
    t = text(d)
    assert "Кворум" not in t and "Присутствовали: 9 человек" in t


def test_guests_and_a_long_list_go_to_the_registration_sheet(generator, tmp_path):
    book = association("zdvinsky-mmo", size=20)
    book.mark(1, present=17)
    book.attendance["Петрова Анна Ивановна"] = {"№1": "+"}
    for item in book.agenda:
        item["За"] = 17
    _, d = make(generator, tmp_path, book, "protocol", meeting=1)
    t = text(d)
    assert "Присутствовали: 17 человек" in t and "список прилагается" in t
    assert "Попова Н.И." not in t                                  # not listed one by one
    assert "Приглашённые" in t and "Петрова Анна Ивановна" in t
    assert "Кворум имеется: присутствуют 17 из 20 членов" in t


def test_no_quorum_refuses_then_force_warns_inside(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.mark(3, present=5)
    for item in book.agenda:
        if item["№ заседания"] == 3:
            item["За"] = 5
    with pytest.raises(DocumentRefused) as refused:
        make(generator, tmp_path, book, "protocol", meeting=3)
    assert [f.code for f in refused.value.findings] == ["meeting.no_quorum"]
    assert not list(tmp_path.rglob("*.docx"))                      # nothing written
    outcome, d = make(generator, tmp_path, book, "protocol", meeting=3, force=True)
    first = [p for p in d.paragraphs if p.text.strip()][:2]
    assert first[0].text.startswith("ВНИМАНИЕ") and "5 из 12" in first[1].text
    assert str(first[0].style.font.color.rgb) == "C00000" and first[0].style.font.bold   # red, bold
    assert "Кворума нет: присутствуют 5 из 12" in text(d)


def test_missing_secretary_and_planned_meeting_are_refused(generator, tmp_path):
    book = association("biysk-social-pedagogues", position="социальный педагог")
    book.meeting(2)["Секретарь"] = None
    with pytest.raises(DocumentRefused) as refused:
        make(generator, tmp_path, book, "protocol", meeting=2)
    assert {f.code for f in refused.value.findings} == {"meeting.no_signers"}
    book = association("zdvinsky-mmo")
    book.meeting(4)["Статус"] = "запланировано"
    with pytest.raises(DocumentRefused) as refused:
        make(generator, tmp_path, book, "protocol", meeting=4)
    assert "document.not_held" in {f.code for f in refused.value.findings}


def test_unknown_meeting_is_a_bad_request(generator, tmp_path):
    with pytest.raises(BadRequest, match="заседания №9 нет"):
        make(generator, tmp_path, association(), "protocol", meeting=9)


def test_values_come_out_exactly_as_typed(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.agenda[0]["Решили"] = "Поручить «Иванов & Сын <b>» {{ 7*7 }} </w:t>"
    _, d = make(generator, tmp_path, book, "protocol", meeting=1)
    assert "Поручить «Иванов & Сын <b>» {{ 7*7 }} </w:t>" in text(d)


# ---------------------------------------------------------------- registration sheet

def test_registration_sheet_lists_expected_members_and_spare_rows(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.members[11]["Дата выбытия"] = dt.date(2024, 11, 1)        # gone before meeting 2
    _, d = make(generator, tmp_path, book, "registration-sheet", meeting=2)
    table = rows(d, "Фамилия")
    names = [r[1] for r in table if r[1]]
    assert len(names) == 11 and "Павлова Валентина Фёдоровна" not in names
    assert names == sorted(names, key=lambda n: n.casefold().replace("ё", "е"))
    assert [r[0] for r in table][:3] == ["1", "2", "3"] and len(table) == 11 + 5
    assert "10 декабря 2024 г." in text(d) and "Е.С. Смирнова" in text(d)


def test_registration_sheet_for_a_plan_event(generator, tmp_path):
    outcome, d = make(generator, tmp_path, association(), "registration-sheet", plan_item=3)
    assert "Мероприятие 3" in text(d)
    assert Path(outcome.filed.location).name == "Лист регистрации, мероприятие №3.docx"


# ---------------------------------------------------------------- hostile templates

def test_an_uploaded_template_cannot_reach_the_server(generator, tmp_path):
    from service.render.docx import CompiledTemplate

    d = docx.Document()
    d.add_paragraph("{{ lipsum.__globals__['os'].system('id') }}")
    buf = io.BytesIO()
    d.save(buf)
    with pytest.raises(RenderError) as exc:
        CompiledTemplate(buf.getvalue(), name="evil.docx").render({})
    assert exc.value.code in ("template.unsafe", "template.missing_variables")
    d = docx.Document()
    d.add_paragraph("{{ org.__class__.__mro__ }}")
    buf = io.BytesIO()
    d.save(buf)
    with pytest.raises(RenderError) as exc:
        CompiledTemplate(buf.getvalue(), name="evil.docx").render({"org": {}})
    assert exc.value.code == "template.unsafe"


def test_template_that_never_ends_is_stopped(tmp_path):
    from service.render.docx import CompiledTemplate

    d = docx.Document()
    d.add_paragraph("{% for a in range(9000) %}{% for b in range(9000) %}{{ a }}{% endfor %}{% endfor %}")
    buf = io.BytesIO()
    d.save(buf)
    with pytest.raises(RenderError) as exc:
        CompiledTemplate(buf.getvalue()).render({}, seconds=1)
    assert exc.value.code == "template.too_expensive"


def test_missing_variables_are_named_before_rendering():
    from service.render.docx import CompiledTemplate

    d = docx.Document()
    d.add_paragraph("{{ meeting.number }} {{ chairman }}")
    buf = io.BytesIO()
    d.save(buf)
    with pytest.raises(RenderError) as exc:
        CompiledTemplate(buf.getvalue()).render({"meeting": {"number": 1}})
    assert exc.value.code == "template.missing_variables" and "chairman" in exc.value.message


def test_not_a_docx_template_is_refused():
    from service.render.docx import CompiledTemplate

    with pytest.raises(RenderError) as exc:
        CompiledTemplate(b"PK\x03\x04 not really a zip")
    assert exc.value.code == "template.unreadable"


# ---------------------------------------------------------------- PDF

@pytest.mark.system("soffice")
def test_pdf_copy_through_libreoffice(generator, tmp_path):
    from service.pdf import soffice, to_pdf

    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    outcome, _ = make(generator, tmp_path, association(), "protocol", meeting=1)
    pdf = to_pdf(Path(outcome.filed.location))
    assert pdf.suffix == ".pdf" and pdf.read_bytes().startswith(b"%PDF")      # PDF/A: tests/test_pdf.py
    if shutil.which("pdftotext"):
        import subprocess
        out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "ПРОТОКОЛ" in out and "М.П. Иванова" in out


def test_pdf_says_plainly_when_libreoffice_is_missing(monkeypatch, tmp_path):
    from service import pdf

    monkeypatch.setattr(pdf, "soffice", lambda: None)
    with pytest.raises(pdf.PdfUnavailable, match="LibreOffice не установлен"):
        pdf.to_pdf(tmp_path / "x.docx")




# ---------------------------------------------------------------- valid for Word

@pytest.mark.parametrize("reg", ["zdvinsky-mmo", "kamensk-uralsky-cpmss", "novokuznetsk-gpmo", "zalesovo-mmo"])
@pytest.mark.parametrize("kind, request_", [("protocol", {"meeting": 1}), ("registration-sheet", {"meeting": 1}),
                                           ("order", {}), ("work-plan", {}), ("annual-report", {})])
def test_every_table_cell_keeps_a_paragraph(generator, tmp_path, reg, kind, request_):
    """Conditional paragraphs inside table cells (approval marks, topics) must not leave a
    cell with no paragraph at all: Word reports such a file as damaged."""
    book = association(reg)
    book.meeting(1)["Тема"] = None
    outcome, d = make(generator, tmp_path, book, kind, **request_)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    cells = list(d.element.body.iter(f"{w}tc"))
    assert cells and all(tc.find(f"{w}p") is not None for tc in cells)


# ---------------------------------------------------------------- every document each regulation requires

def _required():
    from service.schema.regulations import load_all

    out = []
    for reg in load_all():
        for doc in reg.required_documents:
            kind = CATALOGUE[doc.kind]
            for fmt in kind.formats:
                out.append(pytest.param(reg.id, doc.kind, fmt, id=f"{reg.id}-{doc.kind}-{fmt}"))
    return out


HEADINGS = {"protocol": "ПРОТОКОЛ", "registration-sheet": "ЛИСТ РЕГИСТРАЦИИ", "order": "ПРИКАЗ",
            "work-plan": "ПЛАН РАБОТЫ", "annual-report": "АНАЛИЗ РАБОТЫ", "data-bank": "БАНК ДАННЫХ ПЕДАГОГОВ",
            "attestation-schedule": "ГРАФИК", "cyclogram": "ЦИКЛОГРАММА", "young-specialists-plan": "ПЛАН РАБОТЫ",
            "needs": "СВЕДЕНИЯ", "portfolio": "ПОРТФОЛИО", "self-assessment": "САМООЦЕНКА",
            "practices": "БАНК ЭФФЕКТИВНЫХ ПЕДАГОГИЧЕСКИХ ПРАКТИК"}


@pytest.mark.parametrize("reg, kind, fmt", _required())
def test_every_document_a_regulation_requires_is_made_from_its_compliant_workbook(generator, tmp_path, reg, kind,
                                                                                   fmt):
    """The compliant association of each regulation gets every document its regulation lists,
    without --force, and each reads back: its heading, a Word file whose table cells all keep a
    paragraph, or an .xlsx with a row per member."""
    import openpyxl

    book = association(reg, position="социальный педагог" if reg.startswith("biysk") else "учитель математики")
    book.meeting(1)["Тема"] = None
    book.members[2]["Образование"] = book.members[2]["Педагогический стаж"] = None
    request = {"meeting": 1} if kind in ("protocol", "registration-sheet") else {}
    report = check(BookSource(book), as_of=AS_OF)
    outcome = generator.generate(report, Request(kind=kind, format=fmt, **request), LocalFiler(tmp_path), today=AS_OF)
    assert outcome.blocking == [] and outcome.filed.changed
    path = Path(outcome.filed.location)
    assert path.suffix == f".{fmt}" and path.parent.name == CATALOGUE[kind].folder
    if fmt == "xlsx":
        ws = openpyxl.load_workbook(path).worksheets[0]
        assert [r[1] for r in ws.iter_rows(min_row=6, values_only=True)][:1] == ["Иванова Мария Петровна"]
        assert ws.max_row == 5 + len(book.members)
        return
    d = docx.Document(path)
    assert HEADINGS[kind] in text(d)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    cells = list(d.element.body.iter(f"{w}tc"))
    assert cells and all(tc.find(f"{w}p") is not None for tc in cells)
