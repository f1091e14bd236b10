"""Банк данных педагогов (Каменск-Уральский п. 9.4; Новокузнецк п. 4.5–4.6, 10.3–10.4):
an .xlsx a curator filters and a .docx table, read back; birth dates, phones and e-mails
only in a data bank made with them, and then marked and filed apart."""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from service.documents import BadRequest, Request, is_personal
from service.filing.local import LocalFiler
from service.pipeline import check
from tests.factories import association
from tests.support.documents import BookSource, make, rows, text

D = dt.date
PERSONAL = ("01.01.1960", "+7 913 000-00-00", "teacher0@school.ru")


def book(reg="kamensk-uralsky-cpmss"):
    b = association(reg)
    b.members[0]["Дата присвоения категории"] = D(2021, 3, 15)           # before 01.09.2023: five years
    b.achievements.append({"ФИО": b.members[0]["ФИО"], "Вид": "публикация", "Название": "Статья о геометрии",
                           "Уровень": "региональный", "Дата": D(2025, 1, 20)})
    b.achievements.append({"ФИО": "Кузнецова О.В.", "Вид": "грамота", "Название": "Почётная грамота управления",
                           "Уровень": "муниципальный", "Дата": D(2024, 10, 5)})
    return b


def sheet_rows(path) -> list[tuple]:
    wb = openpyxl.load_workbook(path)
    return [tuple(r) for r in wb.worksheets[0].iter_rows(values_only=True)]


def test_xlsx_a_row_per_teacher_a_column_per_fact(generator, tmp_path):
    outcome, _ = make_xlsx(generator, tmp_path, book())
    path = Path(outcome.filed.location)
    assert path.name == "Банк данных педагогов на 2024-2025 учебный год.xlsx"
    assert path.parent.name == "Банк данных"
    got = sheet_rows(path)
    assert got[0][0] == "Муниципальное методическое объединение учителей математики"
    assert got[1][0] == "Банк данных педагогов ММО математиков на 2024/2025 учебный год"
    header = list(got[4])
    assert header[:6] == ["№", "ФИО", "ОО", "Должность", "Роль в МО", "Возраст, лет"]
    assert "Дата рождения" not in header and "Телефон" not in header and "E-mail" not in header
    head = dict(zip(header, got[5]))
    assert head["ФИО"] == "Иванова Мария Петровна" and head["Роль в МО"] == "руководитель"
    assert head["Возраст, лет"] == 65 and head["Педагогический стаж, лет"] == 5
    assert head["Квалификационная категория"] == "высшая" and head["Срок действия"] == "до 15.03.2026"
    assert head["Дата присвоения"] == dt.datetime(2021, 3, 15)
    assert head["Публикации"] == "Статья о геометрии (региональный, 2025)"
    assert head["Награды, звания"] == "Почётная грамота Министерства просвещения РФ"
    deputy = dict(zip(header, got[6]))
    assert deputy["Авторские разработки"] == "Рабочая программа курса «Практикум по геометрии»"
    assert deputy["Награды, звания"] == "Почётная грамота управления (муниципальный, 2024)"
    assert deputy["Срок действия"] == "бессрочно"                       # granted 15.03.2024
    popova = next(dict(zip(header, r)) for r in got[5:] if r[1] == "Попова Наталья Ивановна")
    assert popova["Конкурсы"] == "Учитель года (муниципальный, призёр, 2025)"
    assert len(got) == 5 + 12
    flat = repr(got)
    assert not any(p in flat for p in PERSONAL)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    assert ws.freeze_panes == "C6" and ws.auto_filter.ref == "A5:P17"           # № and ФИО stay in view
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 2
    assert ws.print_title_rows == "$5:$5" and ws.print_title_cols == "$A:$B"
    assert wb.sheetnames == ["Банк данных", "Состав по показателям"]
    shares = [tuple(r) for r in wb["Состав по показателям"].iter_rows(values_only=True)]
    assert ("Квалификационная категория: без категории", 4, 33) in shares


def make_xlsx(generator, tmp_path, b, **request):
    report = check(BookSource(b), as_of=dt.date(2025, 9, 1))
    outcome = generator.generate(report, Request(kind="data-bank", **request), LocalFiler(tmp_path),
                                 today=dt.date(2025, 9, 1))
    return outcome, report


def test_personal_columns_only_when_asked_and_then_filed_apart(generator, tmp_path):
    plain, _ = make_xlsx(generator, tmp_path, book())
    personal, _ = make_xlsx(generator, tmp_path, book(), personal=True)
    assert plain.filed.key.number == "xlsx" and personal.filed.key.number == "xlsx-personal"
    assert is_personal(personal.filed.key.number) and not is_personal(plain.filed.key.number)
    assert Path(personal.filed.location).name == \
        "Банк данных педагогов на 2024-2025 учебный год (с личными данными).xlsx"
    assert Path(plain.filed.location).exists() and plain.filed.version == 1       # not replaced by the other
    got = sheet_rows(personal.filed.location)
    assert got[3][0].startswith("Конфиденциально: содержит персональные данные")
    header = list(got[5])
    assert header[-3:] == ["Дата рождения", "Телефон", "E-mail"]
    head = dict(zip(header, got[6]))
    assert (head["Дата рождения"], head["Телефон"], head["E-mail"]) == (
        dt.datetime(1960, 1, 1), "+7 913 000-00-00", "teacher0@school.ru")


