"""Generated documents opened with python-docx: what a head or curator reads in them."""
from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path

import docx
import pytest

from service.documents import BadRequest, DocumentRefused, Generator, Request
from service.filing.local import LocalFiler
from service.pipeline import check
from service.render.errors import RenderError
from tests.factories import association

AS_OF = dt.date(2025, 9, 1)


class BookSource:
    def __init__(self, book):
        self.book, self.name = book, book.name

    def read(self):
        return self.book.raw()


@pytest.fixture(scope="module")
def generator():
    return Generator()


def make(generator, tmp_path, book, kind, regulation=None, **request):
    report = check(BookSource(book), as_of=AS_OF, regulation_id=regulation)
    outcome = generator.generate(report, Request(kind=kind, **request), LocalFiler(tmp_path), today=AS_OF)
    return outcome, docx.Document(outcome.filed.location)


def text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def rows(document, header: str) -> list[list[str]]:
    table = next(t for t in document.tables if header in " ".join(c.text for c in t.rows[0].cells))
    return [[c.text.strip() for c in r.cells] for r in table.rows[1:]]


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


# ---------------------------------------------------------------- order

def test_order_appoints_in_the_right_cases(generator, tmp_path):
    book = association("zdvinsky-mmo")
    _, d = make(generator, tmp_path, book, "order", order_number="45-ОД", order_date=dt.date(2024, 9, 2))
    t = text(d)
    assert "ПРИКАЗ" in t and "02.09.2024" in t and "№ 45-ОД" in t and "ПРИКАЗЫВАЮ" in t
    assert "Назначить руководителем ММО математиков Иванову Марию Петровну, учителя математики МБОУ СОШ №1" in t
    assert "заместителем руководителя ММО математиков Кузнецову Ольгу Викторовну" in t
    assert "секретарём ММО математиков Смирнову Елену Сергеевну" in t
    assert "возложить на Петрову Анну Ивановну, методиста ММС" in t
    assert "И.П. Сидоров" in t                                     # the founder's head signs
    annex = rows(d, "Фамилия")
    assert len(annex) == 12 and annex[0][1] == "Алексеева Юлия Олеговна"


def test_order_without_a_head_is_refused(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.members[0]["Роль в МО"] = "член"
    with pytest.raises(DocumentRefused) as refused:
        make(generator, tmp_path, book, "order")
    assert "role.no_head" in {f.code for f in refused.value.findings}


def test_order_with_blank_number_and_date_leaves_lines_to_fill(generator, tmp_path):
    _, d = make(generator, tmp_path, association(), "order")
    t = text(d)
    assert "№ ____" in t and "20__ г." in t


# ---------------------------------------------------------------- work plan

@pytest.mark.parametrize("reg, title, who", [
    ("zdvinsky-mmo", "УТВЕРЖДАЮ", "М.П. Иванова"),           # п. 5.2(3): the head approves
    ("zalesovo-mmo", "УТВЕРЖДАЮ", "И.П. Сидоров"),           # the founder's head
    ("novokuznetsk-gpmo", "СОГЛАСОВАНО", "И.П. Сидоров"),    # п. 4.7: agreed at KOiN
    ("novokuznetsk-rpmo", "СОГЛАСОВАНО", "Руководитель ГПМО"),
])
def test_work_plan_with_its_approval_stamp(generator, tmp_path, reg, title, who):
    _, d = make(generator, tmp_path, association(reg), "work-plan")
    t = text(d)
    assert title in t and who in t and "ПЛАН РАБОТЫ" in t
    plan = rows(d, "Мероприятие")
    assert [r[1] for r in plan] == ["Мероприятие 1", "Мероприятие 2", "Мероприятие 3", "Мероприятие 4"]
    assert plan[0][3] == "сентябрь" and plan[3][3] == "в течение года"


# ---------------------------------------------------------------- annual report

def test_annual_report_numbers_and_charts(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.plan[1]["Отметка о выполнении"] = "перенесено"
    outcome, d = make(generator, tmp_path, book, "annual-report")
    t = text(d)
    assert "АНАЛИЗ РАБОТЫ" in t and "2024-2025" in t
    assert "высшая | 3 | 25" in t.replace("%", "")               # 3 of 12 with высшая
    assert "План работы выполнен на 75%: выполнено 3 из 4 мероприятий." in t
    assert "Требования Положения к периодичности заседаний выполнены." in t
    assert "Средняя посещаемость заседаний — 75%." in t
    with zipfile.ZipFile(outcome.filed.location) as zf:
        media = [n for n in zf.namelist() if n.startswith("word/media/")]
    assert len(media) == 2                                         # categories and attendance charts


def test_annual_report_lists_unresolved_findings_and_misses(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.meeting(3)["Статус"] = "отменено"
    _, d = make(generator, tmp_path, book, "annual-report")
    t = text(d)
    assert "не выполнены" in t and "январь – март 2025 г." in t
    assert "meetings" not in t and "За январь – март 2025 г.: не проведено ни одного заседания" in t


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


def test_lists_sort_like_a_dictionary_with_yo(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.members[1]["ФИО"] = "Ёлкина Ольга Викторовна"
    book.attendance["Ёлкина Ольга Викторовна"] = book.attendance.pop("Кузнецова Ольга Викторовна")
    _, d = make(generator, tmp_path, book, "order")
    names = [r[1] for r in rows(d, "Фамилия")]
    assert names.index("Ёлкина Ольга Викторовна") > names.index("Волкова Людмила Андреевна")
    assert names.index("Ёлкина Ольга Викторовна") < names.index("Иванова Мария Петровна")


def test_annual_report_counts_an_unreadable_category_as_not_given(generator, tmp_path):
    """«главная» is not a category: the analysis counts it «не указано» instead of failing."""
    book = association("zdvinsky-mmo")
    book.members[5]["Квалификационная категория"] = "главная"
    _, d = make(generator, tmp_path, book, "annual-report", force=True)
    assert "не указано | 1" in text(d).replace("%", "")


def test_annual_report_findings_table_gives_the_cell_once(generator, tmp_path):
    book = association("zdvinsky-mmo")
    book.members[4]["Квалификационная категория"] = "главная"
    _, d = make(generator, tmp_path, book, "annual-report", force=True)
    row = next(r for r in rows(d, "Замечание") if "главная" in r[-1])
    assert row[2] == "G6" and not row[-1].startswith("G6:")