def test_docx_table_with_the_composition_first(generator, tmp_path):
    _, d = make(generator, tmp_path, book(), "data-bank", regulation=None, format="docx")
    t = text(d)
    assert "БАНК ДАННЫХ ПЕДАГОГОВ" in t and "ММО математиков на 2024/2025 учебный год" in t
    assert "по состоянию на 31 августа 2025 г." in t
    assert "В составе ММО математиков 12 педагогов." in t
    assert "Конфиденциально" not in t and not any(p in t for p in PERSONAL)
    members = rows(d, "Категория, аттестация")
    assert members[0][:4] == ["1", "Иванова Мария Петровна\nучитель математики, МБОУ СОШ №1\nРуководитель",
                              "65 лет\nвысшее\nстаж 5 лет", "высшая\nприсвоена 15.03.2021\nдо 15.03.2026"]
    assert members[0][4] == "Статья о геометрии (региональный, 2025)"
    assert members[2][4:] == ["—", "—"]
    assert d.sections[0].page_width > d.sections[0].page_height                       # landscape
    assert "Банк данных актуализирован 25.09.2024." in t


def test_docx_with_personal_data_is_marked(generator, tmp_path):
    outcome, d = make(generator, tmp_path, book(), "data-bank", format="docx", personal=True)
    assert d.paragraphs[0].text == "Конфиденциально: содержит персональные данные"
    head = rows(d, "Категория, аттестация")[0][1]
    assert "Дата рождения: 01.01.1960" in head and "Тел.: +7 913 000-00-00" in head
    assert "E-mail: teacher0@school.ru" in head
    assert outcome.filed.key.number == "docx-personal"


def test_without_personal_data_the_context_and_its_hash_hold_none(generator):
    """What is not in the context cannot reach a document, a preview or the registry's hash."""
    from service.render.contexts import data_bank_context

    report = check(BookSource(book()), as_of=dt.date(2025, 9, 1))
    ctx = data_bank_context(report, dt.date(2025, 9, 1))
    assert not any(p in repr(ctx) for p in PERSONAL)
    assert "teacher0@school.ru" in repr(data_bank_context(report, dt.date(2025, 9, 1), personal=True))


def test_the_same_data_is_the_same_file(generator, tmp_path):
    first, _ = make_xlsx(generator, tmp_path, book())
    again, _ = make_xlsx(generator, tmp_path, book())
    assert again.filed.changed is False and again.filed.version == 1
    with zipfile.ZipFile(first.filed.location) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2025, 9, 1, 0, 0, 0)}


def test_text_that_looks_like_a_formula_stays_text(generator, tmp_path):
    b = book()
    b.members[3]["Авторские разработки"] = '=HYPERLINK("http://evil.example","нажмите")'
    b.members[4]["Звания, награды"] = "@SUM(1+1)"
    outcome, _ = make_xlsx(generator, tmp_path, b)
    ws = openpyxl.load_workbook(outcome.filed.location).worksheets[0]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value[:1] in "=@"]
    assert [c.value for c in cells] == ['=HYPERLINK("http://evil.example","нажмите")', "@SUM(1+1)"]
    assert {c.data_type for c in cells} == {"s"}


@pytest.mark.parametrize("reg", ["novokuznetsk-gpmo", "novokuznetsk-rpmo"])
def test_novokuznetsk_data_banks(generator, tmp_path, reg):
    outcome, d = make(generator, tmp_path, association(reg), "data-bank", format="docx")
    assert "БАНК ДАННЫХ ПЕДАГОГОВ" in text(d) and len(rows(d, "Категория, аттестация")) == 12


def test_only_the_data_bank_has_personal_columns_and_two_formats(generator, tmp_path):
    report = check(BookSource(book()), as_of=dt.date(2025, 9, 1))
    with pytest.raises(BadRequest, match="только в банке данных"):
        generator.generate(report, Request("needs", personal=True), LocalFiler(tmp_path))
    with pytest.raises(BadRequest, match=r"только в формате \.docx, не \.xlsx"):
        generator.generate(report, Request("cyclogram", format="xlsx"), LocalFiler(tmp_path))
    with pytest.raises(BadRequest, match=r"\.xlsx или \.docx, не \.pdf"):
        generator.generate(report, Request("data-bank", format="pdf"), LocalFiler(tmp_path))
    assert not list(Path(tmp_path).rglob("*.docx")) and not list(Path(tmp_path).rglob("*.xlsx"))


def test_an_error_in_a_printed_cell_refuses_it(generator, tmp_path):
    from service.documents import DocumentRefused

    b = book()
    b.members[6]["Дата рождения"] = "31.02.1980"
    with pytest.raises(DocumentRefused) as refused:
        make_xlsx(generator, tmp_path, b)
    assert [f.cell for f in refused.value.findings] == ["J8"]
    outcome, _ = make_xlsx(generator, tmp_path, b, force=True)
    got = sheet_rows(outcome.filed.location)
    assert got[0][0] == "Муниципальное методическое объединение учителей математики"
